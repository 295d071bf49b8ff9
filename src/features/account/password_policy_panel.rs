//! The account password policy: the rules in force (the policy's, or AWS's default rules when
//! there is none), editing them, and deleting the policy to go back to the defaults.

use crate::catalog::Op;
use leptos::prelude::*;

use super::api::{get_password_policy, DeletePasswordPolicy, SavePasswordPolicy};
use super::password_policy_form::PasswordPolicyForm;
use crate::domain::password_policy::PasswordPolicy;
use crate::features::console::error_view::ApiErrorView;
use crate::features::credentials::refresh::count_successes;
use crate::features::entities::denials::Denials;
use crate::features::entities::permissions_tab::failure;
use crate::features::ui::confirm_button::ConfirmButton;
use crate::features::ui::{FormAlert, GatedButton, Panel};

#[component]
pub fn PasswordPolicyPanel() -> impl IntoView {
    let save = ServerAction::<SavePasswordPolicy>::new();
    let delete = ServerAction::<DeletePasswordPolicy>::new();
    let changes = RwSignal::new(0u32);
    count_successes(changes, save.value());
    count_successes(changes, delete.value());
    let policy = Resource::new(move || changes.get(), |_| get_password_policy());
    view! {
        <Panel title="Password policy">
            <Transition fallback=|| view! { <p class="text-sm text-slate-500">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match policy.await {
                        Ok(gated) => view! { <PolicyView policy=gated.value denials=gated.denials save delete /> }.into_any(),
                        Err(error) => view! { <ApiErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
        </Panel>
    }
}

#[component]
fn PolicyView(
    policy: Option<PasswordPolicy>,
    denials: Denials,
    save: ServerAction<SavePasswordPolicy>,
    delete: ServerAction<DeletePasswordPolicy>,
) -> impl IntoView {
    let editing = RwSignal::new(false);
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(()))) {
            editing.set(false);
        }
    });
    let edit_denied = denials.reason(Op::UpdateAccountPasswordPolicy);
    let delete_denied = denials.reason(Op::DeleteAccountPasswordPolicy);
    let custom = policy.is_some();
    let rules = rules(policy.as_ref());
    let initial = policy.unwrap_or_default();
    view! {
        <div class="space-y-4">
            <p class="text-sm text-slate-600">
                {if custom { "IAM users' passwords must meet these rules:" } else { "This account uses the default rules:" }}
            </p>
            <ul class="list-disc space-y-1 pl-5 text-sm text-slate-800" data-testid="password-rules">
                {rules.into_iter().map(|rule| view! { <li>{rule}</li> }).collect_view()}
            </ul>
            <div class="flex gap-2">
                <GatedButton
                    label="Edit"
                    denied=Signal::derive(move || edit_denied.clone())
                    on_click=move |_| editing.update(|open| *open = !*open)
                    test_id="edit-password-policy"
                />
                {custom.then(|| view! {
                    <ConfirmButton
                        label="Use default rules"
                        confirm_label="Delete the policy"
                        denied=Signal::derive(move || delete_denied.clone())
                        pending=delete.pending()
                        on_confirm=move |_| {
                            delete.dispatch(DeletePasswordPolicy {});
                        }
                    />
                })}
            </div>
            <FormAlert message=Signal::derive(move || failure(delete.value().get())) />
            <Show when=move || editing.get()>
                <PasswordPolicyForm initial=initial.clone() save on_cancel=move |_| editing.set(false) />
            </Show>
        </div>
    }
}

/// The rules in force, in words.
fn rules(policy: Option<&PasswordPolicy>) -> Vec<String> {
    let Some(policy) = policy else {
        return vec![
            "At least 8 characters".into(),
            "At least three of: uppercase letters, lowercase letters, numbers, symbols".into(),
            "Not identical to the account name or email address".into(),
            "Passwords never expire".into(),
        ];
    };
    let mut rules = vec![format!(
        "At least {} characters",
        policy.minimum_password_length
    )];
    for (on, text) in [
        (
            policy.require_uppercase_characters,
            "At least one uppercase letter (A–Z)",
        ),
        (
            policy.require_lowercase_characters,
            "At least one lowercase letter (a–z)",
        ),
        (policy.require_numbers, "At least one number (0–9)"),
        (
            policy.require_symbols,
            "At least one symbol: ! @ # $ % ^ & * ( ) _ + - = [ ] { } | '",
        ),
    ] {
        if on {
            rules.push(text.to_string());
        }
    }
    rules.push(match policy.max_password_age {
        Some(days) if policy.hard_expiry => format!(
            "Passwords expire after {days} days; an expired password must be reset by an administrator"
        ),
        Some(days) => format!("Passwords expire after {days} days"),
        None => "Passwords never expire".to_string(),
    });
    if let Some(count) = policy.password_reuse_prevention {
        rules.push(format!("The last {count} passwords cannot be reused"));
    }
    rules.push(if policy.allow_users_to_change_password {
        "Users may change their own password".to_string()
    } else {
        "Users may not change their own password (unless a policy grants iam:ChangePassword)"
            .to_string()
    });
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_describe_the_policy_or_the_defaults() {
        assert_eq!(rules(None)[0], "At least 8 characters");
        let policy = PasswordPolicy {
            minimum_password_length: 14,
            require_numbers: true,
            max_password_age: Some(90),
            hard_expiry: true,
            password_reuse_prevention: Some(5),
            ..PasswordPolicy::default()
        };
        let words = rules(Some(&policy));
        assert_eq!(words[0], "At least 14 characters");
        assert!(words.contains(&"At least one number (0–9)".to_string()));
        assert!(words
            .iter()
            .any(|r| r.starts_with("Passwords expire after 90 days; an expired")));
        assert!(words.contains(&"The last 5 passwords cannot be reused".to_string()));
    }
}
