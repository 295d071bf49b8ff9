//! The three kinds of IAM entity — users, groups and roles — and the words AWS spells them with
//! (in action names, messages, parameters, ARNs and the store's `entity_type` column).

use serde::{Deserialize, Serialize};

use super::arn::{group_arn, role_arn, user_arn};
use super::AccountId;
use crate::policy::PolicyKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntityKind {
    User,
    Group,
    Role,
}

impl EntityKind {
    /// This kind's one of three `[user, group, role]` things, e.g. the operation of a kind:
    /// `kind.pick([Op::AttachUserPolicy, Op::AttachGroupPolicy, Op::AttachRolePolicy])`.
    pub fn pick<T>(self, [user, group, role]: [T; 3]) -> T {
        match self {
            EntityKind::User => user,
            EntityKind::Group => group,
            EntityKind::Role => role,
        }
    }

    /// The word in AWS's action names (`iam:AttachUserPolicy`).
    pub fn word(self) -> &'static str {
        self.pick(["User", "Group", "Role"])
    }

    /// The lowercase word in AWS's messages (`for user alice`), and in the store.
    pub fn lower(self) -> &'static str {
        self.pick(["user", "group", "role"])
    }

    /// The store's spelling (`entity_type` columns).
    pub fn as_str(self) -> &'static str {
        self.lower()
    }

    /// The kind the store spells `text`.
    pub fn from_stored(text: &str) -> Option<Self> {
        [EntityKind::User, EntityKind::Group, EntityKind::Role]
            .into_iter()
            .find(|kind| kind.as_str() == text)
    }

    /// The name's parameter in AWS's API (`UserName`).
    pub fn parameter(self) -> &'static str {
        self.pick(["UserName", "GroupName", "RoleName"])
    }

    /// The parameter that renames one (`NewUserName`).
    pub fn new_name_parameter(self) -> &'static str {
        self.pick(["NewUserName", "NewGroupName", "NewRoleName"])
    }

    pub fn arn(self, account: &AccountId, path: &str, name: &str) -> String {
        self.pick([user_arn, group_arn, role_arn])(account, path, name)
    }

    /// The kind of its inline policies, for validation.
    pub fn inline_kind(self) -> PolicyKind {
        self.pick([
            PolicyKind::InlineUser,
            PolicyKind::InlineGroup,
            PolicyKind::InlineRole,
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::EntityKind;

    #[test]
    fn each_kind_has_its_words() {
        assert_eq!(EntityKind::Group.word(), "Group");
        assert_eq!(EntityKind::Role.parameter(), "RoleName");
        assert_eq!(EntityKind::from_stored("user"), Some(EntityKind::User));
        assert_eq!(EntityKind::from_stored("policy"), None);
    }
}
