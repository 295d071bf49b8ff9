//! Trust policies from the create page's templates: who may assume the role. Pure, so the page
//! previews exactly what the server will save.

use serde::{Deserialize, Serialize};

use crate::catalog::Op;
use crate::domain::{AccountId, Invalid};

/// The form field of the other account's ID.
pub const ACCOUNT_FIELD: &str = "TrustedAccountId";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TrustChoice {
    /// Principals of this account that their own policies allow to assume the role.
    ThisAccount { require_mfa: bool },
    /// Principals of another account, which that account's administrators delegate.
    AnotherAccount {
        account_id: String,
        require_mfa: bool,
    },
    /// A trust policy written by hand.
    Custom { document: String },
}

/// The trust policy for `choice`; `this_account` is the caller's account ID.
pub fn trust_document(choice: &TrustChoice, this_account: &str) -> Result<String, Invalid> {
    let (account, require_mfa) = match choice {
        TrustChoice::Custom { document } => return Ok(document.clone()),
        TrustChoice::ThisAccount { require_mfa } => (this_account.to_string(), *require_mfa),
        TrustChoice::AnotherAccount {
            account_id,
            require_mfa,
        } => (
            AccountId::parse(ACCOUNT_FIELD, account_id.trim())?.to_string(),
            *require_mfa,
        ),
    };
    // INVARIANT: `account` is 12 digits, so it needs no escaping inside the JSON string. The
    // root's ARN is written out here rather than by `domain::arn::root_arn`: calling it from
    // this page moved 47 KB of code into the wasm module every page loads (measured).
    let condition = if require_mfa {
        ",\n      \"Condition\": {\n        \"Bool\": {\n          \"aws:MultiFactorAuthPresent\": \"true\"\n        }\n      }"
    } else {
        ""
    };
    let assume_role = Op::AssumeRole.action();
    Ok(format!(
        r#"{{
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Effect": "Allow",
      "Principal": {{
        "AWS": "arn:aws:iam::{account}:root"
      }},
      "Action": "{assume_role}"{condition}
    }}
  ]
}}"#
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{validate, PolicyKind};

    #[test]
    fn templates_are_valid_trust_policies() {
        for choice in [
            TrustChoice::ThisAccount { require_mfa: false },
            TrustChoice::ThisAccount { require_mfa: true },
            TrustChoice::AnotherAccount {
                account_id: " 210987654321 ".into(),
                require_mfa: true,
            },
        ] {
            let document = trust_document(&choice, "123456789012").unwrap();
            assert!(
                validate(&document, PolicyKind::Trust).is_valid(),
                "{document}"
            );
        }
    }

    #[test]
    fn templates_name_the_trusted_account() {
        let this = trust_document(
            &TrustChoice::ThisAccount { require_mfa: false },
            "123456789012",
        )
        .unwrap();
        assert!(this.contains("arn:aws:iam::123456789012:root"));
        assert!(!this.contains("MultiFactorAuthPresent"));
        let other = trust_document(
            &TrustChoice::AnotherAccount {
                account_id: "210987654321".into(),
                require_mfa: true,
            },
            "123456789012",
        )
        .unwrap();
        assert!(other.contains("arn:aws:iam::210987654321:root"));
        assert!(other.contains("\"aws:MultiFactorAuthPresent\": \"true\""));
    }

    #[test]
    fn another_account_must_be_twelve_digits() {
        for bad in ["", "12345", "1234567890123", "12345678901a"] {
            let error = trust_document(
                &TrustChoice::AnotherAccount {
                    account_id: bad.into(),
                    require_mfa: false,
                },
                "123456789012",
            )
            .unwrap_err();
            assert_eq!(error.field, ACCOUNT_FIELD);
            assert_eq!(error.message, "The account ID must be exactly 12 digits.");
        }
    }

    #[test]
    fn custom_documents_pass_through() {
        let choice = TrustChoice::Custom {
            document: "{}".into(),
        };
        assert_eq!(trust_document(&choice, "123456789012").unwrap(), "{}");
    }
}
