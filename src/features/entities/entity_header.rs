//! The top of a user's, group's or role's page: its name, the Rename and Delete buttons (gated
//! by the principal's permissions), the rename form and the typed-name delete confirmation.

use leptos::prelude::*;

use super::denials::Denials;
use super::words::words;
use crate::api_error::{field_message, form_message, ApiError};
use crate::catalog::{DELETE_ENTITY, UPDATE_ENTITY};
use crate::domain::EntityKind;
use crate::features::entities::permissions_tab::failure;
use crate::features::entities::rename_form::RenameForm;
use crate::features::groups::api::{DeleteGroup, RenameGroup};
use crate::features::roles::api::DeleteRole;
use crate::features::ui::{DeleteButton, FormAlert, GatedButton};
use crate::features::users::api::{DeleteUser, RenameUser};

/// A kind's server action (delete or rename) as the header uses it: its state, and the call.
struct Act<I: 'static> {
    result: Signal<Option<Result<(), ApiError>>>,
    pending: Signal<bool>,
    run: Callback<I>,
}

/// `act!(ServerFn, |argument| input)`: the server action of `ServerFn`, dispatching `input`.
macro_rules! act {
    ($server_fn:ty, |$argument:pat_param| $input:expr) => {{
        let action = ServerAction::<$server_fn>::new();
        Act {
            result: action.value().into(),
            pending: action.pending().into(),
            run: Callback::new(move |$argument| {
                action.dispatch($input);
            }),
        }
    }};
}

/// Deleting the entity with what hangs on it (each kind's own server function).
fn delete_action(kind: EntityKind, name: String) -> Act<()> {
    match kind {
        EntityKind::User => act!(DeleteUser, |_| DeleteUser {
            user_name: name.clone()
        }),
        EntityKind::Group => act!(DeleteGroup, |_| DeleteGroup {
            group_name: name.clone()
        }),
        EntityKind::Role => act!(DeleteRole, |_| DeleteRole {
            role_name: name.clone()
        }),
    }
}

/// Renaming the entity: users and groups (AWS cannot rename a role).
fn rename_action(kind: EntityKind, name: String) -> Option<Act<String>> {
    match kind {
        EntityKind::User => Some(act!(RenameUser, |new_user_name| RenameUser {
            user_name: name.clone(),
            new_user_name,
        })),
        EntityKind::Group => Some(act!(RenameGroup, |new_group_name| RenameGroup {
            group_name: name.clone(),
            new_group_name,
        })),
        EntityKind::Role => None,
    }
}

#[component]
pub fn EntityHeader(
    kind: EntityKind,
    name: String,
    /// What deleting it takes with it, said in the confirmation.
    consequence: String,
    denials: Denials,
) -> impl IntoView {
    let words = words(kind);
    let delete = delete_action(kind, name.clone());
    let delete_denied = denials.reason(kind.pick(DELETE_ENTITY));
    let rename_denied = denials.reason(kind.pick(UPDATE_ENTITY));
    let rename = rename_action(kind, name.clone());
    let renaming = RwSignal::new(false);
    let delete_result = delete.result;
    let rename_button = rename.as_ref().map(|_| {
        view! {
            <GatedButton label="Rename" secondary=true denied=rename_denied.clone() on_click=move |_| renaming.update(|open| *open = !*open) test_id=words.rename_test_id />
        }
    });
    let rename_form = rename.map(|rename| {
        let (field, result) = (words.new_name_field, rename.result);
        let current = name.clone();
        view! {
            <Show when=move || renaming.get()>
                <RenameForm
                    current=current.clone()
                    field
                    field_error=Signal::derive(move || field_message(&result.get(), field))
                    other_error=Signal::derive(move || form_message(&result.get(), &[field]))
                    pending=rename.pending
                    on_submit=rename.run
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
                    what=kind.lower()
                    denied=delete_denied
                    test_id=words.delete_test_id
                    consequence
                    refused=Signal::derive(move || matches!(delete_result.get(), Some(Err(_))))
                    pending=delete.pending
                    on_confirm=delete.run
                />
            </div>
        </div>
        <FormAlert message=Signal::derive(move || failure(delete_result.get())) />
        {rename_form}
    }
}
