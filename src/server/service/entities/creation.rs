//! What creating a user, group or role shares: the create action authorized with the request's
//! tags and boundary, a name refused when taken (ignoring case, as AWS compares names), the tags
//! stored in order, and the console's policies attached in the same transaction.

use std::fmt::Display;

use crate::catalog::TAG;
use crate::domain::tags::Tag;
use crate::domain::EntityKind;
use crate::server::service::authorization::operation::Authorized;
use crate::server::service::authorization::RequestContext;
use crate::server::service::entities::{lookup, Entity};
use crate::server::service::policies::attachments;
use crate::server::service::{Caller, Operation, ServiceError};
use crate::server::store::entity_table::{EntityRow, Table};
use crate::server::store::{tags, StoreError, Tx};

/// The create action on the new entity's ARN, with the request's tags and boundary as
/// condition keys (`aws:RequestTag/…`, `iam:PermissionsBoundary`), then `Tag{User,Role}` when
/// tags are given, as AWS authorizes a create that tags.
pub async fn authorize_create(
    op: &mut Operation<'_>,
    kind: EntityKind,
    arn: &str,
    new_tags: &[Tag],
    boundary: Option<&str>,
) -> Result<Authorized, ServiceError> {
    let request_tags = RequestContext::with_request_tags(new_tags);
    let context = request_tags.clone().and_boundary(boundary);
    let authorized = op.authorize_with(arn, &context).await?;
    if !new_tags.is_empty() {
        op.authorize_action(kind.pick(TAG), arn, &request_tags)
            .await?;
    }
    Ok(authorized)
}

/// The managed policy a create names as the permissions boundary (none when blank).
pub async fn boundary(
    tx: &mut Tx,
    caller: &Caller,
    boundary: Option<&str>,
) -> Result<Option<String>, ServiceError> {
    match boundary.filter(|b| !b.is_empty()) {
        Some(arn) => Ok(Some(lookup::boundary_policy(&mut **tx, caller, arn).await?)),
        None => Ok(None),
    }
}

/// AWS's EntityAlreadyExists for a create.
pub fn name_taken(kind: EntityKind, name: &impl Display) -> ServiceError {
    ServiceError::already_exists(
        kind.parameter(),
        format!("{} with name {name} already exists.", kind.word()),
    )
}

/// Refuses a name another entity of the kind has, before the insert (whose unique index
/// refuses it again under a concurrent create: see `taken_on_conflict`).
pub async fn refuse_taken_name<R>(
    tx: &mut Tx,
    caller: &Caller,
    kind: EntityKind,
    table: &Table<R>,
    name: &str,
) -> Result<(), ServiceError>
where
    R: EntityRow + for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    match table
        .find_by_name(&mut **tx, caller.account_id().as_str(), name)
        .await?
    {
        Some(_) => Err(name_taken(kind, &name)),
        None => Ok(()),
    }
}

/// The insert's error: the unique index on the name answers a concurrent create of the same
/// name as AWS does.
pub fn taken_on_conflict(
    kind: EntityKind,
    name: &str,
) -> impl FnOnce(StoreError) -> ServiceError + '_ {
    move |error| {
        if error.is_unique_violation() {
            name_taken(kind, &name)
        } else {
            error.into()
        }
    }
}

/// A new entity's tags, in the order given.
pub async fn store_tags(
    tx: &mut Tx,
    kind: EntityKind,
    id: &str,
    new_tags: &[Tag],
) -> Result<(), ServiceError> {
    for (position, tag) in new_tags.iter().enumerate() {
        tags::upsert(&mut **tx, kind, id, tag, position as i64).await?;
    }
    Ok(())
}

/// The console's create attaches managed policies too, each authorized as
/// `Attach{User,Group,Role}Policy`.
pub async fn attach_policies(
    op: &mut Operation<'_>,
    tx: &mut Tx,
    caller: &Caller,
    entity: &Entity,
    policy_arns: &[String],
    now: i64,
) -> Result<(), ServiceError> {
    for policy_arn in policy_arns {
        attachments::attach_in(op, tx, caller, entity, policy_arn, now).await?;
    }
    Ok(())
}
