//! A user's console password, as an administrator manages it: whether console access is
//! enabled, enabling it (a generated or typed password, optionally to be replaced at the next
//! sign-in), resetting it, and removing it (which disables console access).

use crate::catalog::Op;
use leptos::prelude::*;

use super::model::LoginProfileView;
use super::password_api::{login_profile, RemoveConsolePassword, SetConsolePassword};
use super::refresh::count_successes;
use crate::api_error::{field_message, form_message};
use crate::features::console::error_view::ApiErrorView;
use crate::features::entities::denials::Denials;
use crate::features::entities::permissions_tab::failure;
use crate::features::ui::confirm_button::ConfirmButton;
use crate::features::ui::{
    format_millis, CopyButton, FormAlert, GatedButton, Panel, TextField, BUTTON_PRIMARY,
    BUTTON_SECONDARY,
};

#[component]
pub fn ConsolePasswordPanel(user_name: String) -> impl IntoView {
    let set = ServerAction::<SetConsolePassword>::new();
    let remove = ServerAction::<RemoveConsolePassword>::new();
    let owner = user_name.clone();
    let changes = RwSignal::new(0u32);
    count_successes(changes, set.value());
    count_successes(changes, remove.value());
    let profile = Resource::new(
        move || (owner.clone(), changes.get()),
        |(owner, _)| login_profile(owner),
    );
    // A generated password, shown to the administrator this once.
    let generated = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(password)) = set.value().get() {
            generated.set(password);
        }
    });
    view! {
        <Panel title="Console sign-in">
            <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
                {
                    let user_name = user_name.clone();
                    move || {
                        let user_name = user_name.clone();
                        Suspend::new(async move {
                            match profile.await {
                                Ok(gated) => view! { <PasswordState user_name profile=gated.value denials=gated.denials set remove /> }.into_any(),
                                Err(error) => view! { <ApiErrorView error /> }.into_any(),
                            }
                        })
                    }
                }
            </Transition>
            {move || generated.get().map(|password| view! {
                <div class="mt-4 space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="generated-password">
                    <p class="text-amber-900">"The console password was generated. Share it with the user securely: it is not shown again."</p>
                    <div class="flex items-center gap-3">
                        <code class="rounded bg-white px-2 py-1 font-mono">{password.clone()}</code>
                        <CopyButton text=password.clone() label="Copy password" />
                        <button type="button" class=BUTTON_SECONDARY on:click=move |_| generated.set(None)>"Done"</button>
                    </div>
                </div>
            })}
        </Panel>
    }
}

#[component]
fn PasswordState(
    user_name: String,
    profile: Option<LoginProfileView>,
    denials: Denials,
    set: ServerAction<SetConsolePassword>,
    remove: ServerAction<RemoveConsolePassword>,
) -> impl IntoView {
    let editing = RwSignal::new(false);
    let create = profile.is_none();
    let edit_denied = if create {
        denials.reason(Op::CreateLoginProfile)
    } else {
        denials.reason(Op::UpdateLoginProfile)
    };
    let remove_denied = denials.reason(Op::DeleteLoginProfile);
    let remove_name = user_name.clone();
    let status = match &profile {
        Some(profile) => view! {
            <dl class="grid grid-cols-[12rem_1fr] gap-y-2 text-sm">
                <dt class="text-slate-500">"Console access"</dt>
                <dd data-testid="console-access" class="font-medium text-green-800">"Enabled"</dd>
                <dt class="text-slate-500">"Password created"</dt>
                <dd>{format_millis(profile.create_date)}</dd>
                <dt class="text-slate-500">"Must reset at next sign-in"</dt>
                <dd data-testid="password-reset-required">{if profile.password_reset_required { "Yes" } else { "No" }}</dd>
            </dl>
        }.into_any(),
        None => view! {
            <p data-testid="console-access" class="text-sm text-slate-600">"Disabled: this user has no console password and cannot sign in to the console."</p>
        }.into_any(),
    };
    view! {
        <div class="space-y-4">
            {status}
            <div class="flex gap-2">
                <GatedButton
                    label=if create { "Enable console access" } else { "Reset password" }
                    secondary=!create
                    denied=Signal::derive(move || edit_denied.clone())
                    on_click=move |_| editing.update(|open| *open = !*open)
                    test_id="edit-console-password"
                />
                {(!create).then(|| view! {
                    <ConfirmButton
                        label="Disable console access"
                        confirm_label="Remove password"
                        denied=Signal::derive(move || remove_denied.clone())
                        pending=remove.pending()
                        on_confirm=move |_| {
                            remove.dispatch(RemoveConsolePassword { user_name: remove_name.clone() });
                        }
                    />
                })}
            </div>
            <FormAlert message=Signal::derive(move || failure(remove.value().get())) />
            <Show when=move || editing.get()>
                <PasswordForm user_name=user_name.clone() create set on_cancel=move |_| editing.set(false) />
            </Show>
        </div>
    }
}

#[component]
fn PasswordForm(
    user_name: String,
    create: bool,
    set: ServerAction<SetConsolePassword>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let custom = RwSignal::new(false);
    let password = RwSignal::new(String::new());
    let reset_required = RwSignal::new(true);
    let result = set.value();
    let fields = ["Password"];
    view! {
        <form
            novalidate
            class="space-y-3 rounded-lg border border-orange-200 bg-orange-50/40 p-4 text-sm"
            on:submit=move |ev| {
                ev.prevent_default();
                set.dispatch(SetConsolePassword {
                    user_name: user_name.clone(),
                    password: custom.get_untracked().then(|| password.get_untracked()),
                    reset_required: reset_required.get_untracked(),
                    create,
                });
            }
        >
            <fieldset class="space-y-1">
                <legend class="font-medium text-slate-700">"Console password"</legend>
                <label class="flex items-center gap-2">
                    <input type="radio" name="password-kind" prop:checked=move || !custom.get() on:change=move |_| custom.set(false) />
                    "Autogenerated password"
                </label>
                <label class="flex items-center gap-2">
                    <input type="radio" name="password-kind" prop:checked=move || custom.get() on:change=move |_| custom.set(true) />
                    "Custom password"
                </label>
            </fieldset>
            <Show when=move || custom.get()>
                <div class="max-w-sm">
                    <TextField
                        label="Password"
                        name="Password"
                        input_type="password"
                        autocomplete="new-password"
                        on_input=move |v| password.set(v)
                        error=Signal::derive(move || field_message(&result.get(), "Password"))
                    />
                </div>
            </Show>
            <label class="flex items-center gap-2">
                <input type="checkbox" prop:checked=move || reset_required.get() on:change=move |ev| reset_required.set(event_target_checked(&ev)) />
                "User must create a new password at next sign-in"
            </label>
            <FormAlert message=Signal::derive(move || form_message(&result.get(), &fields)) />
            <div class="flex gap-2">
                <button type="submit" class=BUTTON_PRIMARY disabled=move || set.pending().get()>
                    {if create { "Enable console access" } else { "Reset password" }}
                </button>
                <button type="button" class=BUTTON_SECONDARY on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </form>
    }
}
