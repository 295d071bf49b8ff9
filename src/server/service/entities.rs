//! Users, groups and roles as the things policies attach to: one way to name them, find them
//! and spell their ARN and AWS's action names.

use sqlx::{Any, Executor};

use super::entity_lookup::Named;
use super::{entity_lookup, Caller, ServiceError};
use crate::domain::arn::{group_arn, role_arn, user_arn};
use crate::domain::{GroupName, RoleName, UserName};
use crate::server::store::entity::EntityType;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntityKind {
    User,
    Group,
    Role,
}

impl EntityKind {
    pub fn store_type(self) -> EntityType {
        match self {
            EntityKind::User => EntityType::User,
            EntityKind::Group => EntityType::Group,
            EntityKind::Role => EntityType::Role,
        }
    }

    /// The word in AWS's action names (`iam:AttachUserPolicy`).
    pub fn word(self) -> &'static str {
        match self {
            EntityKind::User => "User",
            EntityKind::Group => "Group",
            EntityKind::Role => "Role",
        }
    }

    /// The lowercase word in AWS's messages (`for user alice`).
    pub fn lower(self) -> &'static str {
        match self {
            EntityKind::User => "user",
            EntityKind::Group => "group",
            EntityKind::Role => "role",
        }
    }

    pub fn arn(self, account: &crate::domain::AccountId, path: &str, name: &str) -> String {
        match self {
            EntityKind::User => user_arn(account, path, name),
            EntityKind::Group => group_arn(account, path, name),
            EntityKind::Role => role_arn(account, path, name),
        }
    }

    pub fn parameter(self) -> &'static str {
        match self {
            EntityKind::User => "UserName",
            EntityKind::Group => "GroupName",
            EntityKind::Role => "RoleName",
        }
    }
}

/// An existing user, group or role.
#[derive(Clone, Debug)]
pub struct Entity {
    pub kind: EntityKind,
    pub id: String,
    pub name: String,
    pub path: String,
    pub arn: String,
}

/// Validates the name and looks the entity up, to be authorized on before it is used.
pub async fn find<'c>(
    db: impl Executor<'c, Database = Any>,
    caller: &Caller,
    kind: EntityKind,
    name: &str,
) -> Result<Named<Entity>, ServiceError> {
    let account = caller.account_id();
    let entity = |id: String, name: String, path: String| Entity {
        kind,
        arn: kind.arn(account, &path, &name),
        id,
        name,
        path,
    };
    Ok(match kind {
        EntityKind::User => {
            let name = UserName::parse_existing(kind.parameter(), name)?;
            entity_lookup::named_user(db, caller, name.as_str())
                .await?
                .map(|row| entity(row.user_id, row.name, row.path))
        }
        EntityKind::Group => {
            let name = GroupName::parse_existing(kind.parameter(), name)?;
            entity_lookup::named_group(db, caller, name.as_str())
                .await?
                .map(|row| entity(row.group_id, row.name, row.path))
        }
        EntityKind::Role => {
            let name = RoleName::parse_existing(kind.parameter(), name)?;
            entity_lookup::named_role(db, caller, name.as_str())
                .await?
                .map(|row| entity(row.role_id, row.name, row.path))
        }
    })
}
