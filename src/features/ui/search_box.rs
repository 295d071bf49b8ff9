//! A search field that reports what was typed once the person pauses, so a listing served by
//! the server is not queried on every keystroke.

use std::time::Duration;

use leptos::prelude::*;

#[component]
pub fn SearchBox(
    label: &'static str,
    #[prop(into)] on_search: Callback<String>,
    #[prop(default = "Search by name prefix")] placeholder: &'static str,
) -> impl IntoView {
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let on_input = move |ev| {
        let text = event_target_value(&ev);
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(
            move || on_search.run(text.trim().to_string()),
            Duration::from_millis(250),
        )
        .ok();
        pending.set_value(handle);
    };
    view! {
        <input
            type="search"
            aria-label=label
            placeholder=placeholder
            autocomplete="off"
            class="w-80 rounded-md border border-slate-300 px-3 py-1.5 text-sm shadow-sm focus:border-orange-500 focus:outline-none focus:ring-2 focus:ring-orange-200"
            on:input=on_input
        />
    }
}
