//! Users, groups and roles as the things policies attach to: one way to name them, find them
//! and spell their ARN and AWS's action names.

use sqlx::{Any, Executor};

use super::entity_lookup::Named;
use super::{entity_lookup, Caller, ServiceError};
use crate::domain::{GroupName, RoleName, UserName};

pub use crate::domain::EntityKind;

/// An existing user, group or role.
#[derive(Clone, Debug)]
pub struct Entity {
    pub kind: EntityKind,
    pub id: String,
    pub name: String,
    pub path: String,
    pub arn: String,
}

/// Refuses a name no entity of `kind` can have (the check `find` makes first), for operations
/// that report a bad name before other bad input.
pub fn check_name(kind: EntityKind, name: &str) -> Result<(), ServiceError> {
    match kind {
        EntityKind::User => UserName::parse_existing(kind.parameter(), name).map(drop),
        EntityKind::Group => GroupName::parse_existing(kind.parameter(), name).map(drop),
        EntityKind::Role => RoleName::parse_existing(kind.parameter(), name).map(drop),
    }
    .map_err(ServiceError::from)
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
