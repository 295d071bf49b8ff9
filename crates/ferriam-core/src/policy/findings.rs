//! Findings for the policy editor beyond IAM's pass/fail: security warnings,
//! warnings and suggestions, each located in the policy text. Severities and
//! codes follow IAM Access Analyzer's policy checks in spirit.

use std::collections::HashSet;

use serde::Serialize;

use super::conditions::{
    parse_bool, parse_date, parse_number, BaseOperator, IpNetwork, Operator, SetOperator,
};
use super::document::{ConditionBlock, Effect, PolicyDocument, Principal, Statement, VERSION_2012};
use super::errors::AwsPolicyError;
use super::global_keys::{classify, never_present, GlobalKey};
use super::kind::PolicyKind;
use super::location::{LineIndex, Location, Span};
use super::wildcard::Glob;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Severity {
    Error,
    SecurityWarning,
    Warning,
    Suggestion,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Finding {
    pub severity: Severity,
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

impl Finding {
    /// The ERROR finding for an AWS error (its code is the AWS error code).
    pub fn from_error(error: &AwsPolicyError) -> Finding {
        let message = match &error.detail {
            Some(detail) if *detail != error.message => format!("{} {detail}", error.message),
            _ => error.message.clone(),
        };
        Finding {
            severity: Severity::Error,
            code: error.code.as_str().to_string(),
            message,
            location: error.location,
        }
    }
}

struct Linter<'i, 't> {
    index: &'i LineIndex<'t>,
    findings: Vec<Finding>,
}

impl Linter<'_, '_> {
    fn add(&mut self, severity: Severity, code: &str, message: impl Into<String>, span: Span) {
        self.findings.push(Finding {
            severity,
            code: code.to_string(),
            message: message.into(),
            location: Some(self.index.location(span)),
        });
    }
}

/// Lints a syntactically valid document.
pub fn lint(document: &PolicyDocument, kind: PolicyKind, index: &LineIndex<'_>) -> Vec<Finding> {
    let mut linter = Linter {
        index,
        findings: Vec::new(),
    };
    let variables = document
        .version
        .as_ref()
        .is_some_and(|version| version.value == VERSION_2012);
    if document.version.is_none() && !kind.is_identity() {
        linter.add(
            Severity::Suggestion,
            "MISSING_VERSION",
            "Add \"Version\": \"2012-10-17\": without it the policy uses the 2008-10-17 language, where policy variables are not substituted.",
            Span::new(0, 1),
        );
    }
    let mut sids: Vec<&str> = Vec::new();
    for statement in document.statements() {
        if let Some(sid) = &statement.value.sid {
            if !sid.value.is_empty() {
                if sids.contains(&sid.value.as_str()) {
                    linter.add(
                        Severity::Error,
                        "DUPLICATE_SID",
                        format!("The Sid \"{}\" is used by another statement; Sids must be unique in a policy.", sid.value),
                        sid.span,
                    );
                }
                sids.push(&sid.value);
            }
        }
        lint_statement(&mut linter, &statement.value, variables);
    }
    linter.findings
}

fn lint_statement(linter: &mut Linter<'_, '_>, statement: &Statement, variables: bool) {
    let allow = statement.effect() == Effect::Allow;
    if let Some(action) = &statement.action {
        if allow && action.negated {
            linter.add(
                Severity::SecurityWarning,
                "ALLOW_WITH_NOT_ACTION",
                "Allow with NotAction allows every action of every service that is not listed; list the allowed actions instead.",
                action.key_span,
            );
        }
        let mut seen: HashSet<String> = HashSet::new();
        for item in action.items() {
            if !seen.insert(item.value.to_ascii_lowercase()) {
                linter.add(
                    Severity::Suggestion,
                    "DUPLICATE_ACTION",
                    format!("The action {} is listed twice.", item.value),
                    item.span,
                );
            }
        }
    }
    if let Some(resource) = &statement.resource {
        if allow && resource.negated {
            linter.add(
                Severity::SecurityWarning,
                "ALLOW_WITH_NOT_RESOURCE",
                "Allow with NotResource allows access to every resource that is not listed; list the allowed resources instead.",
                resource.key_span,
            );
        }
        for item in resource.items() {
            lint_resource(linter, &item.value, item.span, variables);
        }
    }
    if let Some(principal) = &statement.principal {
        if allow && principal.negated {
            linter.add(
                Severity::SecurityWarning,
                "ALLOW_WITH_NOT_PRINCIPAL",
                "Allow with NotPrincipal grants access to everyone who is not listed, including anonymous callers.",
                principal.key_span,
            );
        }
        let everyone = match &principal.value.value {
            Principal::Wildcard => true,
            Principal::Map(entries) => entries.iter().any(|entry| {
                entry.principal_type.value == "AWS"
                    && entry
                        .values
                        .value
                        .as_slice()
                        .iter()
                        .any(|value| value.value == "*")
            }),
            Principal::Text(_) => false,
        };
        if allow && !principal.negated && everyone && statement.conditions().is_empty() {
            linter.add(
                Severity::SecurityWarning,
                "PUBLIC_ACCESS",
                "Principal \"*\" without a condition grants access to everyone, including anonymous callers.",
                principal.value.span,
            );
        }
    }
    if allow {
        lint_broad_grants(linter, statement);
    }
    for block in statement.conditions() {
        lint_condition_block(linter, block, statement, allow);
    }
}

fn lint_broad_grants(linter: &mut Linter<'_, '_>, statement: &Statement) {
    let (Some(action), Some(resource)) = (&statement.action, &statement.resource) else {
        return;
    };
    let star_resource = !resource.negated && resource.items().iter().any(|item| item.value == "*");
    if !star_resource {
        return;
    }
    let covers = |name: &str| {
        let listed = action
            .items()
            .iter()
            .any(|item| Glob::new_folded(&item.value).matches(name, true));
        listed != action.negated
    };
    if !action.negated && action.items().iter().any(|item| item.value == "*") {
        linter.add(
            Severity::SecurityWarning,
            "FULL_ACCESS",
            "Action \"*\" on Resource \"*\" grants every permission (administrator access).",
            action.values.span,
        );
    } else if covers("iam:PassRole") && statement.conditions().is_empty() {
        linter.add(
            Severity::SecurityWarning,
            "PASS_ROLE_WITH_STAR_IN_RESOURCE",
            "iam:PassRole with Resource \"*\" lets the principal pass any role to a service; list the role ARNs or add an iam:PassedToService condition.",
            resource.values.span,
        );
    }
}

fn lint_resource(linter: &mut Linter<'_, '_>, resource: &str, span: Span, variables: bool) {
    if resource.starts_with("arn:") && resource.matches(':').count() < 5 {
        linter.add(
            Severity::Warning,
            "SHORT_RESOURCE_ARN",
            "This ARN has fewer than six colon-separated parts; the missing parts match anything.",
            span,
        );
    }
    if resource.contains("${") {
        if !variables {
            linter.add(
                Severity::Warning,
                "VARIABLE_WITHOUT_VERSION_2012",
                "Policy variables are only substituted with \"Version\": \"2012-10-17\"; here \"${...}\" is literal text.",
                span,
            );
        } else if let Some(prefix_end) = nth_colon(resource, 5) {
            if resource[..prefix_end].contains("${") {
                linter.add(
                    Severity::Warning,
                    "VARIABLE_OUTSIDE_RESOURCE_PART",
                    "Policy variables are only substituted after the fifth colon of a Resource ARN; before it they are literal text.",
                    span,
                );
            }
        }
    }
}

fn nth_colon(text: &str, n: usize) -> Option<usize> {
    text.match_indices(':').nth(n - 1).map(|(index, _)| index)
}

fn lint_condition_block(
    linter: &mut Linter<'_, '_>,
    block: &ConditionBlock,
    statement: &Statement,
    allow: bool,
) {
    let Some(operator) = Operator::parse(&block.operator.value) else {
        return;
    };
    if operator.base == BaseOperator::Null && operator.if_exists {
        linter.add(
            Severity::Warning,
            "NULL_WITH_IF_EXISTS",
            "IfExists cannot be used with the Null operator; use Null on its own.",
            block.operator.span,
        );
    }
    for entry in &block.entries {
        let key = entry.key.value.as_str();
        if !key.contains(':') {
            linter.add(
                Severity::Warning,
                "CONDITION_KEY_WITHOUT_VENDOR",
                format!("{key} has no service prefix (aws:, s3:, iam: ...); no request carries such a key."),
                entry.key.span,
            );
        }
        let class = classify(key);
        if class == GlobalKey::Unknown {
            linter.add(
                Severity::Warning,
                "UNKNOWN_GLOBAL_CONDITION_KEY",
                format!("{key} is not an AWS global condition key; check the spelling (a missing key never matches)."),
                entry.key.span,
            );
        }
        if never_present(key) {
            linter.add(
                Severity::Warning,
                "CONDITION_KEY_NEVER_PRESENT",
                format!("{key} is never present in a request to Ferriam, so this condition never matches (with IfExists, always does)."),
                entry.key.span,
            );
        }
        if operator.set != SetOperator::Single && class == GlobalKey::SingleValued {
            linter.add(
                Severity::Warning,
                "SET_OPERATOR_WITH_SINGLE_VALUED_KEY",
                format!("{key} is single-valued; ForAllValues/ForAnyValue are for multivalued keys and can make the condition overly permissive."),
                block.operator.span,
            );
        }
        if operator.set == SetOperator::Single
            && class == GlobalKey::MultiValued
            && operator.base != BaseOperator::Null
        {
            linter.add(
                Severity::Warning,
                "MISSING_SET_OPERATOR",
                format!("{key} is multivalued; use ForAllValues: or ForAnyValue: to say how its values are compared."),
                block.operator.span,
            );
        }
        if allow && operator.set == SetOperator::ForAllValues && !has_null_check(statement, key) {
            linter.add(
                Severity::SecurityWarning,
                "FOR_ALL_VALUES_WITH_ALLOW",
                format!("ForAllValues is true when {key} is missing from the request; add \"Null\": {{\"{key}\": \"false\"}} to require it."),
                block.operator.span,
            );
        }
        let variables_allowed = operator.takes_variables();
        for value in entry.values.value.as_slice() {
            let text = value.value.text();
            if !variables_allowed && text.contains("${") {
                linter.add(
                    Severity::Warning,
                    "VARIABLE_NOT_SUPPORTED",
                    "Policy variables are only substituted in string and ARN operators; here \"${...}\" is literal text.",
                    value.span,
                );
            }
            if let Some(problem) = invalid_value(operator.base, text) {
                linter.add(
                    Severity::Warning,
                    "INVALID_CONDITION_VALUE",
                    problem,
                    value.span,
                );
            }
        }
    }
}

fn has_null_check(statement: &Statement, key: &str) -> bool {
    statement.conditions().iter().any(|block| {
        block.operator.value == "Null"
            && block
                .entries
                .iter()
                .any(|entry| entry.key.value.eq_ignore_ascii_case(key))
    })
}

fn invalid_value(base: BaseOperator, text: &str) -> Option<String> {
    use BaseOperator::*;
    let (valid, expected) = match base {
        NumericEquals
        | NumericNotEquals
        | NumericLessThan
        | NumericLessThanEquals
        | NumericGreaterThan
        | NumericGreaterThanEquals => (parse_number(text).is_some(), "a number"),
        DateEquals
        | DateNotEquals
        | DateLessThan
        | DateLessThanEquals
        | DateGreaterThan
        | DateGreaterThanEquals => (
            parse_date(text).is_some(),
            "an ISO 8601 date or epoch seconds",
        ),
        Bool | Null => (parse_bool(text).is_some(), "true or false"),
        IpAddress | NotIpAddress => (
            IpNetwork::parse(text).is_some(),
            "an IP address or CIDR block",
        ),
        BinaryEquals => (base64_valid(text), "base64-encoded bytes"),
        ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => (
            text == "*" || (text.starts_with("arn:") && text.matches(':').count() >= 5),
            "an ARN (six colon-separated parts)",
        ),
        _ => (true, ""),
    };
    (!valid).then(|| format!("\"{text}\" is not {expected}; this value never matches."))
}

fn base64_valid(text: &str) -> bool {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::validate::validate;

    fn codes(text: &str, kind: PolicyKind) -> Vec<String> {
        validate(text, kind)
            .findings
            .into_iter()
            .map(|finding| finding.code)
            .collect()
    }

    fn identity(statement: &str) -> String {
        format!(r#"{{"Version":"2012-10-17","Statement":[{statement}]}}"#)
    }

    #[test]
    fn flags_risky_and_mistaken_statements() {
        let table: &[(&str, &str)] = &[
            (
                r#"{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}"#,
                "ALLOW_WITH_NOT_ACTION",
            ),
            (
                r#"{"Effect":"Allow","Action":"s3:*","NotResource":"arn:aws:s3:::x"}"#,
                "ALLOW_WITH_NOT_RESOURCE",
            ),
            (
                r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}"#,
                "PASS_ROLE_WITH_STAR_IN_RESOURCE",
            ),
            (
                r#"{"Effect":"Allow","Action":"iam:*","Resource":"*"}"#,
                "PASS_ROLE_WITH_STAR_IN_RESOURCE",
            ),
            (
                r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#,
                "FULL_ACCESS",
            ),
            (
                r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:SourceIp":"1.2.3.4"}}}"#,
                "SET_OPERATOR_WITH_SINGLE_VALUED_KEY",
            ),
            (
                r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":"a"}}}"#,
                "FOR_ALL_VALUES_WITH_ALLOW",
            ),
            (
                r#"{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:TagKeys":"a"}}}"#,
                "MISSING_SET_OPERATOR",
            ),
            (
                r#"{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:SourceIP4":"a"}}}"#,
                "UNKNOWN_GLOBAL_CONDITION_KEY",
            ),
            (
                r#"{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"StringNotEquals":{"aws:SourceVpc":"vpc-1"}}}"#,
                "CONDITION_KEY_NEVER_PRESENT",
            ),
            (
                r#"{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":"ten"}}}"#,
                "INVALID_CONDITION_VALUE",
            ),
            (
                r#"{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"NullIfExists":{"aws:username":"true"}}}"#,
                "NULL_WITH_IF_EXISTS",
            ),
            (
                r#"{"Sid":"A","Effect":"Deny","Action":"s3:*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"s3:*","Resource":"*"}"#,
                "DUPLICATE_SID",
            ),
            (
                r#"{"Effect":"Deny","Action":["s3:GetObject","S3:getobject"],"Resource":"*"}"#,
                "DUPLICATE_ACTION",
            ),
            (
                r#"{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3"}"#,
                "SHORT_RESOURCE_ARN",
            ),
            (
                r#"{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"SourceIp":"x"}}}"#,
                "CONDITION_KEY_WITHOUT_VENDOR",
            ),
            (
                r#"{"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:iam::${aws:userid}:user/x"}"#,
                "VARIABLE_OUTSIDE_RESOURCE_PART",
            ),
        ];
        for (statement, code) in table {
            let found = codes(&identity(statement), PolicyKind::Managed);
            assert!(
                found.iter().any(|found| found == code),
                "{code} not in {found:?} for {statement}"
            );
        }
    }

    #[test]
    fn duplicate_action_lint_stays_linear() {
        // A 128 KiB policy holds ~13,000 actions; pairwise comparison took a second.
        let actions: Vec<String> = (0..13_000).map(|i| format!("\"s:{i}\"")).collect();
        let text = identity(&format!(
            r#"{{"Effect":"Deny","Action":[{},"S:7"],"Resource":"*"}}"#,
            actions.join(",")
        ));
        let started = std::time::Instant::now();
        // Resource policies have no size quota, so the document is linted.
        let found = codes(&text, PolicyKind::Resource);
        assert!(started.elapsed() < std::time::Duration::from_millis(300));
        assert_eq!(
            found
                .iter()
                .filter(|code| *code == "DUPLICATE_ACTION")
                .count(),
            1
        );
    }

    #[test]
    fn clean_policy_has_no_findings() {
        let text = identity(
            r#"{"Sid":"Read","Effect":"Allow","Action":["s3:GetObject"],"Resource":"arn:aws:s3:::bucket/${aws:username}/*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}"#,
        );
        assert_eq!(codes(&text, PolicyKind::Managed), Vec::<String>::new());
    }

    #[test]
    fn findings_are_located() {
        let text = "{\"Version\":\"2012-10-17\",\"Statement\":[\n{\"Effect\":\"Allow\",\n \"NotAction\":\"iam:*\",\"Resource\":\"*\"}]}";
        let validation = validate(text, PolicyKind::Managed);
        let finding = validation
            .findings
            .iter()
            .find(|finding| finding.code == "ALLOW_WITH_NOT_ACTION")
            .expect("finding");
        let location = finding.location.expect("located");
        assert_eq!((location.start.line, location.start.column), (3, 2));
        assert_eq!((location.end.line, location.end.column), (3, 13));
    }

    #[test]
    fn public_trust_and_resource_policies_are_flagged() {
        let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#;
        assert!(codes(text, PolicyKind::Resource).contains(&"PUBLIC_ACCESS".to_string()));
        let without_version = r#"{"Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#;
        assert!(
            codes(without_version, PolicyKind::Resource).contains(&"MISSING_VERSION".to_string())
        );
    }
}
