//! The account's identity: its ID, its alias (create, change, delete, with AWS's rules and
//! errors) and the sign-in URL for its IAM users.

use crate::catalog::Op;
use leptos::prelude::*;

use super::api::{get_account_identity, AccountIdentity, DeleteAccountAlias, SetAccountAlias};
use crate::api_error::{field_message, form_message};
use crate::features::console::error_view::ApiErrorView;
use crate::features::credentials::refresh::count_successes;
use crate::features::entities::denials::Denials;
use crate::features::entities::permissions_tab::failure;
use crate::features::ui::confirm_button::ConfirmButton;
use crate::features::ui::{
    dashed_account_id, CopyButton, FormAlert, GatedButton, Panel, TextField, BUTTON_PRIMARY,
    BUTTON_SECONDARY,
};

#[component]
pub fn AliasPanel() -> impl IntoView {
    let set = ServerAction::<SetAccountAlias>::new();
    let delete = ServerAction::<DeleteAccountAlias>::new();
    let changes = RwSignal::new(0u32);
    count_successes(changes, set.value());
    count_successes(changes, delete.value());
    let identity = Resource::new(move || changes.get(), |_| get_account_identity());
    view! {
        <Panel title="Account">
            <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match identity.await {
                        Ok(gated) => view! { <IdentityView identity=gated.value denials=gated.denials set delete /> }.into_any(),
                        Err(error) => view! { <ApiErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
        </Panel>
    }
}

#[component]
fn IdentityView(
    identity: AccountIdentity,
    denials: Denials,
    set: ServerAction<SetAccountAlias>,
    delete: ServerAction<DeleteAccountAlias>,
) -> impl IntoView {
    // The browser knows the address it reached us at; the server may sit behind a proxy.
    let origin = RwSignal::new(String::new());
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        origin.set(window().location().origin().unwrap_or_default());
    });
    let path = identity.sign_in_path();
    let sign_in_url = Signal::derive(move || format!("{}{}", origin.get(), path));
    let editing = RwSignal::new(false);
    let set_denied = denials.reason(Op::CreateAccountAlias);
    let delete_denied = denials.reason(Op::DeleteAccountAlias);
    let alias = identity.alias.clone();
    let has_alias = alias.is_some();
    view! {
        <div class="space-y-4">
            <dl class="grid grid-cols-[10rem_1fr] gap-y-2 text-sm">
                <dt class="text-slate-500">"Account ID"</dt>
                <dd data-testid="account-id" class="font-mono">{dashed_account_id(&identity.account_id)}</dd>
                <dt class="text-slate-500">"Account alias"</dt>
                <dd data-testid="account-alias">{alias.clone().unwrap_or_else(|| "None".to_string())}</dd>
                <dt class="text-slate-500">"Sign-in URL for IAM users"</dt>
                <dd class="flex items-center gap-3">
                    <code data-testid="account-signin-url" class="truncate rounded bg-slate-100 px-3 py-1.5 text-sm">{move || sign_in_url.get()}</code>
                    <CopyButton text=sign_in_url label="Copy URL" />
                </dd>
            </dl>
            <div class="flex gap-2">
                <GatedButton
                    label=if has_alias { "Edit alias" } else { "Create alias" }
                    secondary=has_alias
                    denied=Signal::derive(move || set_denied.clone())
                    on_click=move |_| editing.update(|open| *open = !*open)
                    test_id="edit-alias"
                />
                {alias.clone().map(|current| view! {
                    <ConfirmButton
                        label="Delete alias"
                        confirm_label="Delete alias"
                        denied=Signal::derive(move || delete_denied.clone())
                        pending=delete.pending()
                        on_confirm=move |_| {
                            delete.dispatch(DeleteAccountAlias { account_alias: current.clone() });
                        }
                    />
                })}
            </div>
            <FormAlert message=Signal::derive(move || failure(delete.value().get())) />
            <Show when=move || editing.get()>
                <AliasForm current=alias.clone().unwrap_or_default() set on_cancel=move |_| editing.set(false) />
            </Show>
        </div>
    }
}

#[component]
fn AliasForm(
    current: String,
    set: ServerAction<SetAccountAlias>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let typed = RwSignal::new(current.clone());
    let result = set.value();
    view! {
        <form
            novalidate
            class="max-w-md space-y-3 rounded-lg border border-orange-200 bg-orange-50/40 p-4"
            on:submit=move |ev| {
                ev.prevent_default();
                set.dispatch(SetAccountAlias { account_alias: typed.get_untracked() });
            }
        >
            <TextField
                label="Account alias"
                name="AccountAlias"
                value=current
                hint="3 to 63 lowercase letters, digits and hyphens; it cannot start or end with a hyphen, and must be unique across all accounts."
                on_input=move |v| typed.set(v)
                error=Signal::derive(move || field_message(&result.get(), "AccountAlias"))
            />
            <FormAlert message=Signal::derive(move || form_message(&result.get(), &["AccountAlias"])) />
            <div class="flex gap-2">
                <button type="submit" class=BUTTON_PRIMARY disabled=move || set.pending().get()>"Save alias"</button>
                <button type="button" class=BUTTON_SECONDARY on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </form>
    }
}
