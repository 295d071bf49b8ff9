//! Users, groups and roles as things policies attach to, on both sides of the wire.

use serde::{Deserialize, Serialize};

use crate::policy::PolicyKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntityType {
    User,
    Group,
    Role,
}

impl EntityType {
    /// The word in AWS's action names (`iam:AttachUserPolicy`).
    pub fn word(self) -> &'static str {
        match self {
            EntityType::User => "User",
            EntityType::Group => "Group",
            EntityType::Role => "Role",
        }
    }

    /// The word in sentences (`this user`).
    pub fn lower(self) -> &'static str {
        match self {
            EntityType::User => "user",
            EntityType::Group => "group",
            EntityType::Role => "role",
        }
    }

    /// The kind of its inline policies, for validation.
    pub fn inline_kind(self) -> PolicyKind {
        match self {
            EntityType::User => PolicyKind::InlineUser,
            EntityType::Group => PolicyKind::InlineGroup,
            EntityType::Role => PolicyKind::InlineRole,
        }
    }

    /// `iam:{verb}{User|Group|Role}{rest}`, e.g. `action("Attach", "Policy")`.
    pub fn action(self, verb: &str, rest: &str) -> String {
        format!("iam:{verb}{}{rest}", self.word())
    }

    #[cfg(feature = "ssr")]
    pub fn service_kind(self) -> crate::server::service::entities::EntityKind {
        use crate::server::service::entities::EntityKind;
        match self {
            EntityType::User => EntityKind::User,
            EntityType::Group => EntityKind::Group,
            EntityType::Role => EntityKind::Role,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::EntityType;

    #[test]
    fn action_names_are_aws_s() {
        assert_eq!(
            EntityType::User.action("Attach", "Policy"),
            "iam:AttachUserPolicy"
        );
        assert_eq!(
            EntityType::Role.action("Delete", "PermissionsBoundary"),
            "iam:DeleteRolePermissionsBoundary"
        );
        assert_eq!(
            EntityType::Group.action("Put", "Policy"),
            "iam:PutGroupPolicy"
        );
    }
}
