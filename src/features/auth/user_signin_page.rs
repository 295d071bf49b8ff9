//! `/signin/{account}`: an IAM user signs in to one account (named by its ID or alias) with a
//! user name and password — or through one of the identity providers the account offers for
//! single sign-on.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::api::{sso_choices, SignInUser};
use super::card::AuthCard;
use crate::api_error::{field_message, form_message};
use crate::features::ui::server_form::ServerForm;
use crate::features::ui::{FormAlert, SubmitButton, TextField};

#[component]
pub fn UserSignInPage() -> impl IntoView {
    let params = use_params_map();
    let account = move || params.read().get("account").unwrap_or_default();
    let action = ServerAction::<SignInUser>::new();
    let result = action.value();
    let choices = Resource::new(account, sso_choices);
    view! {
        <Title text="Sign in as IAM user" />
        <AuthCard title="Sign in as IAM user">
            <ServerForm action=action>
                <div class="space-y-4">
                    <div class="space-y-1">
                        <label for="field-account" class="block text-sm font-medium text-slate-700">"Account ID or alias"</label>
                        <input
                            id="field-account"
                            name="account"
                            type="text"
                            autocomplete="organization"
                            prop:value=account
                            class="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-orange-500 focus:outline-none focus:ring-2 focus:ring-orange-200"
                        />
                    </div>
                    <TextField
                        label="User name"
                        name="user_name"
                        autocomplete="username"
                        required=true
                        autofocus=true
                        error=Signal::derive(move || field_message(&result.get(), "user_name"))
                    />
                    <TextField
                        label="Password"
                        name="password"
                        input_type="password"
                        autocomplete="current-password"
                        required=true
                        error=Signal::derive(move || field_message(&result.get(), "password"))
                    />
                    <FormAlert message=Signal::derive(move || form_message(&result.get(), &["user_name", "password"])) />
                    <SubmitButton label="Sign in" pending=action.pending() />
                </div>
            </ServerForm>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let choices = choices.await.unwrap_or_default();
                    (!choices.is_empty()).then(|| view! {
                        <div class="mt-6 space-y-2 border-t border-slate-200 pt-4" data-testid="sso-choices">
                            {choices.into_iter().map(|choice| view! {
                                // A plain form: the browser posts it and goes on to the provider.
                                <form method="post" action="/sso/start">
                                    <input type="hidden" name="account" value=choice.account />
                                    <input type="hidden" name="provider" value=choice.provider />
                                    <button type="submit" class="block w-full rounded-md border border-slate-300 px-4 py-2 text-center text-sm font-medium text-slate-800 hover:bg-slate-50">
                                        {format!("Sign in with {}", choice.label)}
                                    </button>
                                </form>
                            }).collect_view()}
                        </div>
                    })
                })}
            </Suspense>
            <p class="mt-6 border-t border-slate-200 pt-4 text-center text-sm text-slate-600">
                <a href="/signin" class="font-medium text-orange-700 hover:underline">"Sign in using root user email"</a>
            </p>
        </AuthCard>
    }
}
