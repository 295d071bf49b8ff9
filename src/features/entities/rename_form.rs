//! Renaming a user or group: the new name, with the service's verdict beside it.

use leptos::prelude::*;

use crate::features::ui::{FormAlert, TextField, BUTTON_PRIMARY, BUTTON_SECONDARY};

#[component]
pub fn RenameForm(
    current: String,
    /// The form field (and AWS parameter) the service names in its errors.
    field: &'static str,
    #[prop(into)] field_error: Signal<Option<String>>,
    #[prop(into)] other_error: Signal<Option<String>>,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] on_submit: Callback<String>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let new_name = RwSignal::new(current.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        on_submit.run(new_name.get_untracked());
    };
    let unchanged = move || new_name.with(|name| name.trim().is_empty() || name.trim() == current);
    view! {
        <form class="mb-6 max-w-xl space-y-3 rounded-lg border border-orange-200 bg-orange-50/40 p-4" novalidate on:submit=submit>
            <TextField
                label="New name"
                name=field
                value=new_name.get_untracked()
                autofocus=true
                error=field_error
                on_input=move |text: String| new_name.set(text)
            />
            <FormAlert message=other_error />
            <div class="flex gap-3">
                <button type="submit" class=BUTTON_PRIMARY disabled=move || unchanged() || pending.get()>"Rename"</button>
                <button type="button" class=BUTTON_SECONDARY on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </form>
    }
}
