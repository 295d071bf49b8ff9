//! The kinds of policy documents IAM stores, with their rules: size quotas
//! (whitespace not counted), whether `Principal` is required or forbidden,
//! and the Version they require.

use super::errors::{AwsErrorCode, AwsPolicyError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// A customer managed policy (also used as a permissions boundary).
    Managed,
    /// An inline policy of a user.
    InlineUser,
    /// An inline policy of a group.
    InlineGroup,
    /// An inline policy of a role.
    InlineRole,
    /// A role's trust policy (AssumeRolePolicyDocument).
    Trust,
    /// A resource-based policy attached to a resource.
    Resource,
}

impl PolicyKind {
    /// Reads the CLI spelling: `managed|user|group|role|trust|resource`.
    pub fn parse(name: &str) -> Option<PolicyKind> {
        Some(match name {
            "managed" => PolicyKind::Managed,
            "user" => PolicyKind::InlineUser,
            "group" => PolicyKind::InlineGroup,
            "role" => PolicyKind::InlineRole,
            "trust" => PolicyKind::Trust,
            "resource" => PolicyKind::Resource,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            PolicyKind::Managed => "managed",
            PolicyKind::InlineUser => "user",
            PolicyKind::InlineGroup => "group",
            PolicyKind::InlineRole => "role",
            PolicyKind::Trust => "trust",
            PolicyKind::Resource => "resource",
        }
    }

    /// Identity-based policies: no Principal, Resource required, version 2012-10-17.
    pub fn is_identity(self) -> bool {
        matches!(
            self,
            PolicyKind::Managed
                | PolicyKind::InlineUser
                | PolicyKind::InlineGroup
                | PolicyKind::InlineRole
        )
    }

    /// The size quota in characters, whitespace excluded. For inline policies
    /// IAM applies it to the sum of all of the entity's inline policies.
    pub fn size_quota(self) -> Option<usize> {
        match self {
            PolicyKind::Managed => Some(6_144),
            PolicyKind::InlineUser => Some(2_048),
            PolicyKind::InlineGroup => Some(5_120),
            PolicyKind::InlineRole => Some(10_240),
            PolicyKind::Trust => Some(2_048),
            PolicyKind::Resource => None,
        }
    }

    /// AWS's LimitExceeded error for this kind. `entity_name` is the user,
    /// group or role the inline policy belongs to.
    pub fn size_exceeded(self, entity_name: Option<&str>) -> Option<AwsPolicyError> {
        let quota = self.size_quota()?;
        let entity = |kind: &str| match entity_name {
            Some(name) => {
                format!("Maximum policy size of {quota} bytes exceeded for {kind} {name}")
            }
            None => format!("Maximum policy size of {quota} bytes exceeded for {kind}"),
        };
        let message = match self {
            PolicyKind::Managed => format!("Cannot exceed quota for PolicySize: {quota}"),
            PolicyKind::Trust => format!("Cannot exceed quota for ACLSizePerRole: {quota}"),
            PolicyKind::InlineUser => entity("user"),
            PolicyKind::InlineGroup => entity("group"),
            PolicyKind::InlineRole => entity("role"),
            PolicyKind::Resource => return None,
        };
        Some(AwsPolicyError::new(AwsErrorCode::LimitExceeded, message))
    }
}

/// A policy's size as IAM counts it: characters, whitespace not counted.
pub fn policy_size(text: &str) -> usize {
    text.chars().filter(|ch| !ch.is_whitespace()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_size_without_whitespace() {
        assert_eq!(policy_size("{ \"a\" :\n\t\"b c\" }"), 10);
    }

    #[test]
    fn size_messages_match_aws() {
        let message = |kind: PolicyKind, name| kind.size_exceeded(name).map(|error| error.message);
        assert_eq!(
            message(PolicyKind::Managed, None).as_deref(),
            Some("Cannot exceed quota for PolicySize: 6144")
        );
        assert_eq!(
            message(PolicyKind::Trust, None).as_deref(),
            Some("Cannot exceed quota for ACLSizePerRole: 2048")
        );
        assert_eq!(
            message(PolicyKind::InlineUser, Some("alice")).as_deref(),
            Some("Maximum policy size of 2048 bytes exceeded for user alice")
        );
        assert_eq!(
            message(PolicyKind::InlineRole, Some("app")).as_deref(),
            Some("Maximum policy size of 10240 bytes exceeded for role app")
        );
        assert_eq!(
            message(PolicyKind::InlineGroup, Some("ops")).as_deref(),
            Some("Maximum policy size of 5120 bytes exceeded for group ops")
        );
        assert_eq!(
            PolicyKind::Managed.size_exceeded(None).map(|e| e.code),
            Some(AwsErrorCode::LimitExceeded)
        );
        assert!(PolicyKind::Resource.size_exceeded(None).is_none());
        for name in ["managed", "user", "group", "role", "trust", "resource"] {
            assert_eq!(PolicyKind::parse(name).map(PolicyKind::name), Some(name));
        }
    }
}
