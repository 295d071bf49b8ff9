//! The policy document model (Version, Id, Statement and its elements), built
//! from the spanned JSON tree with IAM's syntax rules, and printed back to JSON.
//!
//! The model keeps the author's choices (single value or list, element order
//! within lists, number text) so that printing and re-parsing gives an equal
//! model. Spans are carried alongside but ignored by equality.

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use super::json::{JsonMember, JsonNode, JsonValue};
use super::location::Span;

pub const VERSION_2008: &str = "2008-10-17";
pub const VERSION_2012: &str = "2012-10-17";

/// A value with the span of its JSON text. Equality ignores the span.
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }

    /// A value with no source text (built in code rather than parsed).
    pub fn unspanned(value: T) -> Self {
        Spanned {
            value,
            span: Span::default(),
        }
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T: Serialize> Serialize for Spanned<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

/// A JSON element that IAM accepts as either a single value or a list.
#[derive(Debug, Clone, PartialEq)]
pub enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    pub fn as_slice(&self) -> &[T] {
        match self {
            OneOrMany::One(value) => std::slice::from_ref(value),
            OneOrMany::Many(values) => values,
        }
    }
}

impl<T: Serialize> Serialize for OneOrMany<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            OneOrMany::One(value) => value.serialize(serializer),
            OneOrMany::Many(values) => {
                let mut seq = serializer.serialize_seq(Some(values.len()))?;
                for value in values {
                    seq.serialize_element(value)?;
                }
                seq.end()
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyDocument {
    #[serde(rename = "Version", skip_serializing_if = "Option::is_none")]
    pub version: Option<Spanned<String>>,
    #[serde(rename = "Id", skip_serializing_if = "Option::is_none")]
    pub id: Option<Spanned<String>>,
    #[serde(rename = "Statement")]
    pub statement: Spanned<OneOrMany<Spanned<Statement>>>,
}

impl PolicyDocument {
    pub fn statements(&self) -> &[Spanned<Statement>] {
        self.statement.value.as_slice()
    }

    /// Whether policy variables are substituted (only in version 2012-10-17).
    pub fn supports_variables(&self) -> bool {
        self.version
            .as_ref()
            .is_some_and(|version| version.value == VERSION_2012)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Effect {
    Allow,
    Deny,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sid: Option<Spanned<String>>,
    /// The Effect text as written: IAM's syntax check is case-insensitive,
    /// its later ("legacy") check wants exactly `Allow` or `Deny`.
    pub effect: Spanned<String>,
    pub principal: Option<PrincipalElement>,
    pub action: Option<ListElement>,
    pub resource: Option<ListElement>,
    pub condition: Option<Spanned<Vec<ConditionBlock>>>,
}

impl Statement {
    pub fn effect(&self) -> Effect {
        if self.effect.value.eq_ignore_ascii_case("deny") {
            Effect::Deny
        } else {
            Effect::Allow
        }
    }

    pub fn conditions(&self) -> &[ConditionBlock] {
        self.condition
            .as_ref()
            .map(|condition| condition.value.as_slice())
            .unwrap_or(&[])
    }
}

/// `Action`/`NotAction` or `Resource`/`NotResource`: a string or list of strings.
#[derive(Debug, Clone)]
pub struct ListElement {
    pub negated: bool,
    pub key_span: Span,
    pub values: Spanned<OneOrMany<Spanned<String>>>,
}

impl PartialEq for ListElement {
    fn eq(&self, other: &Self) -> bool {
        self.negated == other.negated && self.values == other.values
    }
}

impl ListElement {
    pub fn items(&self) -> &[Spanned<String>] {
        self.values.value.as_slice()
    }
}

/// `Principal` or `NotPrincipal`.
#[derive(Debug, Clone)]
pub struct PrincipalElement {
    pub negated: bool,
    pub key_span: Span,
    pub value: Spanned<Principal>,
}

impl PartialEq for PrincipalElement {
    fn eq(&self, other: &Self) -> bool {
        self.negated == other.negated && self.value == other.value
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Principal {
    /// `"Principal": "*"`.
    Wildcard,
    /// Any other bare string: kept so validation can name it; matches nothing.
    Text(String),
    /// `{"AWS": ..., "Service": ..., "Federated": ..., "CanonicalUser": ...}`.
    Map(Vec<PrincipalEntry>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalEntry {
    pub principal_type: Spanned<String>,
    pub values: Spanned<OneOrMany<Spanned<String>>>,
}

impl Serialize for Principal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Principal::Wildcard => serializer.serialize_str("*"),
            Principal::Text(text) => serializer.serialize_str(text),
            Principal::Map(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for entry in entries {
                    map.serialize_entry(&entry.principal_type, &entry.values)?;
                }
                map.end()
            }
        }
    }
}

/// One condition operator with its key/value entries, e.g.
/// `"StringEquals": {"aws:username": "alice"}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionBlock {
    pub operator: Spanned<String>,
    pub entries: Vec<ConditionEntry>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConditionEntry {
    pub key: Spanned<String>,
    pub values: Spanned<OneOrMany<Spanned<ConditionValue>>>,
}

/// A condition value. IAM reads them all as text; JSON numbers and booleans
/// are kept as JSON numbers and booleans. Numbers compare by value, since
/// printing may normalise their text (`1.5e3` prints as `1500.0`).
#[derive(Debug, Clone)]
pub enum ConditionValue {
    String(String),
    Number(String),
    Bool(bool),
}

impl PartialEq for ConditionValue {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (ConditionValue::String(left), ConditionValue::String(right)) => left == right,
            (ConditionValue::Bool(left), ConditionValue::Bool(right)) => left == right,
            (ConditionValue::Number(left), ConditionValue::Number(right)) => {
                left == right
                    || matches!(
                        (left.parse::<f64>(), right.parse::<f64>()),
                        (Ok(left), Ok(right)) if left == right
                    )
            }
            _ => false,
        }
    }
}

impl ConditionValue {
    pub fn text(&self) -> &str {
        match self {
            ConditionValue::String(text) | ConditionValue::Number(text) => text,
            ConditionValue::Bool(true) => "true",
            ConditionValue::Bool(false) => "false",
        }
    }
}

impl Serialize for ConditionValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ConditionValue::String(text) => serializer.serialize_str(text),
            ConditionValue::Bool(value) => serializer.serialize_bool(*value),
            ConditionValue::Number(text) => match text.parse::<serde_json::Number>() {
                Ok(number) => number.serialize(serializer),
                Err(_) => serializer.serialize_str(text),
            },
        }
    }
}

impl Serialize for Statement {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some(sid) = &self.sid {
            map.serialize_entry("Sid", sid)?;
        }
        map.serialize_entry("Effect", &self.effect)?;
        if let Some(principal) = &self.principal {
            let key = if principal.negated {
                "NotPrincipal"
            } else {
                "Principal"
            };
            map.serialize_entry(key, &principal.value)?;
        }
        if let Some(action) = &self.action {
            let key = if action.negated {
                "NotAction"
            } else {
                "Action"
            };
            map.serialize_entry(key, &action.values)?;
        }
        if let Some(resource) = &self.resource {
            let key = if resource.negated {
                "NotResource"
            } else {
                "Resource"
            };
            map.serialize_entry(key, &resource.values)?;
        }
        if let Some(condition) = &self.condition {
            map.serialize_entry("Condition", &ConditionMap(&condition.value))?;
        }
        map.end()
    }
}

struct ConditionMap<'a>(&'a [ConditionBlock]);

impl Serialize for ConditionMap<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for block in self.0 {
            map.serialize_entry(&block.operator, &ConditionEntries(&block.entries))?;
        }
        map.end()
    }
}

struct ConditionEntries<'a>(&'a [ConditionEntry]);

impl Serialize for ConditionEntries<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for entry in self.0 {
            map.serialize_entry(&entry.key, &entry.values)?;
        }
        map.end()
    }
}

impl PolicyDocument {
    /// Prints the document as compact JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A violation of IAM's policy syntax. AWS reports every one of them as
/// "Syntax errors in policy."; `detail` says what is wrong for the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub detail: &'static str,
}

fn syntax(span: Span, detail: &'static str) -> SyntaxError {
    SyntaxError { span, detail }
}

const TOP_LEVEL_ELEMENTS: [&str; 3] = ["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS: [&str; 9] = [
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// Builds the model from a parsed JSON tree, applying IAM's syntax checks.
pub fn document_from_json(root: &JsonNode) -> Result<PolicyDocument, SyntaxError> {
    let members = root
        .value
        .as_object()
        .ok_or_else(|| syntax(root.span, "A policy must be a JSON object."))?;
    for member in members {
        if !TOP_LEVEL_ELEMENTS.contains(&member.key.as_str()) {
            return Err(syntax(
                member.key_span,
                "Unknown top-level element; expected Version, Id or Statement.",
            ));
        }
    }
    let version = match root.get("Version") {
        None => None,
        Some(member) => {
            let text = string_of(member, "Version must be a string.")?;
            if text.value != VERSION_2008 && text.value != VERSION_2012 {
                return Err(syntax(
                    member.value.span,
                    "Version must be \"2012-10-17\" or \"2008-10-17\".",
                ));
            }
            Some(text)
        }
    };
    let id = match root.get("Id") {
        None => None,
        Some(member) => Some(string_of(member, "Id must be a string.")?),
    };
    let statement_member = root
        .get("Statement")
        .ok_or_else(|| syntax(root.span, "The policy has no Statement element."))?;
    let statement_node = &statement_member.value;
    let statement = match &statement_node.value {
        JsonValue::Object(_) => OneOrMany::One(statement_from_json(statement_node)?),
        JsonValue::Array(items) => {
            if items.is_empty() {
                return Err(syntax(statement_node.span, "Statement is empty."));
            }
            OneOrMany::Many(
                items
                    .iter()
                    .map(statement_from_json)
                    .collect::<Result<_, _>>()?,
            )
        }
        _ => {
            return Err(syntax(
                statement_node.span,
                "Statement must be an object or an array of objects.",
            ))
        }
    };
    Ok(PolicyDocument {
        version,
        id,
        statement: Spanned::new(statement, statement_node.span),
    })
}

fn string_of(member: &JsonMember, detail: &'static str) -> Result<Spanned<String>, SyntaxError> {
    match &member.value.value {
        JsonValue::String(text) => Ok(Spanned::new(text.clone(), member.value.span)),
        _ => Err(syntax(member.value.span, detail)),
    }
}

fn statement_from_json(node: &JsonNode) -> Result<Spanned<Statement>, SyntaxError> {
    let members = node
        .value
        .as_object()
        .ok_or_else(|| syntax(node.span, "Each statement must be a JSON object."))?;
    for member in members {
        if !STATEMENT_ELEMENTS.contains(&member.key.as_str()) {
            return Err(syntax(member.key_span, "Unknown statement element."));
        }
    }
    for (plain, negated) in [
        ("Action", "NotAction"),
        ("Resource", "NotResource"),
        ("Principal", "NotPrincipal"),
    ] {
        if let (Some(_), Some(second)) = (node.get(plain), node.get(negated)) {
            return Err(syntax(
                second.key_span,
                "A statement cannot have both an element and its Not form.",
            ));
        }
    }
    let effect_member = node
        .get("Effect")
        .ok_or_else(|| syntax(node.span, "The statement has no Effect element."))?;
    let effect = string_of(effect_member, "Effect must be \"Allow\" or \"Deny\".")?;
    if !effect.value.eq_ignore_ascii_case("allow") && !effect.value.eq_ignore_ascii_case("deny") {
        return Err(syntax(effect.span, "Effect must be \"Allow\" or \"Deny\"."));
    }
    let sid = match node.get("Sid") {
        None => None,
        Some(member) => Some(string_of(member, "Sid must be a string.")?),
    };
    let action = list_element(node, "Action", "NotAction")?;
    let resource = list_element(node, "Resource", "NotResource")?;
    let principal = principal_element(node)?;
    let condition = match node.get("Condition") {
        None => None,
        Some(member) => Some(condition_from_json(&member.value)?),
    };
    Ok(Spanned::new(
        Statement {
            sid,
            effect,
            principal,
            action,
            resource,
            condition,
        },
        node.span,
    ))
}

fn list_element(
    node: &JsonNode,
    plain: &str,
    negated: &str,
) -> Result<Option<ListElement>, SyntaxError> {
    let (member, is_negated) = match (node.get(plain), node.get(negated)) {
        (Some(member), _) => (member, false),
        (None, Some(member)) => (member, true),
        (None, None) => return Ok(None),
    };
    let values = strings_of(&member.value, "Expected a string or a list of strings.")?;
    Ok(Some(ListElement {
        negated: is_negated,
        key_span: member.key_span,
        values,
    }))
}

fn strings_of(
    node: &JsonNode,
    detail: &'static str,
) -> Result<Spanned<OneOrMany<Spanned<String>>>, SyntaxError> {
    let value = match &node.value {
        JsonValue::String(text) => OneOrMany::One(Spanned::new(text.clone(), node.span)),
        JsonValue::Array(items) => OneOrMany::Many(
            items
                .iter()
                .map(|item| match &item.value {
                    JsonValue::String(text) => Ok(Spanned::new(text.clone(), item.span)),
                    _ => Err(syntax(item.span, detail)),
                })
                .collect::<Result<_, _>>()?,
        ),
        _ => return Err(syntax(node.span, detail)),
    };
    Ok(Spanned::new(value, node.span))
}

fn principal_element(node: &JsonNode) -> Result<Option<PrincipalElement>, SyntaxError> {
    let (member, negated) = match (node.get("Principal"), node.get("NotPrincipal")) {
        (Some(member), _) => (member, false),
        (None, Some(member)) => (member, true),
        (None, None) => return Ok(None),
    };
    let principal = match &member.value.value {
        JsonValue::String(text) if text == "*" => Principal::Wildcard,
        JsonValue::String(text) => Principal::Text(text.clone()),
        JsonValue::Object(entries) => Principal::Map(
            entries
                .iter()
                .map(|entry| {
                    Ok(PrincipalEntry {
                        principal_type: Spanned::new(entry.key.clone(), entry.key_span),
                        values: strings_of(
                            &entry.value,
                            "A principal must be a string or a list of strings.",
                        )?,
                    })
                })
                .collect::<Result<_, SyntaxError>>()?,
        ),
        _ => {
            return Err(syntax(
                member.value.span,
                "Principal must be \"*\" or an object.",
            ))
        }
    };
    Ok(Some(PrincipalElement {
        negated,
        key_span: member.key_span,
        value: Spanned::new(principal, member.value.span),
    }))
}

fn condition_from_json(node: &JsonNode) -> Result<Spanned<Vec<ConditionBlock>>, SyntaxError> {
    let operators = node
        .value
        .as_object()
        .ok_or_else(|| syntax(node.span, "Condition must be a JSON object."))?;
    let mut blocks = Vec::with_capacity(operators.len());
    for operator in operators {
        let entries = operator.value.value.as_object().ok_or_else(|| {
            syntax(
                operator.value.span,
                "A condition operator must map to a JSON object.",
            )
        })?;
        if !entries.is_empty() && !super::conditions::is_known_operator(&operator.key) {
            return Err(syntax(operator.key_span, "Unknown condition operator."));
        }
        let mut parsed_entries = Vec::with_capacity(entries.len());
        for entry in entries {
            parsed_entries.push(ConditionEntry {
                key: Spanned::new(entry.key.clone(), entry.key_span),
                values: condition_values(&entry.value)?,
            });
        }
        blocks.push(ConditionBlock {
            operator: Spanned::new(operator.key.clone(), operator.key_span),
            entries: parsed_entries,
        });
    }
    Ok(Spanned::new(blocks, node.span))
}

fn condition_values(
    node: &JsonNode,
) -> Result<Spanned<OneOrMany<Spanned<ConditionValue>>>, SyntaxError> {
    const DETAIL: &str = "A condition value must be a string, number, boolean or a list of them.";
    let scalar = |item: &JsonNode| -> Result<Spanned<ConditionValue>, SyntaxError> {
        let value = match &item.value {
            JsonValue::String(text) => ConditionValue::String(text.clone()),
            JsonValue::Number(text) => ConditionValue::Number(text.clone()),
            JsonValue::Bool(value) => ConditionValue::Bool(*value),
            _ => return Err(syntax(item.span, DETAIL)),
        };
        Ok(Spanned::new(value, item.span))
    };
    let value = match &node.value {
        JsonValue::Array(items) => {
            OneOrMany::Many(items.iter().map(scalar).collect::<Result<_, _>>()?)
        }
        _ => OneOrMany::One(scalar(node)?),
    };
    Ok(Spanned::new(value, node.span))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::json;

    fn document(text: &str) -> Result<PolicyDocument, SyntaxError> {
        document_from_json(&json::parse(text).expect("json"))
    }

    #[test]
    fn accepts_single_values_and_lists() {
        let doc = document(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject",
               "Resource":["arn:aws:s3:::a/*","arn:aws:s3:::b/*"],
               "Condition":{"NumericLessThan":{"s3:max-keys":10},"Bool":{"aws:SecureTransport":true}}}}"#,
        )
        .expect("valid");
        let statement = &doc.statements()[0].value;
        assert_eq!(statement.effect(), Effect::Allow);
        assert_eq!(statement.action.as_ref().map(|a| a.items().len()), Some(1));
        assert_eq!(
            statement.resource.as_ref().map(|r| r.items().len()),
            Some(2)
        );
        assert_eq!(statement.conditions().len(), 2);
        assert!(doc.supports_variables());
    }

    #[test]
    fn prints_back_to_an_equal_document() {
        let text = r#"{"Version":"2012-10-17","Id":"x","Statement":[{"Sid":"A","Effect":"Deny",
            "NotPrincipal":{"AWS":["arn:aws:iam::123456789012:root"]},"NotAction":"iam:*",
            "NotResource":"*","Condition":{"NumericEquals":{"k:n":[1.5e3,2]},"Bool":{"aws:x":false}}}]}"#;
        let doc = document(text).expect("valid");
        let printed = doc.to_json();
        assert_eq!(document(&printed).expect("reparse"), doc);
        assert!(printed.contains("\"NotPrincipal\""));
        assert!(printed.contains("1.5e3") || printed.contains("1500"));
    }

    #[test]
    fn reports_syntax_errors_at_the_offending_text() {
        let cases: &[(&str, &str)] = &[
            (r#"[]"#, "[]"),
            (r#"{"Statement":[],"Version":"2012-10-17"}"#, "[]"),
            (r#"{"Statement":{"Effect":"Allow"},"Foo":1}"#, "\"Foo\""),
            (
                r#"{"Version":"2013-01-01","Statement":{}}"#,
                "\"2013-01-01\"",
            ),
            (
                r#"{"Statement":{"Effect":"Permit","Action":"s3:*"}}"#,
                "\"Permit\"",
            ),
            (r#"{"Statement":{"Effect":"Allow","Action":[1]}}"#, "1"),
            (
                r#"{"Statement":{"Effect":"Allow","Action":"a:b","NotAction":"a:c"}}"#,
                "\"NotAction\"",
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Condition":{"StringEqualz":{"a:b":"c"}}}}"#,
                "\"StringEqualz\"",
            ),
            (
                r#"{"Statement":{"Effect":"Allow","Condition":{"StringEquals":{"a:b":null}}}}"#,
                "null",
            ),
        ];
        for (text, offending) in cases {
            let error = document(text).expect_err(text);
            assert_eq!(
                &text[error.span.start..error.span.end],
                *offending,
                "{text}"
            );
        }
    }

    #[test]
    fn accepts_unknown_operator_with_empty_body_like_iam() {
        assert!(
            document(r#"{"Statement":{"Effect":"Allow","Condition":{"Whatever":{}}}}"#).is_ok()
        );
    }
}
