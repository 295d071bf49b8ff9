//! The rows of a permissions table: every policy that reaches a user, group or role, and where
//! it comes from.

use crate::domain::iam_models::{AttachedPolicy, EffectivePolicy, InlinePolicy, PolicySource};

/// How a policy reaches the entity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Attached to or embedded in the entity itself.
    Direct,
    /// Through a group the user belongs to.
    Group(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyRow {
    pub name: String,
    /// The managed policy's ARN; `None` for an inline policy.
    pub arn: Option<String>,
    pub origin: Origin,
    /// The document, when the page has it: an inline policy's when the caller may read it, a
    /// managed policy's never (fetched when the row is opened).
    pub document: Option<String>,
}

impl PolicyRow {
    pub fn type_label(&self) -> &'static str {
        match &self.arn {
            None => "Inline",
            Some(arn) if crate::domain::arn::is_aws_managed_policy_arn(arn) => "AWS managed",
            Some(_) => "Customer managed",
        }
    }

    pub fn origin_label(&self) -> String {
        match &self.origin {
            Origin::Direct if self.arn.is_some() => "Attached directly".to_string(),
            Origin::Direct => "Embedded (inline)".to_string(),
            Origin::Group(group) => format!("Group {group}"),
        }
    }
}

/// A user's rows, from its effective policies.
pub fn rows_from_effective(policies: &[EffectivePolicy]) -> Vec<PolicyRow> {
    policies
        .iter()
        .map(|policy| PolicyRow {
            name: policy.policy_name.clone(),
            arn: policy.policy_arn.clone(),
            origin: match &policy.source {
                PolicySource::AttachedToUser | PolicySource::InlineInUser => Origin::Direct,
                PolicySource::AttachedToGroup(group) | PolicySource::InlineInGroup(group) => {
                    Origin::Group(group.clone())
                }
            },
            document: Some(policy.document.clone()).filter(|d| !d.is_empty()),
        })
        .collect()
}

/// A group's or role's rows: its attached, then its inline policies.
pub fn rows_from_lists(attached: &[AttachedPolicy], inline: &[InlinePolicy]) -> Vec<PolicyRow> {
    let managed = attached.iter().map(|policy| PolicyRow {
        name: policy.policy_name.clone(),
        arn: Some(policy.policy_arn.clone()),
        origin: Origin::Direct,
        document: None,
    });
    let embedded = inline.iter().map(|policy| PolicyRow {
        name: policy.policy_name.clone(),
        arn: None,
        origin: Origin::Direct,
        document: Some(policy.policy_document.clone()).filter(|d| !d.is_empty()),
    });
    managed.chain(embedded).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_say_where_each_policy_comes_from() {
        let effective = vec![
            EffectivePolicy {
                policy_name: "ReadOnly".into(),
                policy_arn: Some("arn:aws:iam::aws:policy/IAMReadOnlyAccess".into()),
                source: PolicySource::AttachedToUser,
                document: "{}".into(),
            },
            EffectivePolicy {
                policy_name: "own".into(),
                policy_arn: None,
                source: PolicySource::InlineInUser,
                document: "{}".into(),
            },
            EffectivePolicy {
                policy_name: "team".into(),
                policy_arn: Some("arn:aws:iam::123456789012:policy/team".into()),
                source: PolicySource::AttachedToGroup("devs".into()),
                document: "{}".into(),
            },
        ];
        let rows = rows_from_effective(&effective);
        let labels: Vec<(&str, String)> = rows
            .iter()
            .map(|row| (row.type_label(), row.origin_label()))
            .collect();
        assert_eq!(
            labels,
            vec![
                ("AWS managed", "Attached directly".to_string()),
                ("Inline", "Embedded (inline)".to_string()),
                ("Customer managed", "Group devs".to_string()),
            ]
        );
    }
}
