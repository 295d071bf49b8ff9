//! The account password policy for IAM users: its settings with AWS's ranges, and the check of
//! a new password against it (or, with no policy, against AWS's default rules), in AWS's words.

use serde::{Deserialize, Serialize};

use super::iam_names::constraint_message;
use super::Invalid;

/// The symbols AWS counts for `RequireSymbols`.
pub const SYMBOLS: &str = "!@#$%^&*()_+-=[]{}|'";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    pub minimum_password_length: u32,
    pub require_symbols: bool,
    pub require_numbers: bool,
    pub require_uppercase_characters: bool,
    pub require_lowercase_characters: bool,
    pub allow_users_to_change_password: bool,
    /// Days a password stays valid; `None` means passwords never expire.
    pub max_password_age: Option<u32>,
    /// How many previous passwords may not be reused; `None` means no check.
    pub password_reuse_prevention: Option<u32>,
    /// An expired password blocks sign-in until an administrator resets it.
    pub hard_expiry: bool,
}

impl Default for PasswordPolicy {
    /// What UpdateAccountPasswordPolicy sets for parameters that are not given.
    fn default() -> Self {
        Self {
            minimum_password_length: 6,
            require_symbols: false,
            require_numbers: false,
            require_uppercase_characters: false,
            require_lowercase_characters: false,
            allow_users_to_change_password: false,
            max_password_age: None,
            password_reuse_prevention: None,
            hard_expiry: false,
        }
    }
}

impl PasswordPolicy {
    /// AWS's ranges: minimum length 6–128, maximum age 1–1,095 days, reuse prevention 1–24.
    pub fn validate(&self) -> Result<(), Invalid> {
        if !(6..=128).contains(&self.minimum_password_length) {
            let bound = if self.minimum_password_length < 6 {
                "have value greater than or equal to 6"
            } else {
                "have value less than or equal to 128"
            };
            return Err(Invalid::new(
                "MinimumPasswordLength",
                constraint_message("minimumPasswordLength", bound),
            ));
        }
        if let Some(age) = self.max_password_age {
            if !(1..=1095).contains(&age) {
                let bound = if age < 1 {
                    "have value greater than or equal to 1"
                } else {
                    "have value less than or equal to 1095"
                };
                return Err(Invalid::new(
                    "MaxPasswordAge",
                    constraint_message("maxPasswordAge", bound),
                ));
            }
        }
        if let Some(reuse) = self.password_reuse_prevention {
            if !(1..=24).contains(&reuse) {
                let bound = if reuse < 1 {
                    "have value greater than or equal to 1"
                } else {
                    "have value less than or equal to 24"
                };
                return Err(Invalid::new(
                    "PasswordReusePrevention",
                    constraint_message("passwordReusePrevention", bound),
                ));
            }
        }
        Ok(())
    }

    pub fn expire_passwords(&self) -> bool {
        self.max_password_age.is_some()
    }
}

struct Classes {
    upper: bool,
    lower: bool,
    number: bool,
    symbol: bool,
}

fn classes(password: &str) -> Classes {
    Classes {
        upper: password.chars().any(|c| c.is_ascii_uppercase()),
        lower: password.chars().any(|c| c.is_ascii_lowercase()),
        number: password.chars().any(|c| c.is_ascii_digit()),
        symbol: password.chars().any(|c| SYMBOLS.contains(c)),
    }
}

const UPPER: &str = "Password should have at least one uppercase letter";
const LOWER: &str = "Password should have at least one lowercase letter";
const NUMBER: &str = "Password should have at least one number";
const SYMBOL: &str = "Password should have at least one symbol";

/// Checks a new password. `Err` carries AWS's PasswordPolicyViolation message naming each rule
/// the password breaks. `account_names` are the account alias/ID and root email, which the
/// default rules forbid as passwords.
pub fn check_password(
    policy: Option<&PasswordPolicy>,
    password: &str,
    account_names: &[&str],
) -> Result<(), String> {
    let length = password.chars().count();
    if length > 128 {
        return Err("Password should have a maximum length of 128".to_string());
    }
    let found = classes(password);
    let Some(policy) = policy else {
        // AWS's default: at least 8 characters, three of the four kinds, and not the account's name.
        if length < 8 {
            return Err("Password should have a minimum length of 8".to_string());
        }
        let missing: Vec<&str> = [
            (found.upper, UPPER),
            (found.lower, LOWER),
            (found.number, NUMBER),
            (found.symbol, SYMBOL),
        ]
        .into_iter()
        .filter(|(present, _)| !present)
        .map(|(_, message)| message)
        .collect();
        if missing.len() > 1 {
            return Err(format!(
                "Password should meet {} more of the following requirements: {}",
                missing.len() - 1,
                missing.join(", ")
            ));
        }
        if account_names
            .iter()
            .any(|name| !name.is_empty() && name.eq_ignore_ascii_case(password))
        {
            return Err(
                "Password should not be identical to the account name or email address".to_string(),
            );
        }
        return Ok(());
    };
    let mut broken = Vec::new();
    if length < policy.minimum_password_length as usize {
        broken.push(format!(
            "Password should have a minimum length of {}",
            policy.minimum_password_length
        ));
    }
    for (required, present, message) in [
        (policy.require_uppercase_characters, found.upper, UPPER),
        (policy.require_lowercase_characters, found.lower, LOWER),
        (policy.require_numbers, found.number, NUMBER),
        (policy.require_symbols, found.symbol, SYMBOL),
    ] {
        if required && !present {
            broken.push(message.to_string());
        }
    }
    if broken.is_empty() {
        Ok(())
    } else {
        Err(broken.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strict() -> PasswordPolicy {
        PasswordPolicy {
            minimum_password_length: 12,
            require_symbols: true,
            require_numbers: true,
            require_uppercase_characters: true,
            require_lowercase_characters: true,
            allow_users_to_change_password: true,
            max_password_age: Some(90),
            password_reuse_prevention: Some(5),
            hard_expiry: false,
        }
    }

    #[test]
    fn each_rule_is_named_when_broken() {
        let policy = strict();
        let cases: [(&str, Option<&str>); 7] = [
            ("Correct-Horse-9", None),
            ("Short-1a", Some("Password should have a minimum length of 12")),
            ("correct-horse-9", Some("Password should have at least one uppercase letter")),
            ("CORRECT-HORSE-9", Some("Password should have at least one lowercase letter")),
            ("Correct-Horse-x", Some("Password should have at least one number")),
            ("CorrectHorse99x", Some("Password should have at least one symbol")),
            (
                "short",
                Some("Password should have a minimum length of 12, Password should have at least one uppercase letter, Password should have at least one number, Password should have at least one symbol"),
            ),
        ];
        for (password, expected) in cases {
            assert_eq!(
                check_password(Some(&policy), password, &[])
                    .err()
                    .as_deref(),
                expected,
                "{password}"
            );
        }
    }

    #[test]
    fn default_rules_need_three_kinds_and_eight_characters() {
        assert!(check_password(None, "Horse-battery", &[]).is_ok());
        assert!(check_password(None, "horsebattery9!", &[]).is_ok());
        assert_eq!(
            check_password(None, "Ab1!", &[]).unwrap_err(),
            "Password should have a minimum length of 8"
        );
        assert_eq!(
            check_password(None, "horsebattery", &[]).unwrap_err(),
            "Password should meet 2 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one number, Password should have at least one symbol"
        );
        assert_eq!(
            check_password(None, "horsebattery1", &[]).unwrap_err(),
            "Password should meet 1 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one symbol"
        );
        assert!(check_password(None, "Acme-Prod1", &["acme-prod1"]).is_err());
    }

    #[test]
    fn settings_ranges() {
        let mut policy = PasswordPolicy::default();
        assert!(policy.validate().is_ok());
        for (length, ok) in [(5, false), (6, true), (128, true), (129, false)] {
            policy.minimum_password_length = length;
            assert_eq!(policy.validate().is_ok(), ok, "length {length}");
        }
        policy.minimum_password_length = 8;
        for (age, ok) in [(0, false), (1, true), (1095, true), (1096, false)] {
            policy.max_password_age = Some(age);
            assert_eq!(policy.validate().is_ok(), ok, "age {age}");
        }
        policy.max_password_age = None;
        for (reuse, ok) in [(0, false), (1, true), (24, true), (25, false)] {
            policy.password_reuse_prevention = Some(reuse);
            assert_eq!(policy.validate().is_ok(), ok, "reuse {reuse}");
        }
    }
}
