//! Account identifiers: the 12-digit account ID and the account alias, with AWS's rules.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::Invalid;

/// A 12-digit AWS-style account ID.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AccountId(String);

impl AccountId {
    pub const LEN: usize = 12;

    pub fn parse(field: &str, value: &str) -> Result<Self, Invalid> {
        if value.len() == Self::LEN && value.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(value.to_string()))
        } else {
            Err(Invalid::new(
                field,
                "The account ID must be exactly 12 digits.",
            ))
        }
    }

    /// Builds a fresh ID from twelve random decimal digits. The first digit is never 0, so the ID
    /// survives tools that treat it as a number.
    pub fn from_random_digits(digits: [u8; 12]) -> Self {
        let mut id = String::with_capacity(Self::LEN);
        for (index, digit) in digits.iter().enumerate() {
            let digit = if index == 0 {
                1 + digit % 9
            } else {
                digit % 10
            };
            id.push(char::from(b'0' + digit));
        }
        Self(id)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The root user's ARN, `arn:aws:iam::123456789012:root`.
    pub fn root_arn(&self) -> String {
        format!("arn:aws:iam::{}:root", self.0)
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for AccountId {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse("AccountId", &value)
    }
}

impl From<AccountId> for String {
    fn from(id: AccountId) -> Self {
        id.0
    }
}

/// An account alias: the friendly name in the IAM users' sign-in URL.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AccountAlias(String);

impl AccountAlias {
    pub const MESSAGE: &'static str = "The account alias must be 3 to 63 characters: lowercase \
        letters, digits and single hyphens, starting and ending with a letter or digit, and not \
        all digits.";

    /// AWS's rule: `^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`, and not all digits (so it can
    /// never be mistaken for an account ID).
    pub fn parse(field: &str, value: &str) -> Result<Self, Invalid> {
        let bytes = value.as_bytes();
        let length_ok = (3..=63).contains(&bytes.len());
        let charset_ok = bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-');
        let ends_ok =
            bytes.first().is_some_and(|b| *b != b'-') && bytes.last().is_some_and(|b| *b != b'-');
        let no_double_hyphen = !value.contains("--");
        let not_all_digits = !bytes.iter().all(|b| b.is_ascii_digit());
        if length_ok && charset_ok && ends_ok && no_double_hyphen && not_all_digits {
            Ok(Self(value.to_string()))
        } else {
            Err(Invalid::new(field, Self::MESSAGE))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccountAlias {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for AccountAlias {
    type Error = Invalid;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse("AccountAlias", &value)
    }
}

impl From<AccountAlias> for String {
    fn from(alias: AccountAlias) -> Self {
        alias.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_id_accepts_exactly_twelve_digits() {
        for (input, ok) in [
            ("123456789012", true),
            ("000000000000", true),
            ("12345678901", false),
            ("1234567890123", false),
            ("12345678901a", false),
            ("", false),
            (" 23456789012", false),
        ] {
            assert_eq!(AccountId::parse("id", input).is_ok(), ok, "{input:?}");
        }
    }

    #[test]
    fn random_account_ids_never_start_with_zero() {
        for first in 0..=255u8 {
            let id = AccountId::from_random_digits([first, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 255]);
            assert_eq!(id.as_str().len(), 12);
            assert_ne!(id.as_str().as_bytes()[0], b'0');
            assert!(AccountId::parse("id", id.as_str()).is_ok());
        }
    }

    #[test]
    fn alias_follows_aws_rules() {
        let long_ok = "a".repeat(63);
        let too_long = "a".repeat(64);
        for (input, ok) in [
            ("abc", true),
            ("my-company", true),
            ("a1-b2-c3", true),
            ("123abc", true),
            (long_ok.as_str(), true),
            ("ab", false),
            (too_long.as_str(), false),
            ("-abc", false),
            ("abc-", false),
            ("a--b", false),
            ("ABC", false),
            ("my_company", false),
            ("my company", false),
            ("123456789012", false),
            ("123", false),
            ("", false),
        ] {
            assert_eq!(AccountAlias::parse("alias", input).is_ok(), ok, "{input:?}");
        }
    }

    #[test]
    fn alias_error_names_the_field() {
        let err = AccountAlias::parse("alias", "A").unwrap_err();
        assert_eq!(err.field, "alias");
        assert_eq!(err.message, AccountAlias::MESSAGE);
    }
}
