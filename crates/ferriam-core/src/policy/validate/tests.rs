//! IAM's validation messages, per policy kind, in IAM's order.

use super::*;
use crate::policy::errors::AwsErrorCode;

fn error_of(text: &str, kind: PolicyKind) -> Option<(AwsErrorCode, String)> {
    validate(text, kind)
        .error
        .map(|error| (error.code, error.message))
}

fn message(text: &str, kind: PolicyKind) -> String {
    error_of(text, kind)
        .map(|(_, message)| message)
        .unwrap_or_default()
}

fn identity(statements: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#)
}

#[test]
fn accepts_valid_policies_of_each_kind() {
    let valid: &[(&str, PolicyKind)] = &[
        (
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#,
            PolicyKind::Managed,
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Sid":"A1","Effect":"Deny","NotAction":["iam:*"],"NotResource":"arn:aws:iam::123456789012:user/x"}]}"#,
            PolicyKind::InlineUser,
        ),
        (
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}}"#,
            PolicyKind::Trust,
        ),
        (
            r#"{"Version":"2008-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":["123456789012","arn:aws:iam::123456789012:user/a"]},"Action":["sts:AssumeRole","sts:TagSession"]}}"#,
            PolicyKind::Trust,
        ),
        (
            r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#,
            PolicyKind::Resource,
        ),
    ];
    for (text, kind) in valid {
        assert_eq!(error_of(text, *kind), None, "{text}");
    }
}

#[test]
fn identity_policy_messages_match_aws() {
    let table: &[(String, &str)] = &[
        ("not json".to_string(), "Syntax errors in policy."),
        (r#"{"Version":"2012-10-17","Statement":[]}"#.to_string(), "Syntax errors in policy."),
        (r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Foo":1}}"#.to_string(), "Syntax errors in policy."),
        (r#"{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#.to_string(), "Policy document must be version 2012-10-17 or greater."),
        (r#"{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#.to_string(), "Policy document must be version 2012-10-17 or greater."),
        (identity(r#"{"Effect":"allow","Action":"s3:*","Resource":"*"}"#), "The policy failed legacy parsing"),
        (identity(r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"soon"}}}"#), "The policy failed legacy parsing"),
        (identity(r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3::bucket"}"#), "The policy failed legacy parsing"),
        (identity(r#"{"Sid":"A","Effect":"Allow","Action":"s3:*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"s3:*","Resource":"*"}"#), "Statement IDs (SID) in a single policy must be unique."),
        (identity(r#"{"Sid":"my-sid","Effect":"Allow","Action":"s3:*","Resource":"*"}"#), "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"),
        (identity(r#"{"Effect":"Allow","Resource":"*"}"#), "Policy statement must contain actions."),
        (identity(r#"{"Effect":"Allow","Action":[],"Resource":"*"}"#), "Policy statement must contain actions."),
        (identity(r#"{"Effect":"Allow","Action":"s3:*"}"#), "Policy statement must contain resources."),
        (identity(r#"{"Effect":"Allow","Action":"s3:*","Resource":[]}"#), "Policy statement must contain resources."),
        (identity(r#"{"Effect":"Allow","Action":"s3:*","Resource":"bucket"}"#), "Resource bucket must be in ARN format or \"*\"."),
        (identity(r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws"}"#), "Resource vendor must be fully qualified and cannot contain regexes."),
        (identity(r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:foo:s3:::b"}"#), "Partition \"foo\" is not valid for resource \"arn:foo:s3:::b\"."),
        (identity(r#"{"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam:us-east-1:123456789012:user/a"}"#), "IAM resource arn:aws:iam:us-east-1:123456789012:user/a cannot contain region information."),
        (identity(r#"{"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::123456789012:thing/a"}"#), "IAM resource path must either be \"*\", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/."),
        (identity(r#"{"Effect":"Allow","Action":"GetObject","Resource":"*"}"#), "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
        (identity(r#"{"Effect":"Allow","Action":"s3:Get:Object","Resource":"*"}"#), "Actions/Condition can contain only one colon."),
        (identity(r#"{"Effect":"Allow","Action":"s 3:GetObject","Resource":"*"}"#), "Vendor s 3 is not valid"),
        (identity(r#"{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}"#), "Policy document should not specify a principal."),
    ];
    for (text, expected) in table {
        let (code, actual) = error_of(text, PolicyKind::Managed)
            .unwrap_or((AwsErrorCode::InvalidInput, String::new()));
        assert_eq!(actual, *expected, "{text}");
        assert_eq!(code, AwsErrorCode::MalformedPolicyDocument, "{text}");
    }
}

#[test]
fn checks_run_in_iams_order() {
    // Missing actions is reported before a bad resource format.
    let text = identity(r#"{"Effect":"Allow","Resource":"bucket"}"#);
    assert_eq!(
        message(&text, PolicyKind::Managed),
        "Policy statement must contain actions."
    );
    // Version before everything else but syntax.
    let text = r#"{"Statement":{"Effect":"Allow","Resource":"bucket"}}"#;
    assert_eq!(
        message(text, PolicyKind::Managed),
        "Policy document must be version 2012-10-17 or greater."
    );
}

#[test]
fn trust_policy_messages_match_aws() {
    let table: &[(&str, &str)] = &[
        ("{invalid", "This policy contains invalid Json"),
        (
            r#"{"Version":"2012-10-17","Statement":[]}"#,
            "Could not parse the policy: Statement is empty!",
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}"#,
            "Missing required field Principal",
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{},"Action":"sts:AssumeRole"}]}"#,
            "Missing required field Principal cannot be empty!",
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*"}]}"#,
            "AssumeRole policy may only specify STS AssumeRole actions.",
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject"}]}"#,
            "AssumeRole policy may only specify STS AssumeRole actions.",
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Resource":"*"}]}"#,
            "Has prohibited field Resource",
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","NotResource":"*"}]}"#,
            "AssumeRole policy must not contain resources.",
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#,
            "Allow with NotPrincipal is not allowed.",
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/*"},"Action":"sts:AssumeRole"}]}"#,
            "Invalid principal in policy: \"AWS\":\"arn:aws:iam::123456789012:user/*\"",
        ),
        (
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"alice"},"Action":"sts:AssumeRole"}]}"#,
            "Invalid principal in policy: \"AWS\":\"alice\"",
        ),
    ];
    for (text, expected) in table {
        assert_eq!(message(text, PolicyKind::Trust), *expected, "{text}");
    }
}

#[test]
fn resource_policies_require_principals_but_allow_free_sids() {
    let text = r#"{"Version":"2012-10-17","Statement":{"Sid":"public read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#;
    assert_eq!(
        message(text, PolicyKind::Resource),
        "Missing required field Principal"
    );
    let text = r#"{"Version":"2012-10-17","Statement":{"Sid":"public read","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#;
    assert_eq!(error_of(text, PolicyKind::Resource), None);
}

#[test]
fn size_quotas_ignore_whitespace_and_use_limit_exceeded() {
    let padding = "x".repeat(6_100);
    let text = identity(&format!(
        r#"{{"Sid":"{padding}","Effect":"Allow","Action":"s3:*","Resource":"*"}}"#
    ));
    assert_eq!(
        error_of(&text, PolicyKind::Managed),
        Some((
            AwsErrorCode::LimitExceeded,
            "Cannot exceed quota for PolicySize: 6144".to_string()
        ))
    );
    assert_eq!(error_of(&text, PolicyKind::InlineRole), None);
    assert_eq!(
        validate_named(&text, PolicyKind::InlineUser, Some("alice"))
            .error
            .map(|e| e.message),
        Some("Maximum policy size of 2048 bytes exceeded for user alice".to_string())
    );
    let spaced = identity(&format!(
        r#"{{"Effect":"Allow","Action":"s3:*","Resource":"*"}}{}"#,
        " ".repeat(7_000)
    ));
    assert_eq!(error_of(&spaced, PolicyKind::Managed), None);
}

#[test]
fn errors_are_located_and_reported_as_findings() {
    let text = "{\"Version\":\"2012-10-17\",\"Statement\":[\n  {\"Sid\":\"A\",\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"},\n  {\"Sid\":\"A\",\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}";
    let validation = validate(text, PolicyKind::Managed);
    let error = validation.error.clone().expect("duplicate sid");
    let location = error.location.expect("located");
    assert_eq!((location.start.line, location.start.column), (3, 10));
    assert_eq!(
        validation.findings[0].severity,
        crate::policy::findings::Severity::Error
    );
    assert_eq!(validation.findings[0].code, "MalformedPolicyDocument");
    // A JSON syntax error points at the bad character.
    let validation = validate(
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [,]\n}",
        PolicyKind::Managed,
    );
    let location = validation
        .error
        .and_then(|error| error.location)
        .expect("located");
    assert_eq!((location.start.line, location.start.column), (3, 17));
}

#[test]
fn duplicate_json_keys_are_syntax_errors() {
    let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Effect":"Deny","Action":"s3:*","Resource":"*"}}"#;
    assert_eq!(
        message(text, PolicyKind::Managed),
        "Syntax errors in policy."
    );
}

#[test]
fn deeply_nested_and_huge_documents_fail_fast() {
    let nested = format!("{}{}", "[".repeat(3_000), "]".repeat(3_000));
    assert_eq!(
        message(&nested, PolicyKind::Managed),
        "Syntax errors in policy."
    );
    let huge = "a".repeat(200_000);
    assert_eq!(
        error_of(&huge, PolicyKind::Resource).map(|(code, _)| code),
        Some(AwsErrorCode::ValidationError)
    );
}

#[test]
fn non_ascii_date_zones_fail_legacy_parsing_instead_of_panicking() {
    let text = identity(
        r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2024-01-01T12:00+1é1"}}}"#,
    );
    assert_eq!(
        message(&text, PolicyKind::Managed),
        "The policy failed legacy parsing"
    );
}

#[test]
fn run_validate_prints_json_and_flags_errors() {
    let ok = identity(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#);
    assert_eq!(
        run_validate("managed", &ok),
        (r#"{"Findings":[]}"#.to_string(), false)
    );
    let (output, is_error) = run_validate("trust", &ok);
    assert!(is_error);
    assert_eq!(
        output,
        r#"{"Error":{"Code":"MalformedPolicyDocument","Message":"Missing required field Principal"}}"#
    );
    let (output, is_error) = run_validate("bucket", &ok);
    assert!(is_error);
    assert!(output.contains("ValidationError"));
}

#[test]
fn validate_json_returns_findings_or_the_error() {
    let ok = identity(r#"{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}"#);
    let findings = validate_json(PolicyKind::Managed, &ok).expect("valid");
    assert!(findings_json(&findings).contains("\"Severity\":\"SECURITY_WARNING\""));
    let error = validate_json(PolicyKind::Managed, "[]").expect_err("invalid");
    assert_eq!(
        error.to_error_json(),
        r#"{"Error":{"Code":"MalformedPolicyDocument","Message":"Syntax errors in policy."}}"#
    );
}
