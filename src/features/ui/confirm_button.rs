//! A button for a small, reversible removal (detach, remove from group): the first click asks,
//! the second acts. Disabled, with AWS's reason on hover, when the principal may not act.

use leptos::prelude::*;

use super::BUTTON_SECONDARY;

#[component]
pub fn ConfirmButton(
    label: &'static str,
    #[prop(default = "Confirm")] confirm_label: &'static str,
    #[prop(into)] denied: Signal<Option<String>>,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] on_confirm: Callback<()>,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    view! {
        <Show
            when=move || asking.get()
            fallback=move || view! {
                <button
                    type="button"
                    class=BUTTON_SECONDARY
                    disabled=move || denied.get().is_some()
                    title=move || denied.get()
                    on:click=move |_| asking.set(true)
                >
                    {label}
                </button>
            }
        >
            <span class="inline-flex gap-2">
                <button
                    type="button"
                    class="rounded-md bg-red-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-red-700 disabled:opacity-50"
                    disabled=move || pending.get()
                    on:click=move |_| {
                        on_confirm.run(());
                        asking.set(false);
                    }
                >
                    {confirm_label}
                </button>
                <button type="button" class=BUTTON_SECONDARY on:click=move |_| asking.set(false)>
                    "Cancel"
                </button>
            </span>
        </Show>
    }
}
