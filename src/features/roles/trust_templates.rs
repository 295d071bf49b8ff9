//! Trust policies from the create page's templates: who may assume the role. Pure, so the page
//! previews exactly what the server will save.

use serde::{Deserialize, Serialize};

use crate::catalog::Op;
use crate::domain::{AccountId, Invalid};

/// The form field of the other account's ID.
pub const ACCOUNT_FIELD: &str = "TrustedAccountId";
/// The form fields of a web identity's provider, audience and subject.
pub const PROVIDER_FIELD: &str = "IdentityProvider";
pub const AUDIENCE_FIELD: &str = "Audience";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TrustChoice {
    /// Principals of this account that their own policies allow to assume the role.
    ThisAccount { require_mfa: bool },
    /// Principals of another account, which that account's administrators delegate.
    AnotherAccount {
        account_id: String,
        require_mfa: bool,
    },
    /// Whoever an OpenID Connect provider of this account vouches for, with a token issued to
    /// `audience` (and, when given, only the subject `subject`): AWS's "Web identity".
    WebIdentity {
        provider_arn: String,
        audience: String,
        subject: String,
    },
    /// Whoever a SAML 2.0 provider of this account vouches for, in responses addressed to
    /// `audience` (this console's assertion consumer service): AWS's "SAML 2.0 federation".
    Saml {
        provider_arn: String,
        audience: String,
    },
    /// A trust policy written by hand.
    Custom { document: String },
}

/// The trust policy for `choice`; `this_account` is the caller's account ID.
pub fn trust_document(choice: &TrustChoice, this_account: &str) -> Result<String, Invalid> {
    let (account, require_mfa) = match choice {
        TrustChoice::Custom { document } => return Ok(document.clone()),
        TrustChoice::WebIdentity {
            provider_arn,
            audience,
            subject,
        } => return web_identity_document(provider_arn, audience.trim(), subject.trim()),
        TrustChoice::Saml {
            provider_arn,
            audience,
        } => return saml_document(provider_arn, audience.trim()),
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

/// What AWS's console writes for a web identity: the provider as the `Federated` principal,
/// `sts:AssumeRoleWithWebIdentity`, and `HOST/PATH:aud` (and `:sub`) conditions.
fn web_identity_document(
    provider_arn: &str,
    audience: &str,
    subject: &str,
) -> Result<String, Invalid> {
    let host_path = provider_arn
        .split_once(":oidc-provider/")
        .map(|(_, host_path)| host_path)
        .filter(|host_path| !host_path.is_empty())
        .ok_or_else(|| Invalid::new(PROVIDER_FIELD, "Choose an identity provider."))?;
    if audience.is_empty() {
        return Err(Invalid::new(
            AUDIENCE_FIELD,
            "Choose the audience the tokens are issued to.",
        ));
    }
    // Written out rather than through serde_json's `Value` and pretty printer, which would
    // bring their code into the pages' wasm; each string is escaped as JSON.
    let quoted = |text: &str| serde_json::to_string(text).unwrap_or_default();
    let mut conditions = format!(
        "          {}: {}",
        quoted(&format!("{host_path}:aud")),
        quoted(audience)
    );
    if !subject.is_empty() {
        conditions.push_str(&format!(
            ",\n          {}: {}",
            quoted(&format!("{host_path}:sub")),
            quoted(subject)
        ));
    }
    let action = Op::AssumeRoleWithWebIdentity.action();
    let provider = quoted(provider_arn);
    Ok(format!(
        r#"{{
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Effect": "Allow",
      "Principal": {{
        "Federated": {provider}
      }},
      "Action": "{action}",
      "Condition": {{
        "StringEquals": {{
{conditions}
        }}
      }}
    }}
  ]
}}"#
    ))
}

/// What AWS's console writes for SAML 2.0 federation: the provider as the `Federated`
/// principal, `sts:AssumeRoleWithSAML`, and `SAML:aud` (the assertion consumer service).
fn saml_document(provider_arn: &str, audience: &str) -> Result<String, Invalid> {
    if !provider_arn.contains(":saml-provider/") {
        return Err(Invalid::new(PROVIDER_FIELD, "Choose a SAML provider."));
    }
    if audience.is_empty() {
        return Err(Invalid::new(
            AUDIENCE_FIELD,
            "Choose the assertion consumer service the responses are addressed to.",
        ));
    }
    let quoted = |text: &str| serde_json::to_string(text).unwrap_or_default();
    let action = Op::AssumeRoleWithSAML.action();
    let provider = quoted(provider_arn);
    let audience = quoted(audience);
    Ok(format!(
        r#"{{
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Effect": "Allow",
      "Principal": {{
        "Federated": {provider}
      }},
      "Action": "{action}",
      "Condition": {{
        "StringEquals": {{
          "SAML:aud": {audience}
        }}
      }}
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
    fn saml_trusts_the_provider_for_this_consoles_acs() {
        let choice = TrustChoice::Saml {
            provider_arn: "arn:aws:iam::123456789012:saml-provider/corp".into(),
            audience: "https://iam.example.com/saml".into(),
        };
        let document = trust_document(&choice, "123456789012").unwrap();
        assert!(
            validate(&document, PolicyKind::Trust).is_valid(),
            "{document}"
        );
        let parsed: serde_json::Value = serde_json::from_str(&document).unwrap();
        let statement = &parsed["Statement"][0];
        assert_eq!(
            statement["Principal"]["Federated"],
            "arn:aws:iam::123456789012:saml-provider/corp"
        );
        assert_eq!(statement["Action"], "sts:AssumeRoleWithSAML");
        assert_eq!(
            statement["Condition"]["StringEquals"]["SAML:aud"],
            "https://iam.example.com/saml"
        );
        let oidc = TrustChoice::Saml {
            provider_arn: "arn:aws:iam::123456789012:oidc-provider/x".into(),
            audience: "a".into(),
        };
        assert_eq!(
            trust_document(&oidc, "123456789012").unwrap_err().field,
            PROVIDER_FIELD
        );
    }

    #[test]
    fn web_identity_trusts_the_provider_for_its_audience_and_subject() {
        let choice = TrustChoice::WebIdentity {
            provider_arn: "arn:aws:iam::123456789012:oidc-provider/token.example.com/org".into(),
            audience: " sts.amazonaws.com ".into(),
            subject: "repo:acme/app:ref:refs/heads/main".into(),
        };
        let document = trust_document(&choice, "123456789012").unwrap();
        assert!(
            validate(&document, PolicyKind::Trust).is_valid(),
            "{document}"
        );
        let parsed: serde_json::Value = serde_json::from_str(&document).unwrap();
        let statement = &parsed["Statement"][0];
        assert_eq!(statement["Action"], "sts:AssumeRoleWithWebIdentity");
        assert_eq!(
            statement["Principal"]["Federated"],
            "arn:aws:iam::123456789012:oidc-provider/token.example.com/org"
        );
        let equals = &statement["Condition"]["StringEquals"];
        assert_eq!(equals["token.example.com/org:aud"], "sts.amazonaws.com");
        assert_eq!(
            equals["token.example.com/org:sub"],
            "repo:acme/app:ref:refs/heads/main"
        );
        let no_provider = TrustChoice::WebIdentity {
            provider_arn: String::new(),
            audience: "a".into(),
            subject: String::new(),
        };
        assert_eq!(
            trust_document(&no_provider, "1").unwrap_err().field,
            PROVIDER_FIELD
        );
    }

    #[test]
    fn custom_documents_pass_through() {
        let choice = TrustChoice::Custom {
            document: "{}".into(),
        };
        assert_eq!(trust_document(&choice, "123456789012").unwrap(), "{}");
    }
}
