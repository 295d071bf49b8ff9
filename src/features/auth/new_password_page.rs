//! `/signin/step/new-password`: an IAM user whose password must be reset, or has expired,
//! chooses a new one before reaching the console.

use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{new_password_rules, SetNewPassword};
use super::card::AuthCard;
use crate::api_error::{field_message, form_message};
use crate::domain::password_policy::{PasswordPolicy, SYMBOLS};
use crate::features::ui::server_form::ServerForm;
use crate::features::ui::{FormAlert, SubmitButton, TextField};

#[component]
pub fn NewPasswordPage() -> impl IntoView {
    let action = ServerAction::<SetNewPassword>::new();
    let result = action.value();
    let rules = Resource::new(|| (), |_| new_password_rules());
    view! {
        <Title text="Set a new password" />
        <AuthCard title="Set a new password">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    rules.await.ok().map(|rules| view! {
                        <p class="mb-4 text-sm text-slate-700">
                            {if rules.expired {
                                format!("The password of {} has expired. Choose a new one to continue.", rules.user_name)
                            } else {
                                format!("Your administrator asks {} to choose a new password.", rules.user_name)
                            }}
                        </p>
                        <PasswordRules policy=rules.policy />
                    })
                })}
            </Suspense>
            <ServerForm action=action>
                <div class="space-y-4">
                    <TextField
                        label="New password"
                        name="new_password"
                        input_type="password"
                        autocomplete="new-password"
                        required=true
                        autofocus=true
                        error=Signal::derive(move || field_message(&result.get(), "new_password"))
                    />
                    <TextField
                        label="Confirm new password"
                        name="confirm_password"
                        input_type="password"
                        autocomplete="new-password"
                        required=true
                        error=Signal::derive(move || field_message(&result.get(), "confirm_password"))
                    />
                    <FormAlert message=Signal::derive(move || form_message(&result.get(), &["new_password", "confirm_password"])) />
                    <SubmitButton label="Set password and continue" pending=action.pending() />
                </div>
            </ServerForm>
        </AuthCard>
    }
}

/// The rules a new password must meet, in words.
#[component]
pub fn PasswordRules(policy: Option<PasswordPolicy>) -> impl IntoView {
    let rules: Vec<String> = match policy {
        None => vec![
            "At least 8 characters".to_string(),
            "At least three of: uppercase letters, lowercase letters, numbers and symbols"
                .to_string(),
            "Not the account's name or email address".to_string(),
        ],
        Some(policy) => {
            let mut rules = vec![format!(
                "At least {} characters",
                policy.minimum_password_length
            )];
            if policy.require_uppercase_characters {
                rules.push("At least one uppercase letter (A–Z)".to_string());
            }
            if policy.require_lowercase_characters {
                rules.push("At least one lowercase letter (a–z)".to_string());
            }
            if policy.require_numbers {
                rules.push("At least one number (0–9)".to_string());
            }
            if policy.require_symbols {
                rules.push(format!("At least one symbol ({SYMBOLS})"));
            }
            if let Some(n) = policy.password_reuse_prevention {
                rules.push(format!("Not one of your last {n} passwords"));
            }
            rules
        }
    };
    view! {
        <ul data-testid="password-rules" class="mb-4 list-disc space-y-1 pl-5 text-sm text-slate-600">
            {rules.into_iter().map(|rule| view! { <li>{rule}</li> }).collect_view()}
        </ul>
    }
}
