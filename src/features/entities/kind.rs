//! Users, groups and roles as things policies attach to, on both sides of the wire.

use serde::{Deserialize, Serialize};

use crate::catalog::Op;
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

    /// This kind's one of the three operations `[user, group, role]`, e.g.
    /// `kind.pick(ATTACH_POLICY)`.
    pub fn pick(self, [user, group, role]: [Op; 3]) -> Op {
        match self {
            EntityType::User => user,
            EntityType::Group => group,
            EntityType::Role => role,
        }
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

/// The per-kind operations the entity pages share, as `[user, group, role]`.
pub const ATTACH_POLICY: [Op; 3] = [
    Op::AttachUserPolicy,
    Op::AttachGroupPolicy,
    Op::AttachRolePolicy,
];
pub const DETACH_POLICY: [Op; 3] = [
    Op::DetachUserPolicy,
    Op::DetachGroupPolicy,
    Op::DetachRolePolicy,
];
pub const PUT_POLICY: [Op; 3] = [Op::PutUserPolicy, Op::PutGroupPolicy, Op::PutRolePolicy];
pub const DELETE_POLICY: [Op; 3] = [
    Op::DeleteUserPolicy,
    Op::DeleteGroupPolicy,
    Op::DeleteRolePolicy,
];
/// Groups have no tags or boundary: their slots repeat the user's and are never asked.
pub const TAG: [Op; 3] = [Op::TagUser, Op::TagUser, Op::TagRole];
pub const UNTAG: [Op; 3] = [Op::UntagUser, Op::UntagUser, Op::UntagRole];
pub const PUT_BOUNDARY: [Op; 3] = [
    Op::PutUserPermissionsBoundary,
    Op::PutUserPermissionsBoundary,
    Op::PutRolePermissionsBoundary,
];
pub const DELETE_BOUNDARY: [Op; 3] = [
    Op::DeleteUserPermissionsBoundary,
    Op::DeleteUserPermissionsBoundary,
    Op::DeleteRolePermissionsBoundary,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_picks_its_own_operation() {
        assert_eq!(EntityType::User.pick(ATTACH_POLICY), Op::AttachUserPolicy);
        assert_eq!(
            EntityType::Role.pick(DELETE_BOUNDARY),
            Op::DeleteRolePermissionsBoundary
        );
        assert_eq!(EntityType::Group.pick(PUT_POLICY), Op::PutGroupPolicy);
    }
}
