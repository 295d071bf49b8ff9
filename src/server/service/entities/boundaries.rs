//! The permissions boundaries of users and roles (`Put{User,Role}PermissionsBoundary`,
//! `Delete…`), written once for both.

use crate::catalog::{DELETE_BOUNDARY, PUT_BOUNDARY};
use crate::domain::EntityKind;
use crate::server::store::{roles, users, Tx};

use crate::server::service::authorization::RequestContext;
use crate::server::service::{entities, entities::lookup, Caller, Iam, Operation, ServiceError};

/// `PutUserPermissionsBoundary` / `PutRolePermissionsBoundary`.
pub async fn put_boundary(
    iam: &Iam,
    caller: &Caller,
    kind: EntityKind,
    name: &str,
    boundary_arn: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, kind.pick(PUT_BOUNDARY), |op| {
        Box::pin(async move {
            entities::check_name(kind, name)?;
            let mut tx = op.begin().await?;
            let target = entities::find(&mut *tx, caller, kind, name).await?;
            // Authorized before the boundary is looked up: a caller that may not set it learns
            // nothing about which policies exist.
            let context = RequestContext::default().and_boundary(Some(boundary_arn));
            let entity = op.authorize_named(target, &context).await?;
            let boundary = lookup::boundary_policy(&mut *tx, caller, boundary_arn).await?;
            set_boundary(&mut tx, kind, &entity.id, Some(&boundary)).await?;
            op.commit(tx, &entity).await
        })
    })
    .await
}

/// `DeleteUserPermissionsBoundary` / `DeleteRolePermissionsBoundary`.
pub async fn delete_boundary(
    iam: &Iam,
    caller: &Caller,
    kind: EntityKind,
    name: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, kind.pick(DELETE_BOUNDARY), |op| {
        Box::pin(async move {
            entities::check_name(kind, name)?;
            let mut tx = op.begin().await?;
            let target = entities::find(&mut *tx, caller, kind, name).await?;
            let entity = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            set_boundary(&mut tx, kind, &entity.id, None).await?;
            op.commit(tx, &entity).await
        })
    })
    .await
}

async fn set_boundary(
    tx: &mut Tx,
    kind: EntityKind,
    id: &str,
    boundary: Option<&str>,
) -> Result<(), ServiceError> {
    match kind {
        EntityKind::User => {
            users::TABLE
                .set_permissions_boundary(&mut **tx, id, boundary)
                .await?
        }
        EntityKind::Role => {
            roles::TABLE
                .set_permissions_boundary(&mut **tx, id, boundary)
                .await?
        }
        EntityKind::Group => unreachable!("groups have no permissions boundary"),
    }
    Ok(())
}
