//! Previous/next through a listing served page by page with AWS's opaque `Marker`: the
//! markers of the pages before this one are kept, so "Previous" needs no backwards query.

use leptos::prelude::*;

use super::BUTTON_SECONDARY;

/// Where a paged listing is: the markers that led to the current page.
#[derive(Clone, Copy)]
pub struct Paging {
    markers: RwSignal<Vec<String>>,
}

impl Paging {
    pub fn new() -> Self {
        Self {
            markers: RwSignal::new(Vec::new()),
        }
    }

    /// The marker of the current page (`None` on the first page). Tracks.
    pub fn marker(&self) -> Option<String> {
        self.markers.with(|markers| markers.last().cloned())
    }

    /// Back to the first page (a new search starts there).
    pub fn reset(&self) {
        self.markers.update(Vec::clear);
    }

    fn page_number(&self) -> usize {
        self.markers.with(Vec::len) + 1
    }
}

impl Default for Paging {
    fn default() -> Self {
        Self::new()
    }
}

/// The controls under a table. `next_marker` continues after the page shown.
#[component]
pub fn Pager(paging: Paging, next_marker: Option<String>) -> impl IntoView {
    let has_next = next_marker.is_some();
    let next = move |_| {
        if let Some(marker) = next_marker.clone() {
            paging.markers.update(|markers| markers.push(marker));
        }
    };
    let previous = move |_| {
        paging.markers.update(|markers| {
            markers.pop();
        })
    };
    view! {
        <nav aria-label="Pagination" class="mt-3 flex items-center justify-end gap-3 text-sm text-slate-600">
            <span>{move || format!("Page {}", paging.page_number())}</span>
            <button
                type="button"
                class=BUTTON_SECONDARY
                disabled=move || paging.page_number() == 1
                on:click=previous
            >
                "Previous"
            </button>
            <button type="button" class=BUTTON_SECONDARY disabled=!has_next on:click=next>
                "Next"
            </button>
        </nav>
    }
}
