//! SAML 2.0 identity providers as IAM registers them: the provider's name (which names its ARN),
//! the bounds of the metadata document, and the SAML condition keys a role's trust policy may
//! test — validated with AWS's rules and words.

use super::iam_names::{check_length, constraint_message};
use super::Invalid;

/// AWS's limits: names of 1–128 characters; metadata documents of 1,000–10,000,000.
pub const MAX_NAME_LENGTH: usize = 128;
pub const MIN_METADATA_LENGTH: usize = 1_000;
pub const MAX_METADATA_LENGTH: usize = 10_000_000;
/// AWS's quota of SAML providers per account.
pub const MAX_PROVIDERS: i64 = 100;

/// `Name`: 1–128 of `[\w._-]`.
pub fn check_name(name: &str) -> Result<(), Invalid> {
    check_length("Name", "name", name, 1, MAX_NAME_LENGTH)?;
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
    {
        return Err(Invalid::new(
            "Name",
            constraint_message("name", "satisfy regular expression pattern: [\\w._-]+"),
        ));
    }
    Ok(())
}

/// `SAMLMetadataDocument`: 1,000–10,000,000 characters.
pub fn check_metadata_length(document: &str) -> Result<(), Invalid> {
    check_length(
        "SAMLMetadataDocument",
        "sAMLMetadataDocument",
        document,
        MIN_METADATA_LENGTH,
        MAX_METADATA_LENGTH,
    )
}

/// `AssertionEncryptionMode`: `Allowed` (plain assertions are accepted) is what Ferriam does;
/// `Required` would need assertion decryption, which it does not offer.
pub fn check_encryption_mode(mode: Option<&str>) -> Result<(), Invalid> {
    match mode {
        None | Some("Allowed") => Ok(()),
        Some("Required") => Err(Invalid::new(
            "AssertionEncryptionMode",
            "AssertionEncryptionMode Required is not supported: Ferriam accepts signed, unencrypted assertions (Allowed).",
        )
        .with_code("InvalidInput")),
        Some(_) => Err(Invalid::new(
            "AssertionEncryptionMode",
            constraint_message(
                "assertionEncryptionMode",
                "satisfy enum value set: [Required, Allowed]",
            ),
        )),
    }
}

pub fn saml_provider_arn(account: impl std::fmt::Display, name: &str) -> String {
    format!("arn:aws:iam::{account}:saml-provider/{name}")
}

/// `arn:aws:iam::ACCOUNT:saml-provider/NAME` → (account, name).
pub fn parse_saml_provider_arn(arn: &str) -> Option<(&str, &str)> {
    let rest = arn.strip_prefix("arn:aws:iam::")?;
    let (account, resource) = rest.split_once(':')?;
    let name = resource.strip_prefix("saml-provider/")?;
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()) && check_name(name).is_ok())
        .then_some((account, name))
}

/// Checks a `SAMLProviderArn` parameter's modelled length (20–2,048).
pub fn check_provider_arn_length(arn: &str) -> Result<(), Invalid> {
    check_length("SAMLProviderArn", "sAMLProviderArn", arn, 20, 2_048)
}

/// The attributes AWS reads from an assertion, by their names.
pub mod attributes {
    pub const ROLE: &str = "https://aws.amazon.com/SAML/Attributes/Role";
    pub const ROLE_SESSION_NAME: &str = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";
    pub const SESSION_DURATION: &str = "https://aws.amazon.com/SAML/Attributes/SessionDuration";
    pub const PRINCIPAL_TAG_PREFIX: &str = "https://aws.amazon.com/SAML/Attributes/PrincipalTag:";
    pub const TRANSITIVE_TAG_KEYS: &str =
        "https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys";
    pub const SOURCE_IDENTITY: &str = "https://aws.amazon.com/SAML/Attributes/SourceIdentity";
}

/// The trust-policy condition keys AWS fills from well-known attributes (named by their OIDs,
/// as eduPerson and X.500 define them): `(attribute name, condition key)`.
pub const ATTRIBUTE_KEYS: &[(&str, &str)] = &[
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.1",
        "SAML:edupersonaffiliation",
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.11",
        "SAML:edupersonassurance",
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.7",
        "SAML:edupersonentitlement",
    ),
    ("urn:oid:1.3.6.1.4.1.5923.1.1.1.2", "SAML:edupersonnickname"),
    ("urn:oid:1.3.6.1.4.1.5923.1.1.1.3", "SAML:edupersonorgdn"),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.4",
        "SAML:edupersonorgunitdn",
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.5",
        "SAML:edupersonprimaryaffiliation",
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.8",
        "SAML:edupersonprimaryorgunitdn",
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.6",
        "SAML:edupersonprincipalname",
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.9",
        "SAML:edupersonscopedaffiliation",
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.10",
        "SAML:edupersontargetedid",
    ),
    ("urn:oid:1.3.6.1.4.1.5923.1.2.1.2", "SAML:eduorghomepageuri"),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.2.1.3",
        "SAML:eduorgidentityauthnpolicyuri",
    ),
    ("urn:oid:1.3.6.1.4.1.5923.1.2.1.4", "SAML:eduorglegalname"),
    ("urn:oid:1.3.6.1.4.1.5923.1.2.1.5", "SAML:eduorgsuperioruri"),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.2.1.6",
        "SAML:eduorgwhitepagesuri",
    ),
    ("urn:oid:2.5.4.3", "SAML:cn"),
    ("urn:oid:2.5.4.3", "SAML:commonName"),
    ("urn:oid:2.5.4.42", "SAML:givenName"),
    ("urn:oid:0.9.2342.19200300.100.1.3", "SAML:mail"),
    ("urn:oid:2.5.4.41", "SAML:name"),
    ("urn:oid:1.2.840.113556.1.4.98", "SAML:primaryGroupSID"),
    ("urn:oid:2.5.4.4", "SAML:sn"),
    ("urn:oid:2.5.4.4", "SAML:surname"),
    ("urn:oid:0.9.2342.19200300.100.1.1", "SAML:uid"),
    ("urn:oid:2.5.4.45", "SAML:x500UniqueIdentifier"),
];

/// `SubjectType` as AWS reports it: the NameID format with SAML 2.0's
/// `urn:oasis:names:tc:SAML:2.0:nameid-format:` prefix removed (`persistent`, `transient`),
/// any other format as it is, and `unspecified` when there is none.
pub fn subject_type(format: Option<&str>) -> String {
    const PREFIX: &str = "urn:oasis:names:tc:SAML:2.0:nameid-format:";
    match format {
        None => "unspecified".to_string(),
        Some(format) => format.strip_prefix(PREFIX).unwrap_or(format).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_aws_pattern_and_bounds() {
        assert!(check_name("corp-idp_1.test").is_ok());
        assert!(check_name("").is_err());
        assert!(check_name("has space").is_err());
        assert!(check_name("slash/no").is_err());
        assert!(check_name(&"a".repeat(128)).is_ok());
        assert!(check_name(&"a".repeat(129)).is_err());
    }

    #[test]
    fn arns_round_trip_and_refuse_other_resources() {
        let arn = saml_provider_arn("123456789012", "corp");
        assert_eq!(arn, "arn:aws:iam::123456789012:saml-provider/corp");
        assert_eq!(
            parse_saml_provider_arn(&arn),
            Some(("123456789012", "corp"))
        );
        assert_eq!(
            parse_saml_provider_arn("arn:aws:iam::123456789012:oidc-provider/x"),
            None
        );
        assert_eq!(
            parse_saml_provider_arn("arn:aws:iam::12345:saml-provider/corp"),
            None
        );
        assert_eq!(
            parse_saml_provider_arn("arn:aws:iam::123456789012:saml-provider/a/b"),
            None
        );
    }

    #[test]
    fn metadata_bounds_and_encryption_modes() {
        assert!(check_metadata_length(&"x".repeat(999)).is_err());
        assert!(check_metadata_length(&"x".repeat(1_000)).is_ok());
        assert!(check_encryption_mode(Some("Allowed")).is_ok());
        assert!(check_encryption_mode(None).is_ok());
        assert_eq!(
            check_encryption_mode(Some("Required"))
                .unwrap_err()
                .code
                .as_deref(),
            Some("InvalidInput")
        );
        assert!(check_encryption_mode(Some("sometimes")).is_err());
    }

    #[test]
    fn subject_types_drop_only_the_saml2_prefix() {
        assert_eq!(
            subject_type(Some("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent")),
            "persistent"
        );
        assert_eq!(
            subject_type(Some(
                "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
            )),
            "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
        );
        assert_eq!(subject_type(None), "unspecified");
    }
}
