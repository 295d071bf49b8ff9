//! What the policy page's tabs share with the page (`detail_page` makes it, `edit_tab` and
//! `versions_tab` read and update it), so the tabs need not reach back into the page.

use leptos::prelude::*;

/// What the tabs share with the page: which tab is open, a counter that reloads the policy
/// after each change, the last change's confirmation, and the edit draft (kept across reloads).
#[derive(Clone, Copy)]
pub struct PageState {
    pub tab: RwSignal<&'static str>,
    pub changed: RwSignal<u32>,
    pub notice: RwSignal<Option<String>>,
    pub draft: RwSignal<Option<String>>,
}

impl PageState {
    /// Records a completed change: says so, and reloads what the page shows.
    pub fn changed(&self, notice: String) {
        self.notice.set(Some(notice));
        self.changed.update(|n| *n += 1);
    }
}
