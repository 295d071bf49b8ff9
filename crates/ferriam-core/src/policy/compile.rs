//! [`Policy`]: a parsed document with every pattern compiled once, ready to be
//! evaluated many times. Immutable, `Send + Sync`, cheap to share in an `Arc`.

use super::arn::ArnPattern;
use super::conditions::{Condition, Operator};
use super::context::{Context, MissingKeys};
use super::document::{document_from_json, Effect, PolicyDocument, Statement};
use super::errors::{messages, AwsErrorCode, AwsPolicyError};
use super::json;
use super::location::{LineIndex, Position};
use super::principal::{PrincipalInfo, PrincipalMatch, PrincipalMatcher};
use super::wildcard::Glob;

/// The longest policy text IAM accepts in any API parameter.
pub const MAX_POLICY_DOCUMENT_LENGTH: usize = 131_072;

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    document: PolicyDocument,
    statements: Vec<CompiledStatement>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CompiledStatement {
    /// Zero-based position in the Statement list.
    pub index: usize,
    pub sid: Option<Box<str>>,
    pub effect: Effect,
    /// Where the statement's `{` is in the policy text, when parsed from text.
    pub start: Option<Position>,
    /// Just past the statement's `}`.
    pub end: Option<Position>,
    actions: Option<ActionMatcher>,
    resources: Option<ResourceMatcher>,
    principal: Option<PrincipalMatcher>,
    conditions: Vec<Condition>,
}

#[derive(Debug, Clone, PartialEq)]
struct ActionMatcher {
    negated: bool,
    // INVARIANT: built with `Glob::new_folded` (actions are case-insensitive).
    patterns: Vec<Glob>,
    /// The services (lowercase) an `Action` list can match, when every pattern
    /// names its service literally: a quick first check before the patterns.
    services: Option<Box<[Box<str>]>>,
}

impl ActionMatcher {
    fn new(negated: bool, actions: &[super::document::Spanned<String>]) -> ActionMatcher {
        let patterns = actions
            .iter()
            .map(|action| Glob::new_folded(&action.value))
            .collect();
        let mut services: Vec<Box<str>> = Vec::new();
        let mut literal_services = !negated;
        for action in actions {
            match action.value.split_once(':') {
                Some((service, _)) if !service.contains(['*', '?']) => {
                    let service = service.to_ascii_lowercase();
                    if !services.iter().any(|known| **known == *service) {
                        services.push(service.into());
                    }
                }
                _ => literal_services = false,
            }
        }
        ActionMatcher {
            negated,
            patterns,
            services: literal_services.then(|| services.into_boxed_slice()),
        }
    }

    /// `service` is the part of `action` before its first colon.
    fn matches(&self, action: &str, service: &str) -> bool {
        if let Some(services) = &self.services {
            if !services
                .iter()
                .any(|known| known.eq_ignore_ascii_case(service))
            {
                return false;
            }
        }
        self.patterns
            .iter()
            .any(|pattern| pattern.matches(action, true))
            != self.negated
    }
}

#[derive(Debug, Clone, PartialEq)]
struct ResourceMatcher {
    negated: bool,
    patterns: Vec<ArnPattern>,
}

impl Policy {
    /// Parses and compiles a policy, checking IAM's syntax rules (the errors
    /// IAM reports as "Syntax errors in policy."). Kind-specific rules are in
    /// [`super::validate`]; run it before storing a policy.
    pub fn parse(text: &str) -> Result<Policy, AwsPolicyError> {
        check_document_length(text)?;
        let index = LineIndex::new(text);
        let root = json::parse(text).map_err(|error| {
            AwsPolicyError::malformed(messages::SYNTAX_ERRORS)
                .at(index.location(error.span))
                .with_detail(error.kind.describe())
        })?;
        let document = document_from_json(&root).map_err(|error| {
            AwsPolicyError::malformed(messages::SYNTAX_ERRORS)
                .at(index.location(error.span))
                .with_detail(error.detail)
        })?;
        Ok(Policy::compile(document, Some(&index)))
    }

    /// Compiles a document built in code (statement positions are unknown).
    pub fn from_document(document: PolicyDocument) -> Policy {
        Policy::compile(document, None)
    }

    fn compile(document: PolicyDocument, index: Option<&LineIndex<'_>>) -> Policy {
        let variables = document.supports_variables();
        let statements = document
            .statements()
            .iter()
            .enumerate()
            .map(|(position, statement)| {
                let mut compiled = compile_statement(position, &statement.value, variables);
                if let Some(index) = index {
                    compiled.start = Some(index.position(statement.span.start));
                    compiled.end = Some(index.position(statement.span.end));
                }
                compiled
            })
            .collect();
        Policy {
            document,
            statements,
        }
    }

    pub fn document(&self) -> &PolicyDocument {
        &self.document
    }

    /// Whether any condition tests a key starting with `prefix` (ASCII case ignored), so a
    /// caller can skip gathering context (e.g. resource tags) no statement reads.
    pub fn tests_key_prefix(&self, prefix: &str) -> bool {
        self.document.statements().iter().any(|statement| {
            statement.value.conditions().iter().any(|block| {
                block.entries.iter().any(|entry| {
                    entry
                        .key
                        .value
                        .get(..prefix.len())
                        .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
                })
            })
        })
    }

    pub fn statements(&self) -> &[CompiledStatement] {
        &self.statements
    }
}

/// The service of an action: the text before its first colon.
pub fn action_service(action: &str) -> &str {
    action
        .split_once(':')
        .map_or(action, |(service, _)| service)
}

/// Rejects text longer than any IAM policy parameter allows, before parsing.
pub fn check_document_length(text: &str) -> Result<(), AwsPolicyError> {
    // SECURITY: bounds parsing work; bytes >= characters, so count only when needed.
    if text.len() > MAX_POLICY_DOCUMENT_LENGTH && text.chars().count() > MAX_POLICY_DOCUMENT_LENGTH
    {
        return Err(AwsPolicyError::new(
            AwsErrorCode::ValidationError,
            format!(
                "1 validation error detected: Value at 'policyDocument' failed to satisfy constraint: Member must have length less than or equal to {MAX_POLICY_DOCUMENT_LENGTH}"
            ),
        ));
    }
    Ok(())
}

fn compile_statement(index: usize, statement: &Statement, variables: bool) -> CompiledStatement {
    let actions = statement
        .action
        .as_ref()
        .map(|element| ActionMatcher::new(element.negated, element.items()));
    let resources = statement.resource.as_ref().map(|element| ResourceMatcher {
        negated: element.negated,
        patterns: element
            .items()
            .iter()
            .map(|resource| ArnPattern::new(&resource.value, variables, false))
            .collect(),
    });
    let conditions = statement
        .conditions()
        .iter()
        .filter_map(|block| Some((Operator::parse(&block.operator.value)?, block)))
        .flat_map(|(operator, block)| {
            block.entries.iter().map(move |entry| {
                let values = entry
                    .values
                    .value
                    .as_slice()
                    .iter()
                    .map(|value| value.value.text());
                Condition::new(operator, &entry.key.value, values, variables)
            })
        })
        .collect();
    CompiledStatement {
        index,
        sid: statement.sid.as_ref().map(|sid| sid.value.as_str().into()),
        effect: statement.effect(),
        start: None,
        end: None,
        actions,
        resources,
        principal: statement.principal.as_ref().map(PrincipalMatcher::new),
        conditions,
    }
}

impl CompiledStatement {
    /// Whether the statement covers `action` (case-insensitive).
    pub fn matches_action(&self, action: &str) -> bool {
        match &self.actions {
            // SECURITY: a statement without Action/NotAction grants nothing.
            None => false,
            Some(matcher) => matcher.matches(action, action_service(action)),
        }
    }

    /// [`CompiledStatement::matches_action`] with the action's service
    /// already split off (see [`action_service`]), for evaluation loops.
    pub fn matches_action_in(&self, action: &str, service: &str) -> bool {
        self.actions
            .as_ref()
            .is_some_and(|matcher| matcher.matches(action, service))
    }

    /// Whether the statement covers `resource` (case-sensitive, part by part).
    pub fn matches_resource<'p>(
        &'p self,
        resource: &str,
        context: &'p Context,
        missing: &mut MissingKeys<'p>,
    ) -> bool {
        match &self.resources {
            // Resource-based and trust policies may omit Resource: the policy
            // applies to the resource it is attached to.
            // SECURITY: without a Principal either, the statement covers nothing.
            None => self.principal.is_some(),
            Some(matcher) => {
                let mut any = false;
                for pattern in &matcher.patterns {
                    if pattern.matches(resource, context, missing) {
                        any = true;
                        break;
                    }
                }
                any != matcher.negated
            }
        }
    }

    /// How the statement names the caller; `Direct` when it has no Principal.
    pub fn matches_principal(&self, principal: &PrincipalInfo) -> PrincipalMatch {
        match &self.principal {
            None => PrincipalMatch::Direct,
            Some(matcher) => matcher.matches(principal),
        }
    }

    pub fn has_principal(&self) -> bool {
        self.principal.is_some()
    }

    pub fn has_not_principal(&self) -> bool {
        self.principal
            .as_ref()
            .is_some_and(|matcher| matcher.negated)
    }

    /// Evaluates every condition entry (all must hold). Every entry is
    /// evaluated, so all missing keys are reported.
    pub fn conditions_hold<'p>(
        &'p self,
        context: &'p Context,
        missing: &mut MissingKeys<'p>,
    ) -> bool {
        let mut all = true;
        for condition in &self.conditions {
            all &= condition.evaluate(context, missing);
        }
        all
    }

    pub fn conditions(&self) -> &[Condition] {
        &self.conditions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_locates_statements() {
        let text = "{\n \"Version\": \"2012-10-17\",\n \"Statement\": [\n  {\"Sid\": \"One\", \"Effect\": \"Allow\", \"Action\": \"IAM:get*\", \"Resource\": \"*\"}\n ]\n}";
        let policy = Policy::parse(text).expect("valid");
        let statement = &policy.statements()[0];
        assert_eq!(statement.start, Some(Position { line: 4, column: 3 }));
        assert_eq!(statement.sid.as_deref(), Some("One"));
        assert!(statement.matches_action("iam:GetUser"));
        assert!(!statement.matches_action("iam:ListUsers"));
    }

    #[test]
    fn action_matching_with_the_service_prefilter() {
        let statement = |actions: &str| {
            let text = format!(
                r#"{{"Statement":{{"Effect":"Allow","Action":{actions},"Resource":"*"}}}}"#
            );
            Policy::parse(&text).expect("valid").statements()[0].clone()
        };
        let table: &[(&str, &str, bool)] = &[
            (r#"["S3:Get*","IAM:get*"]"#, "iam:GetUser", true),
            (r#"["s3:Get*"]"#, "iam:GetUser", false),
            (r#"["s3:Get*"]"#, "s3x:GetObject", false),
            (r#"["*:Get*"]"#, "iam:GetUser", true),
            (r#"["i?m:GetUser"]"#, "iam:GetUser", true),
            (r#""*""#, "anything:AtAll", true),
            (r#"["iam:*AccessKey*"]"#, "iam:CreateAccessKey", true),
            (r#"["iam:*AccessKey*"]"#, "iam:CreateUser", false),
        ];
        for (actions, action, expected) in table {
            assert_eq!(
                statement(actions).matches_action(action),
                *expected,
                "{actions} {action}"
            );
        }
        let text = r#"{"Statement":{"Effect":"Allow","NotAction":"s3:*","Resource":"*"}}"#;
        let not_action = Policy::parse(text).expect("valid").statements()[0].clone();
        assert!(not_action.matches_action("iam:GetUser"));
        assert!(!not_action.matches_action("S3:GetObject"));
    }

    #[test]
    fn syntax_errors_are_located() {
        let error = Policy::parse("{\"Statement\": {\"Effect\": \"Maybe\"}}").expect_err("bad");
        assert_eq!(error.code, AwsErrorCode::MalformedPolicyDocument);
        assert_eq!(error.message, "Syntax errors in policy.");
        assert_eq!(error.location.map(|l| l.start.column), Some(26));
        let error = Policy::parse("{").expect_err("bad");
        assert_eq!(error.message, "Syntax errors in policy.");
    }

    #[test]
    fn huge_documents_are_rejected_before_parsing() {
        let huge = " ".repeat(MAX_POLICY_DOCUMENT_LENGTH + 1);
        assert_eq!(
            Policy::parse(&huge).expect_err("too long").code,
            AwsErrorCode::ValidationError
        );
    }

    #[test]
    fn policies_are_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Policy>();
    }
}
