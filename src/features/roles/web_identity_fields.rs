//! The create-role page's "Web identity" and "SAML 2.0 federation" choices: which of the
//! account's OpenID Connect (or SAML) providers to trust, for which audience (a SAML provider's
//! is this console's assertion consumer service), and optionally which OIDC subject only.

use leptos::prelude::*;

use super::api::{trustable_providers, TrustableProvider};
use super::trust_templates::{AUDIENCE_FIELD, PROVIDER_FIELD};
use crate::api_error::field_message;
use crate::features::entities::create_form::Outcome;
use crate::features::ui::LINK;

const SELECT: &str =
    "mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm";

#[component]
pub fn WebIdentityFields(
    provider: RwSignal<String>,
    audience: RwSignal<String>,
    subject: RwSignal<String>,
    result: Outcome,
    /// SAML providers rather than OpenID Connect ones.
    #[prop(optional)]
    saml: bool,
) -> impl IntoView {
    let providers = Resource::new(|| (), |_| trustable_providers());
    view! {
        <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading identity providers…"</p> }>
            {move || Suspend::new(async move {
                match providers.await.map(|all| all.into_iter().filter(|p| p.saml == saml).collect::<Vec<_>>()) {
                    Ok(list) if list.is_empty() => view! {
                        <p class="text-sm text-slate-600">
                            "This account has no identity provider yet. "
                            <a class=LINK href="/identity-providers">"Add one"</a>
                            " first."
                        </p>
                    }.into_any(),
                    Ok(list) => view! { <Choices providers=list provider audience subject result saml /> }.into_any(),
                    Err(error) => view! { <p class="text-sm text-red-700" role="alert">{error.message}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Choices(
    providers: Vec<TrustableProvider>,
    provider: RwSignal<String>,
    audience: RwSignal<String>,
    subject: RwSignal<String>,
    result: Outcome,
    saml: bool,
) -> impl IntoView {
    let providers = StoredValue::new(providers);
    let audiences = move || {
        providers.with_value(|all| {
            all.iter()
                .find(|p| p.arn == provider.get())
                .map(|p| p.audiences.clone())
                .unwrap_or_default()
        })
    };
    let pick = move |arn: String| {
        provider.set(arn);
        audience.set(audiences().into_iter().next().unwrap_or_default());
    };
    if provider.get_untracked().is_empty() {
        if let Some(first) = providers.with_value(|all| all.first().map(|p| p.arn.clone())) {
            pick(first);
        }
    }
    view! {
        <div class="grid max-w-3xl gap-4 md:grid-cols-3">
            <label class="block text-sm font-medium text-slate-700">
                "Identity provider"
                <select id=format!("field-{PROVIDER_FIELD}") class=SELECT on:change=move |ev| pick(event_target_value(&ev))>
                    {providers.get_value().into_iter().map(|p| {
                        let arn = p.arn.clone();
                        view! { <option value=p.arn.clone() selected=move || provider.get() == arn>{p.url}</option> }
                    }).collect_view()}
                </select>
                <span class="text-sm font-normal text-red-700" role="alert">{move || field_message(&result.get(), PROVIDER_FIELD)}</span>
            </label>
            <label class="block text-sm font-medium text-slate-700">
                {if saml { "Assertion consumer service (SAML:aud)" } else { "Audience" }}
                <select id=format!("field-{AUDIENCE_FIELD}") class=SELECT on:change=move |ev| audience.set(event_target_value(&ev))>
                    {move || audiences().into_iter().map(|a| {
                        let value = a.clone();
                        let shown = a.clone();
                        view! { <option value=a selected=move || audience.get() == value>{shown}</option> }
                    }).collect_view()}
                </select>
                <span class="text-sm font-normal text-red-700" role="alert">{move || field_message(&result.get(), AUDIENCE_FIELD)}</span>
            </label>
            <label class="block text-sm font-medium text-slate-700" class:hidden=saml>
                "Subject (optional)"
                <input
                    type="text"
                    class="mt-1 block w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm"
                    placeholder="only this sub claim"
                    prop:value=move || subject.get()
                    on:input=move |ev| subject.set(event_target_value(&ev))
                />
            </label>
        </div>
    }
}
