//! Users, groups and roles as the things policies attach to: one way to name them, find them
//! and spell their ARN and AWS's action names.
//!
//! The folder holds the operations on each kind (`users`, `groups`, `roles`), what they share
//! (`tagging`, `boundaries`, `lookup`), and the console's read models (`detail`, `user_detail`).

pub mod boundaries;
pub mod creation;
pub mod detail;
pub mod groups;
pub mod lookup;
pub mod removal;
pub mod roles;
pub mod tagging;
pub mod trust_principals;
pub mod user_detail;
pub mod users;

use sqlx::{Any, Executor};

use crate::domain::entity_requests::Rename;
use crate::domain::iam_models::Page;
use crate::domain::iam_names::parse_path_prefix;
use crate::domain::iam_names::EntityName;
use crate::domain::{GroupName, RoleName, UserName};
use crate::server::service::entities::lookup::Named;
use crate::server::service::paging::{decode_marker, max_items, page};
use crate::server::service::Operation;
use crate::server::service::{Caller, ServiceError};
use crate::server::store::entity_table::{EntityRow, Table};
use crate::server::store::Tx;

pub use crate::domain::EntityKind;

/// What `ListUsers`, `ListGroups` and `ListRoles` take.
#[derive(Default)]
pub struct ListEntities {
    pub path_prefix: Option<String>,
    /// Console search: names starting with this, ignoring case.
    pub name_prefix: Option<String>,
    pub marker: Option<String>,
    pub max_items: Option<i64>,
}

/// `Update{User,Group}` on an entity the operation has authorized: its new ARN must be allowed
/// too (AWS checks both), and the new name free. Answers the old ARN when the ARN changed, so
/// the caller can end what was bound to it.
pub(in crate::server::service) async fn rename<R, N: EntityName>(
    op: &mut Operation<'_>,
    tx: &mut Tx,
    caller: &Caller,
    table: &Table<R>,
    row: &R,
    input: &Rename<N>,
) -> Result<Option<String>, ServiceError>
where
    R: EntityRow + for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let kind = N::KIND;
    let account = caller.account_id();
    let new_name = input.new_name.as_ref().map_or(row.name(), |n| n.as_str());
    let new_path = input.new_path.as_ref().map_or(row.path(), |p| p.as_str());
    let old_arn = kind.arn(account, row.path(), row.name());
    let new_arn = kind.arn(account, new_path, new_name);
    let moved = new_arn != old_arn;
    if moved {
        op.authorize(&new_arn).await?;
    }
    if let Some(name) = &input.new_name {
        if name.key() != input.name.key()
            && table
                .find_by_name(&mut **tx, account.as_str(), name.as_str())
                .await?
                .is_some()
        {
            return Err(ServiceError::already_exists(
                kind.new_name_parameter(),
                format!("{} with name {name} already exists.", kind.word()),
            ));
        }
    }
    table
        .rename(&mut **tx, row.id(), new_name, new_path)
        .await?;
    Ok(moved.then_some(old_arn))
}

/// One page of a kind's entities by name, authorized (as AWS does) on the ARN of the path
/// prefix, `arn:aws:iam::123456789012:user/team/` (`prefix_arn` of the prefix); each row shown
/// by `item`.
pub(in crate::server::service) async fn list_page<R, T>(
    op: &mut Operation<'_>,
    caller: &Caller,
    prefix_arn: impl Fn(&str) -> String,
    table: &Table<R>,
    input: ListEntities,
    item: impl FnMut(R) -> T,
) -> Result<Page<T>, ServiceError>
where
    R: EntityRow + for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let path_prefix = parse_path_prefix("PathPrefix", input.path_prefix.as_deref())?;
    let limit = max_items(input.max_items)?;
    let after = decode_marker(input.marker.as_deref())?;
    op.authorize(&prefix_arn(&path_prefix)).await?;
    let rows = table
        .list_page(
            op.iam().store().reader(),
            caller.account_id().as_str(),
            &path_prefix,
            input.name_prefix.as_deref().unwrap_or("").trim(),
            after.as_deref(),
            limit + 1,
        )
        .await?;
    Ok(page(
        rows,
        limit,
        |row| row.name().to_ascii_lowercase(),
        item,
    ))
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
            lookup::named_user(db, caller, name.as_str())
                .await?
                .map(|row| entity(row.user_id, row.name, row.path))
        }
        EntityKind::Group => {
            let name = GroupName::parse_existing(kind.parameter(), name)?;
            lookup::named_group(db, caller, name.as_str())
                .await?
                .map(|row| entity(row.group_id, row.name, row.path))
        }
        EntityKind::Role => {
            let name = RoleName::parse_existing(kind.parameter(), name)?;
            lookup::named_role(db, caller, name.as_str())
                .await?
                .map(|row| entity(row.role_id, row.name, row.path))
        }
    })
}
