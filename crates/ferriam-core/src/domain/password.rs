//! Rules for choosing a root password (length bounds and confirmation). The IAM account
//! password policy, which applies to IAM users, builds on these.

use super::Invalid;

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 128;

/// Checks a new root password and its confirmation. Length counts characters, not bytes.
pub fn check_new_root_password(password: &str, confirmation: &str) -> Result<(), Invalid> {
    let length = password.chars().count();
    if length < MIN_LEN {
        return Err(Invalid::new(
            "password",
            format!("The password must be at least {MIN_LEN} characters."),
        ));
    }
    if length > MAX_LEN {
        return Err(Invalid::new(
            "password",
            format!("The password must be at most {MAX_LEN} characters."),
        ));
    }
    check_confirmation(password, confirmation)
}

/// The console's second typing of a new password must match the first.
pub fn check_confirmation(password: &str, confirmation: &str) -> Result<(), Invalid> {
    if password != confirmation {
        return Err(Invalid::new(
            "confirm_password",
            "The passwords do not match.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_bounds_and_confirmation() {
        let max = "p".repeat(128);
        let over = "p".repeat(129);
        let cases: [(&str, &str, Option<&str>); 7] = [
            ("correct horse", "correct horse", None),
            ("12345678", "12345678", None),
            (max.as_str(), max.as_str(), None),
            ("1234567", "1234567", Some("password")),
            (over.as_str(), over.as_str(), Some("password")),
            ("correct horse", "correct hors", Some("confirm_password")),
            ("", "", Some("password")),
        ];
        for (password, confirmation, failing_field) in cases {
            let result = check_new_root_password(password, confirmation);
            assert_eq!(
                result.err().map(|e| e.field),
                failing_field.map(String::from),
                "{password:?}"
            );
        }
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        // Eight two-byte characters are eight characters.
        let pw = "éééééééé";
        assert!(check_new_root_password(pw, pw).is_ok());
    }
}
