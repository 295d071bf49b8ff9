//! IAM's checks on CreatePolicy / PutUserPolicy / CreateRole ..., in IAM's
//! order and with AWS's messages, plus the editor's findings.
//!
//! The order follows IAM as reproduced by moto's validator: syntax, version,
//! legacy parsing (Effect case, dates, resource shapes), Sid uniqueness,
//! actions present, resources present, resource formats, action vendors.

use serde::Serialize;

use super::compile::check_document_length;
use super::conditions::{parse_date, BaseOperator, Operator};
use super::document::{
    document_from_json, Effect, ListElement, PolicyDocument, Principal, Statement, VERSION_2012,
};
use super::errors::{error_json, messages, AwsPolicyError};
use super::findings::{lint, Finding};
use super::json;
use super::kind::{policy_size, PolicyKind};
use super::location::{LineIndex, Span};
use super::principal::{is_account_id, is_principal_unique_id};

mod resources;

pub use resources::resource_format_error;

/// The outcome of validating a policy: AWS's error if IAM would reject it,
/// and every finding for the editor (the error included, located).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Validation {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<AwsPolicyError>,
    pub findings: Vec<Finding>,
}

impl Validation {
    pub fn is_valid(&self) -> bool {
        self.error.is_none()
    }
}

/// Validates `text` as a policy of `kind`.
pub fn validate(text: &str, kind: PolicyKind) -> Validation {
    validate_named(text, kind, None)
}

/// Like [`validate`], naming the user/group/role in inline size errors.
pub fn validate_named(text: &str, kind: PolicyKind, entity_name: Option<&str>) -> Validation {
    let index = LineIndex::new(text);
    let fail = |error: AwsPolicyError, findings: Vec<Finding>| {
        let mut all = vec![Finding::from_error(&error)];
        all.extend(findings);
        Validation {
            error: Some(error),
            findings: all,
        }
    };
    if let Err(error) = check_document_length(text) {
        return fail(error, Vec::new());
    }
    if let Some(quota) = kind.size_quota() {
        if policy_size(text) > quota {
            if let Some(error) = kind.size_exceeded(entity_name) {
                return fail(error, Vec::new());
            }
        }
    }
    let root = match json::parse(text) {
        Ok(root) => root,
        Err(error) => {
            let message = if kind == PolicyKind::Trust {
                messages::INVALID_JSON
            } else {
                messages::SYNTAX_ERRORS
            };
            let error = AwsPolicyError::malformed(message)
                .at(index.location(error.span))
                .with_detail(error.kind.describe());
            return fail(error, Vec::new());
        }
    };
    if kind == PolicyKind::Trust {
        if let Some(statement) = root.get("Statement") {
            if statement
                .value
                .value
                .as_array()
                .is_some_and(<[_]>::is_empty)
            {
                let error = AwsPolicyError::malformed(messages::TRUST_EMPTY_STATEMENT)
                    .at(index.location(statement.value.span));
                return fail(error, Vec::new());
            }
        }
    }
    let document = match document_from_json(&root) {
        Ok(document) => document,
        Err(error) => {
            let error = AwsPolicyError::malformed(messages::SYNTAX_ERRORS)
                .at(index.location(error.span))
                .with_detail(error.detail);
            return fail(error, Vec::new());
        }
    };
    let findings = lint(&document, kind, &index);
    match check_document(&document, kind) {
        Ok(()) => Validation {
            error: None,
            findings,
        },
        Err(problem) => {
            let mut error =
                AwsPolicyError::malformed(problem.message).at(index.location(problem.span));
            if let Some(detail) = problem.detail {
                error = error.with_detail(detail);
            }
            fail(error, findings)
        }
    }
}

/// `ferriam policy validate`: AWS's error, or the findings when IAM accepts it.
pub fn validate_json(kind: PolicyKind, text: &str) -> Result<Vec<Finding>, AwsPolicyError> {
    let validation = validate(text, kind);
    match validation.error {
        Some(error) => Err(error),
        None => Ok(validation.findings),
    }
}

/// `ferriam policy validate --kind KIND` in one call: the JSON to print and
/// whether it is an error (exit 1). `kind` is the CLI spelling.
pub fn run_validate(kind: &str, text: &str) -> (String, bool) {
    let Some(kind) = PolicyKind::parse(kind) else {
        let message = format!(
            "Unknown policy kind {kind}: expected managed, user, group, role, trust or resource."
        );
        return (error_json("ValidationError", &message), true);
    };
    match validate_json(kind, text) {
        Ok(findings) => (findings_json(&findings), false),
        Err(error) => (error.to_error_json(), true),
    }
}

/// The findings as the validate command prints them: `{"Findings": [...]}`.
pub fn findings_json(findings: &[Finding]) -> String {
    #[derive(Serialize)]
    struct Output<'a> {
        #[serde(rename = "Findings")]
        findings: &'a [Finding],
    }
    serde_json::to_string(&Output { findings }).unwrap_or_default()
}

struct Problem {
    message: String,
    span: Span,
    detail: Option<&'static str>,
}

fn problem(message: impl Into<String>, span: Span) -> Problem {
    Problem {
        message: message.into(),
        span,
        detail: None,
    }
}

fn check_document(document: &PolicyDocument, kind: PolicyKind) -> Result<(), Problem> {
    let statements = document.statements();
    if kind.is_identity() {
        let is_2012 = document
            .version
            .as_ref()
            .is_some_and(|version| version.value == VERSION_2012);
        if !is_2012 {
            let span = document
                .version
                .as_ref()
                .map_or(Span::new(0, 1), |version| version.span);
            return Err(problem(messages::VERSION_TOO_OLD, span));
        }
    }
    for statement in statements {
        check_principal(&statement.value, statement.span, kind)?;
        if kind == PolicyKind::Trust {
            check_trust_resources(&statement.value)?;
        }
    }
    let resource_problem = check_legacy_parsing(statements)?;
    check_sids(statements, kind)?;
    for statement in statements {
        let has_actions = statement
            .value
            .action
            .as_ref()
            .is_some_and(|action| !action.items().is_empty());
        if !has_actions {
            let span = statement
                .value
                .action
                .as_ref()
                .map_or(statement.span, |a| a.values.span);
            return Err(problem(messages::MISSING_ACTIONS, span));
        }
    }
    if kind != PolicyKind::Trust {
        for statement in statements {
            let has_resources = statement
                .value
                .resource
                .as_ref()
                .is_some_and(|resource| !resource.items().is_empty());
            if !has_resources {
                let span = statement
                    .value
                    .resource
                    .as_ref()
                    .map_or(statement.span, |r| r.values.span);
                return Err(problem(messages::MISSING_RESOURCES, span));
            }
        }
    }
    if let Some(resource_problem) = resource_problem {
        return Err(resource_problem);
    }
    // Condition keys are not checked: IAM accepts `{"StringEqualsIfExists": {"a": "asf"}}`
    // (moto's recorded responses); the editor warns instead.
    for statement in statements {
        if let Some(action) = &statement.value.action {
            check_action_vendors(action)?;
        }
    }
    if kind == PolicyKind::Trust {
        for statement in statements {
            if let Some(action) = &statement.value.action {
                check_trust_actions(action)?;
            }
        }
    }
    Ok(())
}

fn check_principal(
    statement: &Statement,
    statement_span: Span,
    kind: PolicyKind,
) -> Result<(), Problem> {
    if kind.is_identity() {
        if let Some(principal) = &statement.principal {
            return Err(problem(messages::PRINCIPAL_NOT_ALLOWED, principal.key_span));
        }
        return Ok(());
    }
    let Some(principal) = &statement.principal else {
        return Err(problem(messages::MISSING_PRINCIPAL, statement_span));
    };
    if kind == PolicyKind::Trust && principal.negated && statement.effect() == Effect::Allow {
        return Err(problem(messages::ALLOW_NOT_PRINCIPAL, principal.key_span));
    }
    match &principal.value.value {
        Principal::Wildcard => Ok(()),
        Principal::Text(text) => Err(problem(
            format!("Invalid principal in policy: \"{text}\""),
            principal.value.span,
        )),
        Principal::Map(entries) => {
            if entries.is_empty()
                || entries
                    .iter()
                    .any(|entry| entry.values.value.as_slice().is_empty())
            {
                return Err(problem(messages::EMPTY_PRINCIPAL, principal.value.span));
            }
            for entry in entries {
                let principal_type = entry.principal_type.value.as_str();
                for value in entry.values.value.as_slice() {
                    if !valid_principal(principal_type, &value.value) {
                        return Err(problem(
                            format!(
                                "Invalid principal in policy: \"{principal_type}\":\"{}\"",
                                value.value
                            ),
                            value.span,
                        ));
                    }
                }
            }
            Ok(())
        }
    }
}

fn valid_principal(principal_type: &str, value: &str) -> bool {
    match principal_type {
        "AWS" => {
            value == "*"
                || is_account_id(value)
                || is_principal_unique_id(value)
                || (value.starts_with("arn:")
                    && !value.contains(['*', '?'])
                    && super::arn::split_arn(value).is_some_and(|parts| {
                        matches!(parts[2], "iam" | "sts")
                            && is_account_id(parts[4])
                            && !parts[5].is_empty()
                    }))
        }
        "Service" => !value.is_empty() && !value.contains(char::is_whitespace),
        "Federated" | "CanonicalUser" => !value.is_empty(),
        _ => false,
    }
}

fn check_trust_resources(statement: &Statement) -> Result<(), Problem> {
    match &statement.resource {
        Some(resource) if resource.negated => {
            Err(problem(messages::TRUST_NOT_RESOURCE, resource.key_span))
        }
        Some(resource) => Err(problem(messages::TRUST_RESOURCE, resource.key_span)),
        None => Ok(()),
    }
}

/// IAM's "legacy parsing": Effect spelled exactly, dates that parse, then the
/// resource checks of [`resources::scan`]. Returns the resource format problem
/// IAM reports later, after the Sid, Action and Resource checks.
fn check_legacy_parsing(
    statements: &[super::document::Spanned<Statement>],
) -> Result<Option<Problem>, Problem> {
    for statement in statements {
        let statement = &statement.value;
        if statement.effect.value != "Allow" && statement.effect.value != "Deny" {
            return Err(Problem {
                detail: Some("Effect must be spelled exactly \"Allow\" or \"Deny\"."),
                ..problem(messages::LEGACY_PARSING, statement.effect.span)
            });
        }
        for block in statement.conditions() {
            let Some(operator) = Operator::parse(&block.operator.value) else {
                continue;
            };
            if !is_date_operator(operator.base) {
                continue;
            }
            for entry in &block.entries {
                for value in entry.values.value.as_slice() {
                    if parse_date(value.value.text()).is_none() {
                        return Err(Problem {
                            detail: Some("Not a valid date: use ISO 8601 or epoch seconds."),
                            ..problem(messages::LEGACY_PARSING, value.span)
                        });
                    }
                }
            }
        }
    }
    match resources::scan(statements) {
        Ok(format_error) => Ok(format_error.map(|(message, span)| problem(message, span))),
        Err(span) => Err(problem(messages::LEGACY_PARSING, span)),
    }
}

fn is_date_operator(base: BaseOperator) -> bool {
    matches!(
        base,
        BaseOperator::DateEquals
            | BaseOperator::DateNotEquals
            | BaseOperator::DateLessThan
            | BaseOperator::DateLessThanEquals
            | BaseOperator::DateGreaterThan
            | BaseOperator::DateGreaterThanEquals
    )
}

fn check_sids(
    statements: &[super::document::Spanned<Statement>],
    kind: PolicyKind,
) -> Result<(), Problem> {
    if kind != PolicyKind::Resource {
        for statement in statements {
            if let Some(sid) = &statement.value.sid {
                if !sid.value.bytes().all(|byte| byte.is_ascii_alphanumeric()) {
                    return Err(problem(messages::SID_NOT_ALPHANUMERIC, sid.span));
                }
            }
        }
    }
    let mut seen: Vec<&str> = Vec::new();
    for statement in statements {
        if let Some(sid) = &statement.value.sid {
            if sid.value.is_empty() {
                continue;
            }
            if seen.contains(&sid.value.as_str()) {
                return Err(problem(messages::DUPLICATE_SID, sid.span));
            }
            seen.push(&sid.value);
        }
    }
    Ok(())
}

fn check_action_vendors(action: &ListElement) -> Result<(), Problem> {
    for item in action.items() {
        let parts: Vec<&str> = item.value.split(':').collect();
        if parts.len() == 1 && parts[0] != "*" {
            return Err(problem(messages::MISSING_VENDOR, item.span));
        }
        if parts.len() > 2 {
            return Err(problem(messages::ONE_COLON, item.span));
        }
        let vendor = parts[0];
        let valid_vendor = vendor
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'.');
        if vendor != "*" && !valid_vendor {
            return Err(problem(format!("Vendor {vendor} is not valid"), item.span));
        }
    }
    Ok(())
}

/// The actions a trust policy may grant.
const TRUST_ACTIONS: [&str; 6] = [
    "sts:assumerole",
    "sts:assumerolewithsaml",
    "sts:assumerolewithwebidentity",
    "sts:tagsession",
    "sts:setsourceidentity",
    "sts:setcontext",
];

fn check_trust_actions(action: &ListElement) -> Result<(), Problem> {
    for item in action.items() {
        let pattern = super::wildcard::Glob::new_folded(&item.value);
        let is_sts = item.value.to_ascii_lowercase().starts_with("sts:");
        if !is_sts
            || !TRUST_ACTIONS
                .iter()
                .any(|allowed| pattern.matches(allowed, true))
        {
            return Err(problem(messages::TRUST_ACTIONS, item.span));
        }
    }
    Ok(())
}

/// Severity-sorted findings are convenient for display.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by_key(|finding| (finding.severity, finding.location.map(|l| l.start)));
}

#[cfg(test)]
mod recorded_tests;
#[cfg(test)]
mod tests;
