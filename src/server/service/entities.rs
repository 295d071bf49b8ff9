//! Users, groups and roles as the things policies attach to: one way to name them, find them
//! and spell their ARN and AWS's action names.

use sqlx::{Any, Executor};

use crate::domain::arn::{group_arn, role_arn, user_arn};
use crate::domain::{GroupName, RoleName, UserName};
use crate::server::store::entity::EntityType;
use crate::server::store::roles;

use super::{entity_lookup, Caller, ServiceError};

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

/// Validates the name and finds the entity, with AWS's NoSuchEntity message when absent.
pub async fn find<'c>(
    db: impl Executor<'c, Database = Any>,
    caller: &Caller,
    kind: EntityKind,
    name: &str,
) -> Result<Entity, ServiceError> {
    let account = caller.account_id();
    let (id, name, path) = match kind {
        EntityKind::User => {
            let name = UserName::parse_existing(kind.parameter(), name)?;
            let row = entity_lookup::user(db, caller, name.as_str()).await?;
            (row.user_id, row.name, row.path)
        }
        EntityKind::Group => {
            let name = GroupName::parse_existing(kind.parameter(), name)?;
            let row = entity_lookup::group(db, caller, name.as_str()).await?;
            (row.group_id, row.name, row.path)
        }
        EntityKind::Role => {
            let name = RoleName::parse_existing(kind.parameter(), name)?;
            let row = roles::find_by_name(db, account.as_str(), name.as_str())
                .await?
                .ok_or_else(|| {
                    ServiceError::NoSuchEntity(format!(
                        "The role with name {name} cannot be found."
                    ))
                })?;
            (row.role_id, row.name, row.path)
        }
    };
    let arn = match kind {
        EntityKind::User => user_arn(account, &path, &name),
        EntityKind::Group => group_arn(account, &path, &name),
        EntityKind::Role => role_arn(account, &path, &name),
    };
    Ok(Entity {
        kind,
        id,
        name,
        path,
        arn,
    })
}
