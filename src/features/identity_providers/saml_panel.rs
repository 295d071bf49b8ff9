//! The identity providers page's SAML part: the account's SAML 2.0 providers and the form that
//! registers one from its metadata.

use leptos::prelude::*;

use super::metadata_input::MetadataInput;
use super::saml_api::{list_saml_providers, CreateSamlProvider, SamlSummary};
use super::saml_href;
use crate::api_error::{field_message, form_message};
use crate::features::console::error_view::ApiErrorView;
use crate::features::ui::server_form::ServerForm;
use crate::features::ui::{
    format_millis, FormAlert, GatedButton, Panel, TextField, BUTTON_PRIMARY, LINK,
};

const FIELDS: &[&str] = &["Name", "SAMLMetadataDocument"];

#[component]
pub fn SamlProvidersPanel() -> impl IntoView {
    let providers = Resource::new(|| (), |_| list_saml_providers());
    let adding = RwSignal::new(false);
    view! {
        <Panel title="SAML 2.0 providers">
            <div class="mb-3 flex items-start justify-between gap-4">
                <p class="text-sm text-slate-600">"Corporate directories (AD FS, Entra ID, Okta, Keycloak, Shibboleth…) whose signed SAML responses sign people into the console and buy role credentials (AssumeRoleWithSAML)."</p>
                <Transition fallback=move || view! { <GatedButton label="Add SAML provider" denied=Some("Checking your permissions…".to_string()) /> }>
                    {move || Suspend::new(async move {
                        let denied = providers
                            .await
                            .map_or(None, |gated| gated.denials.reason(crate::catalog::Op::CreateSAMLProvider));
                        view! { <GatedButton label="Add SAML provider" denied on_click=move |_| adding.update(|open| *open = !*open) test_id="add-saml-provider" /> }
                    })}
                </Transition>
            </div>
            <Show when=move || adding.get()>
                <AddSamlProviderForm />
            </Show>
            <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match providers.await {
                        Ok(gated) => view! { <SamlTable providers=gated.value /> }.into_any(),
                        Err(error) => view! { <ApiErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
        </Panel>
    }
}

#[component]
fn SamlTable(providers: Vec<SamlSummary>) -> impl IntoView {
    if providers.is_empty() {
        return view! { <p class="text-sm text-slate-600">"No SAML providers yet."</p> }.into_any();
    }
    view! {
        <table class="w-full text-left text-sm" data-testid="saml-providers">
            <thead class="text-xs uppercase text-slate-500">
                <tr><th class="py-2">"Name"</th><th>"Valid until"</th><th>"Created"</th></tr>
            </thead>
            <tbody class="divide-y divide-slate-100">
                {providers.into_iter().map(|provider| view! {
                    <tr>
                        <td class="py-2"><a class=LINK href=saml_href(&provider.arn)>{provider.name.clone()}</a></td>
                        <td class="text-slate-600">{format_millis(provider.valid_until)}</td>
                        <td class="text-slate-600">{format_millis(provider.created)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn AddSamlProviderForm() -> impl IntoView {
    let create = ServerAction::<CreateSamlProvider>::new();
    let result = create.value();
    let metadata = RwSignal::new(String::new());
    let error =
        move |field: &'static str| Signal::derive(move || field_message(&result.get(), field));
    view! {
        <div class="mb-4 rounded-md border border-slate-200 p-4">
            <ServerForm action=create>
                <div class="max-w-2xl space-y-4">
                    <TextField
                        label="Name"
                        name="name"
                        hint="Names the provider's ARN (…:saml-provider/NAME): letters, digits and . _ -"
                        error=error("Name")
                    />
                    <MetadataInput value=metadata error=error("SAMLMetadataDocument") />
                    <FormAlert message=Signal::derive(move || form_message(&result.get(), FIELDS)) />
                    <button type="submit" class=BUTTON_PRIMARY disabled=move || create.pending().get()>"Add SAML provider"</button>
                </div>
            </ServerForm>
        </div>
    }
}
