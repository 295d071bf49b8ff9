//! `/identity-providers/saml?arn=…`: one SAML provider — its entity ID, its signing
//! certificates and their expiry, what to give the identity provider, its metadata replaced in
//! place — and its deletion.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::metadata_input::MetadataInput;
use super::saml_api::{get_saml_provider, DeleteSamlProvider, SamlDetail, UpdateSamlProvider};
use crate::api_error::field_message;
use crate::catalog::Op;
use crate::features::console::error_view::ApiErrorView;
use crate::features::credentials::refresh::count_successes;
use crate::features::entities::denials::Denials;
use crate::features::entities::permissions_tab::failure;
use crate::features::ui::{
    format_millis, ConfirmDelete, CopyButton, FormAlert, GatedButton, Panel,
};

#[component]
pub fn SamlProviderPage() -> impl IntoView {
    let query = use_query_map();
    let arn = Memo::new(move |_| query.with(|q| q.get("arn").unwrap_or_default()));
    let changes = RwSignal::new(0u32);
    let page = Resource::new(
        move || (arn.get(), changes.get()),
        |(arn, _)| get_saml_provider(arn),
    );
    view! {
        <Title text="SAML provider" />
        <nav class="mb-2 text-sm"><a href="/identity-providers" class="text-orange-700 hover:underline">"Identity providers"</a></nav>
        <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(gated) => view! { <SamlView provider=gated.value denials=gated.denials changes /> }.into_any(),
                    Err(error) => view! { <ApiErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn SamlView(provider: SamlDetail, denials: Denials, changes: RwSignal<u32>) -> impl IntoView {
    let update = ServerAction::<UpdateSamlProvider>::new();
    let delete = ServerAction::<DeleteSamlProvider>::new();
    count_successes(changes, update.value());
    let denials = StoredValue::new(denials);
    let reason = move |op: Op| {
        let reason = denials.with_value(|denials| denials.reason(op));
        Signal::derive(move || reason.clone())
    };
    let problem = Signal::derive(move || {
        failure(delete.value().get()).or_else(|| {
            let result = update.value().get();
            failure(result)
                .filter(|_| field_message(&update.value().get(), "SAMLMetadataDocument").is_none())
        })
    });
    let metadata = RwSignal::new(String::new());
    let metadata_error =
        Signal::derive(move || field_message(&update.value().get(), "SAMLMetadataDocument"));
    let confirming = RwSignal::new(false);
    let arn = StoredValue::new(provider.arn.clone());
    view! {
        <div class="mb-4 flex items-start justify-between">
            <div>
                <h1 class="text-2xl font-semibold text-slate-900" data-testid="saml-provider-name">{provider.name.clone()}</h1>
                <p class="mt-1 flex items-center gap-2 text-sm text-slate-600">
                    <code>{provider.arn.clone()}</code>
                    <CopyButton text=provider.arn.clone() label="Copy ARN" />
                </p>
                <p class="text-sm text-slate-500">
                    {format!("Created {} · metadata valid until {}", format_millis(provider.created), format_millis(provider.valid_until))}
                </p>
            </div>
            <GatedButton label="Delete" danger=true denied=reason(Op::DeleteSAMLProvider) on_click=move |_| confirming.set(true) test_id="delete-saml-provider" />
        </div>
        <FormAlert message=problem />
        <div class="max-w-4xl space-y-6">
            <Panel title="Identity provider">
                <dl class="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
                    <dt class="text-slate-500">"Entity ID (the assertions' Issuer)"</dt>
                    <dd><code data-testid="saml-entity-id">{provider.entity_id.clone()}</code></dd>
                </dl>
                <table class="mt-3 w-full text-left text-sm" data-testid="saml-certificates">
                    <caption class="mb-1 text-left text-sm font-medium text-slate-700">"Signing certificates"</caption>
                    <thead class="text-xs uppercase text-slate-500"><tr><th class="py-1">"Subject"</th><th>"Expires"</th></tr></thead>
                    <tbody class="divide-y divide-slate-100">
                        {provider.certificates.iter().cloned().map(|certificate| view! {
                            <tr>
                                <td class="py-1"><code>{certificate.subject}</code></td>
                                <td class=if certificate.expired { "text-red-700" } else { "text-slate-600" }>
                                    {format_millis(certificate.expires)}{certificate.expired.then_some(" (expired)")}
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </Panel>
            <Panel title="Give your identity provider">
                <p class="mb-2 text-sm text-slate-600">"Set Ferriam up at the identity provider as a service provider with this metadata (or these two values), and send the Role and RoleSessionName attributes, as for AWS."</p>
                <dl class="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
                    <dt class="text-slate-500">"Metadata and entity ID"</dt>
                    <dd><a class="text-orange-700 hover:underline" href=provider.sp_metadata_url.clone()><code>{provider.sp_metadata_url.clone()}</code></a></dd>
                    <dt class="text-slate-500">"Assertion consumer service (HTTP-POST)"</dt>
                    <dd><code data-testid="saml-acs-url">{provider.acs_url.clone()}</code></dd>
                    <dt class="text-slate-500">"Role attribute value"</dt>
                    <dd><code>{format!("arn:aws:iam::{}:role/ROLE-NAME,{}", provider.arn.split(':').nth(4).unwrap_or_default(), provider.arn)}</code></dd>
                </dl>
            </Panel>
            <Panel title="Replace metadata">
                <p class="mb-2 text-sm text-slate-600">"When the identity provider rolls its signing keys, upload its new metadata: the certificates above are replaced."</p>
                <form class="max-w-2xl space-y-3" on:submit=move |ev| {
                    ev.prevent_default();
                    update.dispatch(UpdateSamlProvider { arn: arn.get_value(), metadata: metadata.get_untracked() });
                }>
                    <MetadataInput value=metadata error=metadata_error />
                    <GatedButton label="Replace metadata" denied=reason(Op::UpdateSAMLProvider) button_type="submit" secondary=true test_id="replace-saml-metadata" />
                </form>
            </Panel>
        </div>
        <Show when=move || confirming.get()>
            <ConfirmDelete
                name=provider.name.clone()
                what="SAML provider"
                consequence="Its responses no longer sign anyone in, and roles that trust it can no longer be assumed with them."
                pending=delete.pending()
                on_confirm=move |_| { delete.dispatch(DeleteSamlProvider { arn: arn.get_value() }); }
                on_cancel=move |_| confirming.set(false)
            />
        </Show>
    }
}
