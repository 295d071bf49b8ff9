//! `/identity-providers`: the account's OpenID Connect providers and the form that adds one,
//! then its SAML 2.0 providers (`saml_panel`).

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{list_identity_providers, CreateIdentityProvider, ProviderSummary};
use super::provider_href;
use super::saml_panel::SamlProvidersPanel;
use crate::api_error::{field_message, form_message};
use crate::features::console::error_view::ApiErrorView;
use crate::features::ui::server_form::ServerForm;
use crate::features::ui::{
    format_millis, FormAlert, GatedButton, PageHeader, Panel, TextField, BUTTON_PRIMARY, LINK,
};

const FIELDS: &[&str] = &["Url", "ClientIDList", "ThumbprintList"];

#[component]
pub fn IdentityProvidersPage() -> impl IntoView {
    let providers = Resource::new(|| (), |_| list_identity_providers());
    let adding = RwSignal::new(false);
    view! {
        <Title text="Identity providers" />
        <div class="flex items-start justify-between">
            <PageHeader
                title="Identity providers"
                subtitle="Identity providers roles of this account may trust: OpenID Connect providers, whose ID tokens buy role credentials (AssumeRoleWithWebIdentity) — Keycloak, GitLab, GitHub Actions, Kubernetes service accounts and others — and SAML 2.0 directories."
            />
            <Transition fallback=move || view! { <GatedButton label="Add provider" denied=Some("Checking your permissions…".to_string()) /> }>
                {move || Suspend::new(async move {
                    let denied = providers
                        .await
                        .map_or(None, |gated| gated.denials.reason(crate::catalog::Op::CreateOpenIDConnectProvider));
                    view! { <GatedButton label="Add provider" denied on_click=move |_| adding.update(|open| *open = !*open) test_id="add-provider" /> }
                })}
            </Transition>
        </div>
        <div class="space-y-6">
            <Show when=move || adding.get()>
                <AddProviderForm />
            </Show>
            <Panel title="OpenID Connect providers">
                <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match providers.await {
                            Ok(gated) => view! { <ProviderTable providers=gated.value /> }.into_any(),
                            Err(error) => view! { <ApiErrorView error /> }.into_any(),
                        }
                    })}
                </Transition>
            </Panel>
            <SamlProvidersPanel />
        </div>
    }
}

#[component]
fn ProviderTable(providers: Vec<ProviderSummary>) -> impl IntoView {
    if providers.is_empty() {
        return view! { <p class="text-sm text-slate-600">"No identity providers yet."</p> }
            .into_any();
    }
    view! {
        <table class="w-full text-left text-sm">
            <thead class="text-xs uppercase text-slate-500">
                <tr><th class="py-2">"Provider URL"</th><th>"Audiences"</th><th>"Created"</th></tr>
            </thead>
            <tbody class="divide-y divide-slate-100">
                {providers.into_iter().map(|provider| view! {
                    <tr>
                        <td class="py-2"><a class=LINK href=provider_href(&provider.arn)>{provider.url.clone()}</a></td>
                        <td>{provider.audiences.join(", ")}</td>
                        <td class="text-slate-600">{format_millis(provider.created)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn AddProviderForm() -> impl IntoView {
    let create = ServerAction::<CreateIdentityProvider>::new();
    let result = create.value();
    let error =
        move |field: &'static str| Signal::derive(move || field_message(&result.get(), field));
    view! {
        <Panel title="Add an OpenID Connect provider">
            <ServerForm action=create>
                <div class="max-w-xl space-y-4">
                    <TextField
                        label="Provider URL"
                        name="url"
                        hint="The issuer, exactly as its tokens' iss claim spells it: https:// and a host, optionally a path; no port."
                        error=error("Url")
                    />
                    <TextField
                        label="Audiences"
                        name="audiences"
                        hint="The client IDs tokens are issued to (their aud or azp claim), separated by commas. At most 100."
                        error=error("ClientIDList")
                    />
                    <TextField
                        label="Thumbprints (optional)"
                        name="thumbprints"
                        hint="Only for a provider whose certificate no trusted authority signs: the SHA-1 fingerprint (40 hex digits) of the CA certificate it presents. At most 5."
                        error=error("ThumbprintList")
                    />
                    <FormAlert message=Signal::derive(move || form_message(&result.get(), FIELDS)) />
                    <button type="submit" class=BUTTON_PRIMARY disabled=move || create.pending().get()>"Add provider"</button>
                </div>
            </ServerForm>
        </Panel>
    }
}
