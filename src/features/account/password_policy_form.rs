//! The password policy form, with AWS's fields and ranges: minimum length (6–128), the four
//! kinds of character, expiry after 1–1,095 days (optionally needing an administrator's reset),
//! reuse prevention over 1–24 passwords, and whether users may change their own password.

use leptos::prelude::*;

use super::api::SavePasswordPolicy;
use crate::api_error::{field_message, form_message};
use crate::domain::password_policy::PasswordPolicy;
use crate::features::ui::{FormAlert, TextField, BUTTON_PRIMARY, BUTTON_SECONDARY};

const FIELDS: [&str; 3] = [
    "MinimumPasswordLength",
    "MaxPasswordAge",
    "PasswordReusePrevention",
];

/// A whole number typed into `field`, or the message for it.
fn whole_number(field: &str, text: &str) -> Result<u32, (String, String)> {
    text.trim()
        .parse()
        .map_err(|_| (field.to_string(), "Enter a whole number.".to_string()))
}

#[component]
pub fn PasswordPolicyForm(
    initial: PasswordPolicy,
    save: ServerAction<SavePasswordPolicy>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let min_length = RwSignal::new(initial.minimum_password_length.to_string());
    let upper = RwSignal::new(initial.require_uppercase_characters);
    let lower = RwSignal::new(initial.require_lowercase_characters);
    let numbers = RwSignal::new(initial.require_numbers);
    let symbols = RwSignal::new(initial.require_symbols);
    let expire = RwSignal::new(initial.max_password_age.is_some());
    let max_age = RwSignal::new(initial.max_password_age.unwrap_or(90).to_string());
    let hard_expiry = RwSignal::new(initial.hard_expiry);
    let allow_change = RwSignal::new(initial.allow_users_to_change_password);
    let prevent_reuse = RwSignal::new(initial.password_reuse_prevention.is_some());
    let reuse = RwSignal::new(initial.password_reuse_prevention.unwrap_or(5).to_string());
    // A number that does not parse is refused here, beside its field; ranges are the server's.
    let local_error = RwSignal::new(None::<(String, String)>);
    let result = save.value();
    let error_for = move |field: &'static str| {
        Signal::derive(move || match local_error.get() {
            Some((f, message)) if f == field => Some(message),
            Some(_) => None,
            None => field_message(&result.get(), field),
        })
    };
    let build = move || -> Result<PasswordPolicy, (String, String)> {
        Ok(PasswordPolicy {
            minimum_password_length: whole_number(
                "MinimumPasswordLength",
                &min_length.get_untracked(),
            )?,
            require_symbols: symbols.get_untracked(),
            require_numbers: numbers.get_untracked(),
            require_uppercase_characters: upper.get_untracked(),
            require_lowercase_characters: lower.get_untracked(),
            allow_users_to_change_password: allow_change.get_untracked(),
            max_password_age: if expire.get_untracked() {
                Some(whole_number("MaxPasswordAge", &max_age.get_untracked())?)
            } else {
                None
            },
            password_reuse_prevention: if prevent_reuse.get_untracked() {
                Some(whole_number(
                    "PasswordReusePrevention",
                    &reuse.get_untracked(),
                )?)
            } else {
                None
            },
            hard_expiry: expire.get_untracked() && hard_expiry.get_untracked(),
        })
    };
    let checkbox = move |label: &'static str, signal: RwSignal<bool>| {
        view! {
            <label class="flex items-center gap-2">
                <input type="checkbox" prop:checked=move || signal.get() on:change=move |ev| signal.set(event_target_checked(&ev)) />
                {label}
            </label>
        }
    };
    view! {
        <form
            novalidate
            class="space-y-4 rounded-lg border border-orange-200 bg-orange-50/40 p-4 text-sm"
            on:submit=move |ev| {
                ev.prevent_default();
                match build() {
                    Ok(policy) => {
                        local_error.set(None);
                        save.dispatch(SavePasswordPolicy { policy });
                    }
                    Err(error) => local_error.set(Some(error)),
                }
            }
        >
            <div class="max-w-xs">
                <TextField
                    label="Password minimum length"
                    name="MinimumPasswordLength"
                    input_mode="numeric"
                    value=min_length.get_untracked()
                    hint="6 to 128 characters."
                    on_input=move |v| min_length.set(v)
                    error=error_for("MinimumPasswordLength")
                />
            </div>
            <fieldset class="space-y-1">
                <legend class="font-medium text-slate-700">"Password strength"</legend>
                {checkbox("Require at least one uppercase letter from the Latin alphabet (A–Z)", upper)}
                {checkbox("Require at least one lowercase letter from the Latin alphabet (a–z)", lower)}
                {checkbox("Require at least one number", numbers)}
                {checkbox("Require at least one non-alphanumeric character ( ! @ # $ % ^ & * ( ) _ + - = [ ] { } | ' )", symbols)}
            </fieldset>
            <fieldset class="space-y-2">
                <legend class="font-medium text-slate-700">"Other requirements"</legend>
                {checkbox("Turn on password expiration", expire)}
                <Show when=move || expire.get()>
                    <div class="ml-6 max-w-xs space-y-2">
                        <TextField
                            label="Expiration period (days)"
                            name="MaxPasswordAge"
                            input_mode="numeric"
                            value=max_age.get_untracked()
                            hint="1 to 1,095 days."
                            on_input=move |v| max_age.set(v)
                            error=error_for("MaxPasswordAge")
                        />
                        {checkbox("Password expiration requires administrator reset", hard_expiry)}
                    </div>
                </Show>
                {checkbox("Allow users to change their own password", allow_change)}
                {checkbox("Prevent password reuse", prevent_reuse)}
                <Show when=move || prevent_reuse.get()>
                    <div class="ml-6 max-w-xs">
                        <TextField
                            label="Remember passwords"
                            name="PasswordReusePrevention"
                            input_mode="numeric"
                            value=reuse.get_untracked()
                            hint="1 to 24 passwords."
                            on_input=move |v| reuse.set(v)
                            error=error_for("PasswordReusePrevention")
                        />
                    </div>
                </Show>
            </fieldset>
            <FormAlert message=Signal::derive(move || form_message(&result.get(), &FIELDS)) />
            <div class="flex gap-2">
                <button type="submit" class=BUTTON_PRIMARY disabled=move || save.pending().get()>"Save changes"</button>
                <button type="button" class=BUTTON_SECONDARY on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_must_be_whole() {
        assert_eq!(super::whole_number("F", " 12 "), Ok(12));
        assert!(super::whole_number("F", "twelve").is_err());
        assert!(super::whole_number("F", "-1").is_err());
    }
}
