//! Property tests: printing a document and parsing it back gives the same
//! model; adding a Deny never turns a denial into an allow; adding an Allow
//! never turns an allow into a denial.

use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;

use super::document::{
    document_from_json, ConditionBlock, ConditionEntry, ConditionValue, ListElement, OneOrMany,
    PolicyDocument, Principal, PrincipalElement, PrincipalEntry, Spanned, Statement,
};
use super::location::Span;
use super::*;

fn text() -> impl Strategy<Value = String> + Clone {
    "\\PC{0,12}"
}

fn one_or_many<T: std::fmt::Debug + Clone + 'static>(
    item: impl Strategy<Value = T> + Clone + 'static,
) -> impl Strategy<Value = OneOrMany<Spanned<T>>> {
    prop_oneof![
        item.clone()
            .prop_map(|value| OneOrMany::One(Spanned::unspanned(value))),
        vec(item, 0..4).prop_map(|values| OneOrMany::Many(
            values.into_iter().map(Spanned::unspanned).collect()
        )),
    ]
}

fn list_element() -> impl Strategy<Value = ListElement> {
    (any::<bool>(), one_or_many(text())).prop_map(|(negated, values)| ListElement {
        negated,
        key_span: Span::default(),
        values: Spanned::unspanned(values),
    })
}

fn principal_element() -> impl Strategy<Value = PrincipalElement> {
    let principal = prop_oneof![
        Just(Principal::Wildcard),
        btree_map(
            prop_oneof![
                Just("AWS"),
                Just("Service"),
                Just("Federated"),
                Just("CanonicalUser")
            ],
            one_or_many(text()),
            1..3
        )
        .prop_map(|entries| Principal::Map(
            entries
                .into_iter()
                .map(|(kind, values)| PrincipalEntry {
                    principal_type: Spanned::unspanned(kind.to_string()),
                    values: Spanned::unspanned(values),
                })
                .collect()
        )),
    ];
    (any::<bool>(), principal).prop_map(|(negated, principal)| PrincipalElement {
        negated,
        key_span: Span::default(),
        value: Spanned::unspanned(principal),
    })
}

fn condition_value() -> impl Strategy<Value = ConditionValue> + Clone {
    prop_oneof![
        text().prop_map(ConditionValue::String),
        any::<i32>().prop_map(|number| ConditionValue::Number(number.to_string())),
        (-1000i32..1000, 1u8..9)
            .prop_map(|(whole, tenths)| ConditionValue::Number(format!("{whole}.{tenths}"))),
        any::<bool>().prop_map(ConditionValue::Bool),
    ]
}

fn conditions() -> impl Strategy<Value = Vec<ConditionBlock>> {
    let operator = prop_oneof![
        Just("StringEquals"),
        Just("ForAnyValue:StringLike"),
        Just("NumericLessThanIfExists"),
        Just("Bool"),
        Just("DateGreaterThan"),
        Just("Null"),
    ];
    btree_map(
        operator,
        btree_map(text(), one_or_many(condition_value()), 0..3),
        1..3,
    )
    .prop_map(|blocks| {
        blocks
            .into_iter()
            .map(|(operator, entries)| ConditionBlock {
                operator: Spanned::unspanned(operator.to_string()),
                entries: entries
                    .into_iter()
                    .map(|(key, values)| ConditionEntry {
                        key: Spanned::unspanned(key),
                        values: Spanned::unspanned(values),
                    })
                    .collect(),
            })
            .collect()
    })
}

fn statement() -> impl Strategy<Value = Statement> {
    (
        option::of(text()),
        prop_oneof![Just("Allow"), Just("Deny")],
        option::of(principal_element()),
        option::of(list_element()),
        option::of(list_element()),
        option::of(conditions()),
    )
        .prop_map(
            |(sid, effect, principal, action, resource, condition)| Statement {
                sid: sid.map(Spanned::unspanned),
                effect: Spanned::unspanned(effect.to_string()),
                principal,
                action,
                resource,
                condition: condition.map(Spanned::unspanned),
            },
        )
}

fn document() -> impl Strategy<Value = PolicyDocument> {
    let statements = prop_oneof![
        statement().prop_map(|statement| OneOrMany::One(Spanned::unspanned(statement))),
        vec(statement(), 1..4).prop_map(|statements| OneOrMany::Many(
            statements.into_iter().map(Spanned::unspanned).collect()
        )),
    ];
    (
        option::of(prop_oneof![Just(VERSION_2008), Just(VERSION_2012)]),
        option::of(text()),
        statements,
    )
        .prop_map(|(version, id, statements)| PolicyDocument {
            version: version.map(|version| Spanned::unspanned(version.to_string())),
            id: id.map(Spanned::unspanned),
            statement: Spanned::unspanned(statements),
        })
}

proptest! {
    #[test]
    fn printing_then_parsing_gives_an_equal_model(document in document()) {
        let printed = document.to_json();
        let root = json::parse(&printed).map_err(|error| TestCaseError::fail(format!("{error:?} in {printed}")))?;
        let reparsed = document_from_json(&root).map_err(|error| TestCaseError::fail(format!("{error:?} in {printed}")))?;
        prop_assert_eq!(&reparsed, &document);
        // Compiling the printed text accepts it too.
        prop_assert!(Policy::parse(&printed).is_ok());
    }
}

fn wildcard_text(max: usize) -> impl Strategy<Value = String> {
    vec(
        prop_oneof![
            Just('a'),
            Just('B'),
            Just('b'),
            Just(':'),
            Just('/'),
            Just('é'),
            Just('*'),
            Just('?')
        ],
        0..max,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// The fast paths of `Glob` agree with the general backtracking matcher.
    #[test]
    fn glob_fast_paths_agree_with_the_general_matcher(pattern in wildcard_text(8), text in wildcard_text(10)) {
        let text: String = text.chars().filter(|ch| *ch != '*' && *ch != '?').collect();
        let general = wildcard::split_pieces(&pattern);
        prop_assert_eq!(
            wildcard::Glob::new(&pattern).matches(&text, false),
            wildcard::matches_pieces(&general[..], &text, false)
        );
        let folded = pattern.to_ascii_lowercase();
        let general_folded = wildcard::split_pieces(&folded);
        prop_assert_eq!(
            wildcard::Glob::new_folded(&pattern).matches(&text, true),
            wildcard::matches_pieces(&general_folded[..], &text.to_ascii_lowercase(), false)
        );
    }

    /// ARN patterns match part by part (the literal-prefix fast path included).
    #[test]
    fn arn_patterns_match_part_by_part(pattern in wildcard_text(14), value in wildcard_text(14)) {
        let pattern = format!("arn:{pattern}");
        let value: String = format!("arn:{value}").chars().filter(|ch| *ch != '*' && *ch != '?').collect();
        let context = Context::new();
        let mut missing = MissingKeys::default();
        let compiled = arn::ArnPattern::new(&pattern, false, false);
        let mut pattern_parts: Vec<&str> = pattern.splitn(6, ':').collect();
        while pattern_parts.len() < 6 {
            pattern_parts.push("*");
        }
        let expected = match split_arn(&value) {
            Some(value_parts) => pattern_parts
                .iter()
                .zip(value_parts)
                .all(|(pattern, part)| wildcard::matches_pieces(&wildcard::split_pieces(pattern)[..], part, false)),
            None => false,
        };
        prop_assert_eq!(compiled.matches(&value, &context, &mut missing), expected);
    }
}

// Policies over a small vocabulary, so that statements often apply.
const ACTIONS: [&str; 4] = [
    "s3:GetObject",
    "s3:PutObject",
    "iam:CreateUser",
    "iam:GetUser",
];
const ACTION_PATTERNS: [&str; 6] = [
    "*",
    "s3:*",
    "s3:Get*",
    "iam:*User",
    "iam:CreateUser",
    "ec2:*",
];
const RESOURCES: [&str; 3] = [
    "arn:aws:s3:::bucket/key",
    "arn:aws:iam::111122223333:user/bob",
    "*",
];
const RESOURCE_PATTERNS: [&str; 5] = [
    "*",
    "arn:aws:s3:::bucket/*",
    "arn:aws:s3:::bucket/key",
    "arn:aws:iam::111122223333:user/*",
    "arn:aws:s3:::home/${aws:username}/*",
];
const CONDITIONS: [&str; 5] = [
    "",
    r#","Condition":{"Bool":{"aws:SecureTransport":"true"}}"#,
    r#","Condition":{"StringNotEquals":{"aws:username":"alice"}}"#,
    r#","Condition":{"ForAllValues:StringLike":{"aws:TagKeys":["team*"]}}"#,
    r#","Condition":{"IpAddressIfExists":{"aws:SourceIp":"203.0.113.0/24"}}"#,
];
const PRINCIPALS: [&str; 4] = [
    r#""*""#,
    r#"{"AWS":"arn:aws:iam::111122223333:user/alice"}"#,
    r#"{"AWS":"111122223333"}"#,
    r#"{"AWS":"arn:aws:iam::111122223333:role/admin"}"#,
];

fn statement_json(
    with_principal: bool,
    effect: Option<&'static str>,
) -> impl Strategy<Value = String> {
    (
        prop_oneof![Just("Allow"), Just("Deny")],
        any::<bool>(),
        0..ACTION_PATTERNS.len(),
        any::<bool>(),
        0..RESOURCE_PATTERNS.len(),
        0..CONDITIONS.len(),
        0..PRINCIPALS.len(),
    )
        .prop_map(move |(random_effect, not_action, action, not_resource, resource, condition, principal)| {
            let effect = effect.unwrap_or(random_effect);
            let action_key = if not_action { "NotAction" } else { "Action" };
            let resource_key = if not_resource { "NotResource" } else { "Resource" };
            let principal = if with_principal {
                format!(r#","Principal":{}"#, PRINCIPALS[principal])
            } else {
                String::new()
            };
            format!(
                r#"{{"Effect":"{effect}"{principal},"{action_key}":"{}","{resource_key}":"{}"{}}}"#,
                ACTION_PATTERNS[action], RESOURCE_PATTERNS[resource], CONDITIONS[condition]
            )
        })
}

fn named(id: &str, statements: &[String]) -> NamedPolicy {
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    );
    NamedPolicy::new(id, Policy::parse(&text).expect("generated policies parse"))
}

#[derive(Debug, Clone)]
struct Scenario {
    identity: Vec<String>,
    boundary: Option<Vec<String>>,
    session: Option<Vec<String>>,
    resource: Option<Vec<String>>,
    principal: usize,
    action: usize,
    resource_arn: usize,
    context: (bool, bool, Option<bool>),
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        vec(statement_json(false, None), 0..5),
        option::of(vec(statement_json(false, None), 1..3)),
        option::of(vec(statement_json(false, None), 1..3)),
        option::of(vec(statement_json(true, None), 1..3)),
        0..3usize,
        0..ACTIONS.len(),
        0..RESOURCES.len(),
        (any::<bool>(), any::<bool>(), option::of(any::<bool>())),
    )
        .prop_map(
            |(identity, boundary, session, resource, principal, action, resource_arn, context)| {
                Scenario {
                    identity,
                    boundary,
                    session,
                    resource,
                    principal,
                    action,
                    resource_arn,
                    context,
                }
            },
        )
}

fn decide(scenario: &Scenario) -> Decision {
    let principals = [
        "arn:aws:iam::111122223333:user/alice",
        "arn:aws:sts::111122223333:assumed-role/admin/s1",
        "arn:aws:iam::111122223333:user/bob",
    ];
    let principal = PrincipalInfo::from_arn(principals[scenario.principal]).expect("principal");
    let identity: Vec<NamedPolicy> = scenario
        .identity
        .iter()
        .enumerate()
        .map(|(index, statement)| {
            named(&format!("identity{index}"), std::slice::from_ref(statement))
        })
        .collect();
    let boundary: Vec<NamedPolicy> = scenario
        .boundary
        .iter()
        .map(|s| named("boundary", s))
        .collect();
    let session: Vec<NamedPolicy> = scenario
        .session
        .iter()
        .map(|s| named("session", s))
        .collect();
    let resource = scenario.resource.as_ref().map(|s| named("resource", s));
    let (secure, alice, tags) = scenario.context;
    let mut context = Context::new();
    context.insert_bool("aws:SecureTransport", secure);
    if alice {
        context.insert("aws:username", "alice");
    }
    if let Some(team) = tags {
        context.insert_list(
            "aws:TagKeys",
            if team { vec!["team-a"] } else { vec!["other"] },
        );
    }
    let inputs = PolicyInputs {
        identity: &identity,
        permissions_boundary: &boundary,
        session: &session,
        resource: resource.as_ref().map(|policy| ResourcePolicyInput {
            policy,
            kind: ResourcePolicyKind::Resource,
        }),
    };
    let request = EvaluationRequest {
        principal: &principal,
        action: ACTIONS[scenario.action],
        resource: RESOURCES[scenario.resource_arn],
        resource_account: None,
        context: &context,
    };
    evaluate(&inputs, &request).decision
}

#[derive(Debug, Clone, Copy)]
enum Target {
    Identity,
    Boundary,
    Session,
    Resource,
}

fn add_statement(
    scenario: &Scenario,
    target: Target,
    statement: String,
    principal_statement: String,
) -> Scenario {
    let mut changed = scenario.clone();
    match target {
        Target::Identity => changed.identity.push(statement),
        Target::Boundary => {
            if let Some(boundary) = changed.boundary.as_mut() {
                boundary.push(statement);
            }
        }
        Target::Session => {
            if let Some(session) = changed.session.as_mut() {
                session.push(statement);
            }
        }
        Target::Resource => changed
            .resource
            .get_or_insert_with(Vec::new)
            .push(principal_statement),
    }
    changed
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        Just(Target::Identity),
        Just(Target::Boundary),
        Just(Target::Session),
        Just(Target::Resource),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn adding_a_deny_never_turns_a_denial_into_an_allow(
        scenario in scenario(),
        target in target(),
        deny in statement_json(false, Some("Deny")),
        resource_deny in statement_json(true, Some("Deny")),
    ) {
        let before = decide(&scenario);
        let after = decide(&add_statement(&scenario, target, deny, resource_deny));
        if before != Decision::Allowed {
            prop_assert_ne!(after, Decision::Allowed);
        }
        if before == Decision::ExplicitDeny {
            prop_assert_eq!(after, Decision::ExplicitDeny);
        }
    }

    #[test]
    fn adding_an_allow_never_turns_an_allow_into_a_denial(
        scenario in scenario(),
        target in target(),
        allow in statement_json(false, Some("Allow")),
        resource_allow in statement_json(true, Some("Allow")),
    ) {
        let before = decide(&scenario);
        let after = decide(&add_statement(&scenario, target, allow, resource_allow));
        if before == Decision::Allowed {
            prop_assert_eq!(after, Decision::Allowed);
        }
    }
}
