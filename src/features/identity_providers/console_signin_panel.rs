//! The provider page's "Console sign-in" panel: single sign-on into this account's console
//! through the provider — the client Ferriam is there (one of the audiences) and its secret,
//! the button's words, the claim that names sessions, and the redirect URI to register.

use leptos::prelude::*;

use super::api::{ConsoleSigninSetup, RemoveConsoleSignin, SetConsoleSignin};
use crate::api_error::{field_message, form_message};
use crate::features::ui::server_form::ServerForm;
use crate::features::ui::{CopyButton, FormAlert, GatedButton, Panel, TextField};

const FIELDS: [&str; 4] = ["Label", "ClientId", "ClientSecret", "NameClaim"];

#[component]
pub fn ConsoleSigninPanel(
    arn: String,
    audiences: Vec<String>,
    setup: Option<ConsoleSigninSetup>,
    callback_url: String,
    set: ServerAction<SetConsoleSignin>,
    remove: ServerAction<RemoveConsoleSignin>,
    #[prop(into)] set_denied: Signal<Option<String>>,
    #[prop(into)] remove_denied: Signal<Option<String>>,
) -> impl IntoView {
    let result = set.value();
    let field =
        move |name: &'static str| Signal::derive(move || field_message(&result.get(), name));
    let is_set = setup.is_some();
    let current = setup.clone().unwrap_or(ConsoleSigninSetup {
        label: String::new(),
        client_id: audiences.first().cloned().unwrap_or_default(),
        name_claim: "email".to_string(),
    });
    let remove_arn = arn.clone();
    view! {
        <Panel title="Console sign-in">
            <p class="mb-3 text-sm text-slate-600">
                {if is_set {
                    "People signed in at this provider can open this account's console, as a role whose trust policy allows their identity. The account's sign-in page shows the button."
                } else {
                    "Let people signed in at this provider open this account's console as a role whose trust policy allows their identity, with no IAM user or password here."
                }}
            </p>
            <p class="mb-3 flex flex-wrap items-center gap-2 text-sm text-slate-600">
                "Redirect URI to register at the provider: "
                <code data-testid="callback-url">{callback_url.clone()}</code>
                <CopyButton text=callback_url label="Copy redirect URI" />
            </p>
            <ServerForm action=set>
                <input type="hidden" name="arn" value=arn />
                <div class="grid max-w-xl gap-3">
                    <TextField label="Button label" name="label" value=current.label hint="Shown as “Sign in with …”." error=field("Label") />
                    <div class="space-y-1">
                        <label for="field-client-id" class="block text-sm font-medium text-slate-700">"Client ID (an audience)"</label>
                        <select id="field-client-id" name="client_id" class="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm">
                            {audiences.into_iter().map(|audience| {
                                let selected = audience == current.client_id;
                                view! { <option value=audience.clone() selected=selected>{audience.clone()}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <TextField
                        label="Client secret"
                        name="client_secret"
                        input_type="password"
                        autocomplete="new-password"
                        hint=if is_set { "Stored encrypted and never shown. Leave empty to keep it." } else { "Stored encrypted and never shown." }
                        error=field("ClientSecret")
                    />
                    <TextField label="Claim that names the session" name="name_claim" value=current.name_claim hint="Such as email, preferred_username or sub." error=field("NameClaim") />
                    <FormAlert message=Signal::derive(move || form_message(&result.get(), &FIELDS)) />
                    <div class="flex gap-2">
                        <GatedButton label=if is_set { "Save console sign-in" } else { "Turn on console sign-in" } button_type="submit" denied=set_denied test_id="save-console-signin" />
                        {is_set.then(|| view! {
                            <GatedButton label="Turn off" secondary=true denied=remove_denied test_id="remove-console-signin"
                                on_click=move |_| { remove.dispatch(RemoveConsoleSignin { arn: remove_arn.clone() }); } />
                        })}
                    </div>
                </div>
            </ServerForm>
        </Panel>
    }
}
