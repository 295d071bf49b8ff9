//! The root user's email address, validated with the rule AWS applies to account emails.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::Invalid;

/// An email address as AWS accepts it for an account's root user: 6–64 characters matching
/// `[^\s@]+@[^\s@]+\.[^\s@]+`. Comparison and lookup use the lowercase form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub const MESSAGE: &'static str = "Enter a valid email address, for example name@example.com.";

    pub fn parse(field: &str, value: &str) -> Result<Self, Invalid> {
        let value = value.trim();
        if (6..=64).contains(&value.chars().count()) && has_email_shape(value) {
            Ok(Self(value.to_string()))
        } else {
            Err(Invalid::new(field, Self::MESSAGE))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key under which the address is unique: two addresses that differ only in case are
    /// the same root user.
    pub fn normalized(&self) -> String {
        self.0.to_lowercase()
    }
}

fn has_email_shape(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    let Some((host, tld)) = domain.rsplit_once('.') else {
        return false;
    };
    let clean =
        |part: &str| !part.is_empty() && !part.chars().any(|c| c.is_whitespace() || c == '@');
    clean(local) && clean(host) && clean(tld)
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_shape_and_length() {
        let long = format!("{}@example.com", "a".repeat(52));
        let too_long = format!("{}@example.com", "a".repeat(53));
        for (input, ok) in [
            ("alice@example.com", true),
            ("a.b+c@sub.example.org", true),
            ("  alice@example.com ", true),
            (long.as_str(), true),
            (too_long.as_str(), false),
            ("a@b.c", false),
            ("alice", false),
            ("alice@example", false),
            ("@example.com", false),
            ("alice@.com", false),
            ("alice@example.", false),
            ("al ice@example.com", false),
            ("alice@@example.com", false),
            ("alice@exa@mple.com", false),
            ("", false),
        ] {
            assert_eq!(Email::parse("email", input).is_ok(), ok, "{input:?}");
        }
    }

    #[test]
    fn normalized_form_ignores_case_and_surrounding_space() {
        let email = Email::parse("email", " Alice@Example.COM ").unwrap();
        assert_eq!(email.as_str(), "Alice@Example.COM");
        assert_eq!(email.normalized(), "alice@example.com");
    }
}
