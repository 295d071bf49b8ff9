//! `/signup`: creates an account and its root user, then signs the root user in.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::CreateAccount;
use super::card::AuthCard;
use crate::api_error::{field_message, form_message};
use crate::features::ui::server_form::ServerForm;
use crate::features::ui::{FormAlert, SubmitButton, TextField};

const FIELDS: [&str; 4] = ["email", "password", "confirm_password", "alias"];

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = ServerAction::<CreateAccount>::new();
    let result = action.value();
    let error_for =
        move |field: &'static str| Signal::derive(move || field_message(&result.get(), field));
    view! {
        <Title text="Create account" />
        <AuthCard title="Create account" subtitle="You become the account's root user, who can do everything in it.">
            <ServerForm action=action>
                <div class="space-y-4">
                    <TextField
                        label="Root user email address"
                        name="email"
                        input_type="email"
                        autocomplete="username"
                        required=true
                        autofocus=true
                        error=error_for("email")
                    />
                    <TextField
                        label="Root user password"
                        name="password"
                        input_type="password"
                        autocomplete="new-password"
                        hint="8 to 128 characters."
                        required=true
                        error=error_for("password")
                    />
                    <TextField
                        label="Confirm password"
                        name="confirm_password"
                        input_type="password"
                        autocomplete="new-password"
                        required=true
                        error=error_for("confirm_password")
                    />
                    <TextField
                        label="Account alias (optional)"
                        name="alias"
                        hint="A friendly name for your IAM users' sign-in URL: 3 to 63 lowercase letters, digits and single hyphens."
                        error=error_for("alias")
                    />
                    <FormAlert message=Signal::derive(move || form_message(&result.get(), &FIELDS)) />
                    <SubmitButton label="Create account" pending=action.pending() />
                </div>
            </ServerForm>
            <p class="mt-6 border-t border-slate-200 pt-4 text-center text-sm text-slate-600">
                "Already have an account? "
                <a href="/signin" class="font-medium text-orange-700 hover:underline">"Sign in"</a>
            </p>
        </AuthCard>
    }
}
