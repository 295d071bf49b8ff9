//! A readable summary of a policy document, as the console's Permissions tab shows it: service →
//! statements (effect, actions, resources, conditions). Pure; computed in the page from the
//! document, so that no summary types cross the wire.

use crate::policy::{split_arn, Effect, Policy, Principal, Statement};

/// The service of `Action: "*"` and of `NotAction` statements.
pub const ALL_SERVICES: &str = "*";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicySummary {
    /// `*` (all services) first, then by service prefix.
    pub services: Vec<ServiceSummary>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceSummary {
    /// The action prefix (`iam`, `s3`, …), lowercase, or [`ALL_SERVICES`].
    pub service: String,
    /// The statements that grant or deny something in this service, in document order.
    pub statements: Vec<StatementSummary>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatementSummary {
    pub sid: Option<String>,
    /// `Allow` or `Deny`.
    pub effect: String,
    pub actions: Scope,
    pub resources: Scope,
    /// `Principal`/`NotPrincipal` lines (trust and resource policies only).
    pub principals: Vec<String>,
    pub conditions: Vec<ConditionSummary>,
}

/// Which actions or resources a statement covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    All,
    Listed(Vec<String>),
    AllExcept(Vec<String>),
    /// Resources: none of the listed resources belongs to this service.
    NoneApply,
    /// Resources: no Resource element; the policy's own resource (a trust policy's role).
    AttachedResource,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConditionSummary {
    pub operator: String,
    pub key: String,
    pub values: Vec<String>,
}

/// Summarizes a policy document; `None` when it does not parse.
pub fn summarize(text: &str) -> Option<PolicySummary> {
    let policy = Policy::parse(text).ok()?;
    let mut services: Vec<ServiceSummary> = Vec::new();
    for statement in policy.document().statements() {
        for (service, actions) in actions_by_service(&statement.value) {
            let summary = summarize_statement(&statement.value, &service, actions);
            match services.iter_mut().find(|s| s.service == service) {
                Some(existing) => existing.statements.push(summary),
                None => services.push(ServiceSummary {
                    service,
                    statements: vec![summary],
                }),
            }
        }
    }
    services.sort_by(|a, b| {
        (a.service != ALL_SERVICES, &a.service).cmp(&(b.service != ALL_SERVICES, &b.service))
    });
    Some(PolicySummary { services })
}

/// The statement's actions split by service prefix, in first-seen order.
fn actions_by_service(statement: &Statement) -> Vec<(String, Scope)> {
    let Some(action) = &statement.action else {
        return Vec::new();
    };
    let items: Vec<String> = action.items().iter().map(|i| i.value.clone()).collect();
    if action.negated {
        return vec![(ALL_SERVICES.to_string(), Scope::AllExcept(items))];
    }
    let mut groups: Vec<(String, Scope)> = Vec::new();
    for item in items {
        let (service, name) = match item.split_once(':') {
            Some((service, name)) => (service.to_ascii_lowercase(), name),
            None => (ALL_SERVICES.to_string(), item.as_str()),
        };
        let all = name == "*";
        match groups.iter_mut().find(|(s, _)| *s == service) {
            Some((_, scope)) => match scope {
                Scope::Listed(_) if all => *scope = Scope::All,
                Scope::Listed(list) => list.push(item.clone()),
                _ => {}
            },
            None if all => groups.push((service, Scope::All)),
            None => groups.push((service, Scope::Listed(vec![item.clone()]))),
        }
    }
    groups
}

fn summarize_statement(statement: &Statement, service: &str, actions: Scope) -> StatementSummary {
    StatementSummary {
        sid: statement.sid.as_ref().map(|sid| sid.value.clone()),
        effect: match statement.effect() {
            Effect::Allow => "Allow".to_string(),
            Effect::Deny => "Deny".to_string(),
        },
        actions,
        resources: resources_for(statement, service),
        principals: principals(statement),
        conditions: conditions(statement),
    }
}

/// The statement's resources that can belong to `service`.
fn resources_for(statement: &Statement, service: &str) -> Scope {
    let Some(resource) = &statement.resource else {
        return Scope::AttachedResource;
    };
    let items = resource.items().iter().map(|item| item.value.clone());
    if resource.negated {
        return Scope::AllExcept(items.collect());
    }
    let applies = |text: &str| match split_arn(text) {
        Some(parts) if service != ALL_SERVICES => {
            let arn_service = parts[2];
            arn_service.contains(['*', '?']) || arn_service.eq_ignore_ascii_case(service)
        }
        _ => true,
    };
    let listed: Vec<String> = items.filter(|text| applies(text)).collect();
    if listed.iter().any(|text| text == "*") {
        Scope::All
    } else if listed.is_empty() {
        Scope::NoneApply
    } else {
        Scope::Listed(listed)
    }
}

fn principals(statement: &Statement) -> Vec<String> {
    let Some(element) = &statement.principal else {
        return Vec::new();
    };
    let lines: Vec<String> = match &element.value.value {
        Principal::Wildcard => vec!["Everyone (*)".to_string()],
        Principal::Text(text) => vec![text.clone()],
        Principal::Map(entries) => entries
            .iter()
            .flat_map(|entry| {
                entry
                    .values
                    .value
                    .as_slice()
                    .iter()
                    .map(move |value| format!("{} {}", entry.principal_type.value, value.value))
            })
            .collect(),
    };
    if element.negated {
        lines
            .into_iter()
            .map(|line| format!("Everyone except {line}"))
            .collect()
    } else {
        lines
    }
}

fn conditions(statement: &Statement) -> Vec<ConditionSummary> {
    statement
        .conditions()
        .iter()
        .flat_map(|block| {
            block.entries.iter().map(|entry| ConditionSummary {
                operator: block.operator.value.clone(),
                key: entry.key.value.clone(),
                values: entry
                    .values
                    .value
                    .as_slice()
                    .iter()
                    .map(|value| value.value.text().to_string())
                    .collect(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(scope: &Scope) -> String {
        match scope {
            Scope::All => "all".to_string(),
            Scope::Listed(items) => items.join(","),
            Scope::AllExcept(items) => format!("all except {}", items.join(",")),
            Scope::NoneApply => "none apply".to_string(),
            Scope::AttachedResource => "attached resource".to_string(),
        }
    }

    /// One line per (service, statement): `service | effect | actions | resources | extras`.
    fn lines(summary: &PolicySummary) -> Vec<String> {
        summary
            .services
            .iter()
            .flat_map(|service| {
                service.statements.iter().map(move |s| {
                    let mut extras: Vec<String> = s.principals.clone();
                    extras.extend(
                        s.conditions
                            .iter()
                            .map(|c| format!("{} {} = {}", c.operator, c.key, c.values.join(","))),
                    );
                    if let Some(sid) = &s.sid {
                        extras.push(format!("sid {sid}"));
                    }
                    format!(
                        "{} | {} | {} | {} | {}",
                        service.service,
                        s.effect,
                        scope(&s.actions),
                        scope(&s.resources),
                        extras.join("; ")
                    )
                })
            })
            .collect()
    }

    #[test]
    fn summarizes_by_service() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "administrator access",
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
                &["* | Allow | all | all | "],
            ),
            (
                "one service, listed actions",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GetUser","iam:ListUsers"],"Resource":"*"}]}"#,
                &["iam | Allow | iam:GetUser,iam:ListUsers | all | "],
            ),
            (
                "a service wildcard covers the listed actions",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GetUser","IAM:*"],"Resource":"*"}]}"#,
                &["iam | Allow | all | all | "],
            ),
            (
                "actions of two services split, resources go to their service",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","iam:GetUser"],
                   "Resource":["arn:aws:s3:::bucket/*","arn:aws:iam::123456789012:user/alice"]}]}"#,
                &[
                    "iam | Allow | iam:GetUser | arn:aws:iam::123456789012:user/alice | ",
                    "s3 | Allow | s3:GetObject | arn:aws:s3:::bucket/* | ",
                ],
            ),
            (
                "no listed resource of the service",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:iam::123456789012:user/alice"}]}"#,
                &["s3 | Allow | s3:GetObject | none apply | "],
            ),
            (
                "wildcard service in an ARN applies",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:*:::x"}]}"#,
                &["s3 | Allow | s3:GetObject | arn:aws:*:::x | "],
            ),
            (
                "NotAction and NotResource",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":["iam:*","sts:*"],"NotResource":"arn:aws:iam::*:role/admin"}]}"#,
                &["* | Deny | all except iam:*,sts:* | all except arn:aws:iam::*:role/admin | "],
            ),
            (
                "conditions, one line per key",
                r#"{"Version":"2012-10-17","Statement":[{"Sid":"Self","Effect":"Allow","Action":"iam:ChangePassword","Resource":"*",
                   "Condition":{"StringEquals":{"aws:username":["alice","bob"]},"Bool":{"aws:MultiFactorAuthPresent":true}}}]}"#,
                &["iam | Allow | iam:ChangePassword | all | StringEquals aws:username = alice,bob; Bool aws:MultiFactorAuthPresent = true; sid Self"],
            ),
            (
                "statements of one service stay in document order",
                r#"{"Version":"2012-10-17","Statement":[
                   {"Effect":"Allow","Action":"iam:*","Resource":"*"},
                   {"Effect":"Deny","Action":"iam:DeleteUser","Resource":"*"}]}"#,
                &["iam | Allow | all | all | ", "iam | Deny | iam:DeleteUser | all | "],
            ),
            (
                "trust policy: principals and the attached resource",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com","AWS":["arn:aws:iam::123456789012:root"]},"Action":"sts:AssumeRole"}]}"#,
                &["sts | Allow | sts:AssumeRole | attached resource | Service ec2.amazonaws.com; AWS arn:aws:iam::123456789012:root"],
            ),
            (
                "everyone except",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotPrincipal":"*","Action":"s3:*","Resource":"*"}]}"#,
                &["s3 | Deny | all | all | Everyone except Everyone (*)"],
            ),
        ];
        for (name, json, expected) in cases {
            let summary = summarize(json).unwrap_or_else(|| panic!("{name}: does not parse"));
            assert_eq!(lines(&summary), *expected, "{name}");
        }
    }

    #[test]
    fn unparseable_documents_have_no_summary() {
        for text in [
            "",
            "{",
            "[]",
            r#"{"Statement":[]}"#,
            "<script>alert(1)</script>",
        ] {
            assert_eq!(summarize(text), None, "{text}");
        }
    }

    #[test]
    fn every_builtin_policy_summarizes() {
        for json in [
            include_str!("../../server/service/policies/aws_managed/AdministratorAccess.json"),
            include_str!("../../server/service/policies/aws_managed/IAMReadOnlyAccess.json"),
            include_str!("../../server/service/policies/aws_managed/PowerUserAccess.json"),
        ] {
            let summary = summarize(json).expect("parses");
            assert!(!summary.services.is_empty());
        }
    }
}
