//! `/identity-providers/details?arn=…`: one provider — its URL and ARN, the audiences it
//! accepts, its thumbprints, console sign-in through it and its tags, each changed in place —
//! and its deletion.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{
    get_identity_provider, AddAudience, DeleteIdentityProvider, ProviderDetail, RemoveAudience,
    RemoveConsoleSignin, SetConsoleSignin, SetThumbprints, TagIdentityProvider,
    UntagIdentityProvider,
};
use super::console_signin_panel::ConsoleSigninPanel;
use crate::catalog::Op;
use crate::features::console::error_view::ApiErrorView;
use crate::features::credentials::refresh::count_successes;
use crate::features::entities::denials::Denials;
use crate::features::entities::permissions_tab::failure;
use crate::features::ui::{
    format_millis, ConfirmDelete, CopyButton, FormAlert, GatedButton, Panel,
};

#[component]
pub fn IdentityProviderPage() -> impl IntoView {
    let query = use_query_map();
    let arn = Memo::new(move |_| query.with(|q| q.get("arn").unwrap_or_default()));
    let changes = RwSignal::new(0u32);
    let page = Resource::new(
        move || (arn.get(), changes.get()),
        |(arn, _)| get_identity_provider(arn),
    );
    view! {
        <Title text="Identity provider" />
        <nav class="mb-2 text-sm"><a href="/identity-providers" class="text-orange-700 hover:underline">"Identity providers"</a></nav>
        <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(gated) => view! { <ProviderView provider=gated.value denials=gated.denials changes /> }.into_any(),
                    Err(error) => view! { <ApiErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A one-field form that dispatches `submit` with what was typed, then clears it.
#[component]
fn AddOne(
    label: &'static str,
    placeholder: &'static str,
    #[prop(into)] denied: Signal<Option<String>>,
    #[prop(into)] submit: Callback<String>,
    test_id: &'static str,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    view! {
        <form class="flex gap-2" on:submit=move |ev| {
            ev.prevent_default();
            submit.run(typed.get_untracked());
            typed.set(String::new());
        }>
            <input
                type="text"
                aria-label=label
                placeholder=placeholder
                data-testid=test_id
                class="block w-72 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
                prop:value=move || typed.get()
                on:input=move |ev| typed.set(event_target_value(&ev))
            />
            <GatedButton label=label denied button_type="submit" secondary=true />
        </form>
    }
}

#[component]
fn ProviderView(
    provider: ProviderDetail,
    denials: Denials,
    changes: RwSignal<u32>,
) -> impl IntoView {
    let add = ServerAction::<AddAudience>::new();
    let remove = ServerAction::<RemoveAudience>::new();
    let thumbprints = ServerAction::<SetThumbprints>::new();
    let tag = ServerAction::<TagIdentityProvider>::new();
    let untag = ServerAction::<UntagIdentityProvider>::new();
    let delete = ServerAction::<DeleteIdentityProvider>::new();
    let set_signin = ServerAction::<SetConsoleSignin>::new();
    let remove_signin = ServerAction::<RemoveConsoleSignin>::new();
    count_successes(changes, set_signin.value());
    count_successes(changes, remove_signin.value());
    count_successes(changes, add.value());
    count_successes(changes, remove.value());
    count_successes(changes, thumbprints.value());
    count_successes(changes, tag.value());
    count_successes(changes, untag.value());
    let denials = StoredValue::new(denials);
    let reason = move |op: Op| {
        let reason = denials.with_value(|denials| denials.reason(op));
        Signal::derive(move || reason.clone())
    };
    let problem = Signal::derive(move || {
        failure(add.value().get())
            .or_else(|| failure(remove.value().get()))
            .or_else(|| failure(thumbprints.value().get()))
            .or_else(|| failure(tag.value().get()))
            .or_else(|| failure(untag.value().get()))
            .or_else(|| failure(delete.value().get()))
            .or_else(|| failure(remove_signin.value().get()))
    });
    let confirming = RwSignal::new(false);
    let arn = StoredValue::new(provider.arn.clone());
    let remove_denied = reason(Op::RemoveClientIDFromOpenIDConnectProvider);
    let untag_denied = reason(Op::UntagOpenIDConnectProvider);
    let signin_audiences = provider.audiences.clone();
    view! {
        <div class="mb-4 flex items-start justify-between">
            <div>
                <h1 class="text-2xl font-semibold text-slate-900" data-testid="provider-url">{provider.url.clone()}</h1>
                <p class="mt-1 flex items-center gap-2 text-sm text-slate-600">
                    <code>{provider.arn.clone()}</code>
                    <CopyButton text=provider.arn.clone() label="Copy ARN" />
                </p>
                <p class="text-sm text-slate-500">{format!("Created {}", format_millis(provider.created))}</p>
            </div>
            <GatedButton label="Delete" danger=true denied=reason(Op::DeleteOpenIDConnectProvider) on_click=move |_| confirming.set(true) test_id="delete-provider" />
        </div>
        <FormAlert message=problem />
        <div class="max-w-4xl space-y-6">
            <Panel title="Audiences">
                <p class="mb-3 text-sm text-slate-600">"Client IDs whose tokens this provider is trusted for: a token's azp (or its one aud) must be one of them."</p>
                <ul class="mb-3 divide-y divide-slate-100 text-sm" data-testid="audiences">
                    {provider.audiences.iter().cloned().map(|audience| {
                        let removed = audience.clone();
                        view! {
                            <li class="flex items-center justify-between py-1.5">
                                <code>{audience}</code>
                                <GatedButton label="Remove" secondary=true denied=remove_denied on_click=move |_| {
                                    remove.dispatch(RemoveAudience { arn: arn.get_value(), audience: removed.clone() });
                                } />
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <AddOne label="Add audience" placeholder="client ID" denied=reason(Op::AddClientIDToOpenIDConnectProvider) test_id="new-audience"
                    submit=move |audience: String| { add.dispatch(AddAudience { arn: arn.get_value(), audience }); } />
            </Panel>
            <Panel title="Thumbprints">
                <p class="mb-3 text-sm text-slate-600">"Needed only when the provider's certificate chains to no trusted authority: the SHA-1 fingerprints of CA certificates it may present."</p>
                <ul class="mb-3 text-sm font-mono" data-testid="thumbprints">
                    {provider.thumbprints.iter().cloned().map(|print| view! { <li>{print}</li> }).collect_view()}
                </ul>
                <AddOne label="Replace thumbprints" placeholder="40 hex digits, comma-separated" denied=reason(Op::UpdateOpenIDConnectProviderThumbprint) test_id="new-thumbprints"
                    submit=move |thumbprints_text: String| { thumbprints.dispatch(SetThumbprints { arn: arn.get_value(), thumbprints: thumbprints_text }); } />
            </Panel>
            <ConsoleSigninPanel
                arn=provider.arn.clone()
                audiences=signin_audiences
                setup=provider.console_signin.clone()
                callback_url=provider.callback_url.clone()
                set=set_signin
                remove=remove_signin
                set_denied=reason(Op::SetOpenIDConnectProviderConsoleSignIn)
                remove_denied=reason(Op::RemoveOpenIDConnectProviderConsoleSignIn)
            />
            <Panel title="Tags">
                <ul class="mb-3 divide-y divide-slate-100 text-sm">
                    {provider.tags.iter().cloned().map(|pair| {
                        let key = pair.key.clone();
                        view! {
                            <li class="flex items-center justify-between py-1.5">
                                <span><code>{pair.key}</code>" = "<code>{pair.value}</code></span>
                                <GatedButton label="Remove" secondary=true denied=untag_denied on_click=move |_| {
                                    untag.dispatch(UntagIdentityProvider { arn: arn.get_value(), key: key.clone() });
                                } />
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <AddOne label="Add tag" placeholder="key=value" denied=reason(Op::TagOpenIDConnectProvider) test_id="new-tag"
                    submit=move |pair: String| {
                        let (key, value) = pair.split_once('=').unwrap_or((pair.as_str(), ""));
                        tag.dispatch(TagIdentityProvider { arn: arn.get_value(), key: key.trim().to_string(), value: value.trim().to_string() });
                    } />
            </Panel>
        </div>
        <Show when=move || confirming.get()>
            <ConfirmDelete
                name=provider.url.clone()
                what="identity provider"
                consequence="Roles that trust it can no longer be assumed with its tokens."
                pending=delete.pending()
                on_confirm=move |_| { delete.dispatch(DeleteIdentityProvider { arn: arn.get_value() }); }
                on_cancel=move |_| confirming.set(false)
            />
        </Show>
    }
}
