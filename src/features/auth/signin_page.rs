//! `/signin`: the root user signs in with email and password.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{sign_up_open, SignIn};
use super::card::AuthCard;
use crate::api_error::{field_message, form_message};
use crate::features::ui::server_form::ServerForm;
use crate::features::ui::{FormAlert, SubmitButton, TextField};

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let result = action.value();
    let sign_up = Resource::new(|| (), |_| sign_up_open());
    view! {
        <Title text="Sign in" />
        <AuthCard title="Sign in" subtitle="Root user: the email address and password of the account owner.">
            <ServerForm action=action>
                <div class="space-y-4">
                    <TextField
                        label="Root user email address"
                        name="email"
                        input_type="email"
                        autocomplete="username"
                        required=true
                        autofocus=true
                        error=Signal::derive(move || field_message(&result.get(), "email"))
                    />
                    <TextField
                        label="Password"
                        name="password"
                        input_type="password"
                        autocomplete="current-password"
                        required=true
                        error=Signal::derive(move || field_message(&result.get(), "password"))
                    />
                    <FormAlert message=Signal::derive(move || form_message(&result.get(), &["email", "password"])) />
                    <SubmitButton label="Sign in" pending=action.pending() />
                </div>
            </ServerForm>
            <IamUserEntry />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    sign_up.await.ok().filter(|open| *open).map(|_| view! {
                        <p class="mt-6 border-t border-slate-200 pt-4 text-center text-sm text-slate-600">
                            "New to Ferriam? "
                            <a href="/signup" class="font-medium text-orange-700 hover:underline">"Create an account"</a>
                        </p>
                    })
                })}
            </Suspense>
        </AuthCard>
    }
}

/// Sends an IAM user to their account's sign-in page.
#[component]
fn IamUserEntry() -> impl IntoView {
    let account = RwSignal::new(String::new());
    let navigate = leptos_router::hooks::use_navigate();
    let go = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let target = account.get_untracked().trim().to_string();
        if !target.is_empty() {
            navigate(&format!("/signin/{target}"), Default::default());
        }
    };
    view! {
        <form on:submit=go class="mt-6 border-t border-slate-200 pt-4">
            <label for="field-iam-account" class="block text-sm font-medium text-slate-700">"IAM user? Your account ID or alias"</label>
            <div class="mt-1 flex gap-2">
                <input
                    id="field-iam-account"
                    type="text"
                    class="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
                    prop:value=move || account.get()
                    on:input=move |ev| account.set(event_target_value(&ev))
                />
                <button type="submit" class="rounded-md border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-50">"Next"</button>
            </div>
        </form>
    }
}
