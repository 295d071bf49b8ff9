//! "Change your password" for the signed-in IAM user: the current password and the new one
//! twice. Offered when the account policy or the user's policies allow it; the service decides
//! and its message (policy rules, reuse, a wrong current password) is shown as it is.

use leptos::prelude::*;

use super::password_api::{get_own_password_info, ChangeOwnPassword};
use crate::api_error::{field_message, form_message};
use crate::features::console::error_view::ApiErrorView;
use crate::features::ui::{FormAlert, Panel, TextField, BUTTON_PRIMARY};

#[component]
pub fn OwnPasswordPanel() -> impl IntoView {
    let info = Resource::new(|| (), |_| get_own_password_info());
    view! {
        <Panel title="Console password">
            <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(info) if info.may_change => view! { <ChangeForm /> }.into_any(),
                        Ok(_) => view! {
                            <p class="text-sm text-slate-600" data-testid="change-password-unavailable">
                                "Your administrator has not allowed you to change your own password. Ask them to reset it."
                            </p>
                        }.into_any(),
                        Err(error) => view! { <ApiErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
        </Panel>
    }
}

#[component]
fn ChangeForm() -> impl IntoView {
    let change = ServerAction::<ChangeOwnPassword>::new();
    let result = change.value();
    let old_password = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let confirm_password = RwSignal::new(String::new());
    let fields = ["NewPassword", "confirm_password"];
    view! {
        <form
            novalidate
            class="max-w-sm space-y-3"
            on:submit=move |ev| {
                ev.prevent_default();
                change.dispatch(ChangeOwnPassword {
                    old_password: old_password.get_untracked(),
                    new_password: new_password.get_untracked(),
                    confirm_password: confirm_password.get_untracked(),
                });
            }
        >
            <TextField label="Current password" name="old_password" input_type="password" autocomplete="current-password" on_input=move |v| old_password.set(v) error=Signal::derive(|| None::<String>) />
            <TextField label="New password" name="NewPassword" input_type="password" autocomplete="new-password" on_input=move |v| new_password.set(v) error=Signal::derive(move || field_message(&result.get(), "NewPassword")) />
            <TextField label="Confirm new password" name="confirm_password" input_type="password" autocomplete="new-password" on_input=move |v| confirm_password.set(v) error=Signal::derive(move || field_message(&result.get(), "confirm_password")) />
            <FormAlert message=Signal::derive(move || form_message(&result.get(), &fields)) />
            <Show when=move || matches!(result.get(), Some(Ok(())))>
                <p class="text-sm text-green-800" role="status">"Your password has been changed."</p>
            </Show>
            <button type="submit" class=BUTTON_PRIMARY disabled=move || change.pending().get()>"Change password"</button>
        </form>
    }
}
