//! `/signin/step/mfa`: after a correct password, the code from the authenticator app.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::VerifyMfaCode;
use super::card::AuthCard;
use crate::api_error::{field_message, form_message};
use crate::features::ui::server_form::ServerForm;
use crate::features::ui::{FormAlert, SubmitButton, TextField};

#[component]
pub fn MfaSignInPage() -> impl IntoView {
    let action = ServerAction::<VerifyMfaCode>::new();
    let result = action.value();
    view! {
        <Title text="Multi-factor authentication" />
        <AuthCard title="Multi-factor authentication" subtitle="Enter the 6-digit code shown by your authenticator app.">
            <ServerForm action=action>
                <div class="space-y-4">
                    <TextField
                        label="MFA code"
                        name="code"
                        autocomplete="one-time-code"
                        input_mode="numeric"
                        max_length=6
                        required=true
                        autofocus=true
                        error=Signal::derive(move || field_message(&result.get(), "code"))
                    />
                    <FormAlert message=Signal::derive(move || form_message(&result.get(), &["code"])) />
                    <SubmitButton label="Verify" pending=action.pending() />
                </div>
            </ServerForm>
            <p class="mt-6 border-t border-slate-200 pt-4 text-center text-sm text-slate-600">
                <a href="/signin" class="font-medium text-orange-700 hover:underline">"Start over"</a>
            </p>
        </AuthCard>
    }
}
