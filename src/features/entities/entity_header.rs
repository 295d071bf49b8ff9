//! The top of a user's, group's or role's page: its name, the Rename and Delete buttons (gated
//! by the principal's permissions), the rename form and the typed-name delete confirmation.

use leptos::prelude::*;

use crate::api_error::{field_message, form_message, ApiError};
use crate::features::entities::permissions_tab::failure;
use crate::features::entities::rename_form::RenameForm;
use crate::features::ui::{DeleteButton, FormAlert, GatedButton};

/// Deleting the entity: the answer for the button and the server action's state.
pub struct Delete {
    pub denied: Option<String>,
    pub test_id: &'static str,
    /// The word in "Delete {what} {name}?".
    pub what: &'static str,
    pub consequence: String,
    pub result: Signal<Option<Result<(), ApiError>>>,
    pub pending: Signal<bool>,
    pub on_confirm: Callback<()>,
}

/// Renaming the entity (users and groups): the same, plus the field the service names.
pub struct Rename {
    pub denied: Option<String>,
    pub test_id: &'static str,
    /// The form field (and AWS parameter) of the new name, e.g. `NewUserName`.
    pub field: &'static str,
    pub result: Signal<Option<Result<(), ApiError>>>,
    pub pending: Signal<bool>,
    pub on_submit: Callback<String>,
}

#[component]
pub fn EntityHeader(
    name: String,
    delete: Delete,
    #[prop(optional)] rename: Option<Rename>,
) -> impl IntoView {
    let renaming = RwSignal::new(false);
    let delete_result = delete.result;
    let rename_button = rename.as_ref().map(|rename| {
        view! {
            <GatedButton label="Rename" secondary=true denied=rename.denied.clone() on_click=move |_| renaming.update(|open| *open = !*open) test_id=rename.test_id />
        }
    });
    let rename_form = rename.map(|rename| {
        let (field, result) = (rename.field, rename.result);
        let current = name.clone();
        view! {
            <Show when=move || renaming.get()>
                <RenameForm
                    current=current.clone()
                    field
                    field_error=Signal::derive(move || field_message(&result.get(), field))
                    other_error=Signal::derive(move || form_message(&result.get(), &[field]))
                    pending=rename.pending
                    on_submit=rename.on_submit
                    on_cancel=move |_| renaming.set(false)
                />
            </Show>
        }
    });
    view! {
        <div class="mb-6 flex items-start justify-between gap-4">
            <h1 class="text-2xl font-semibold text-slate-900" data-testid="entity-name">{name.clone()}</h1>
            <div class="flex gap-2">
                {rename_button}
                <DeleteButton
                    name=name.clone()
                    what=delete.what
                    denied=delete.denied
                    test_id=delete.test_id
                    consequence=delete.consequence
                    refused=Signal::derive(move || matches!(delete_result.get(), Some(Err(_))))
                    pending=delete.pending
                    on_confirm=delete.on_confirm
                />
            </div>
        </div>
        <FormAlert message=Signal::derive(move || failure(delete_result.get())) />
        {rename_form}
    }
}
