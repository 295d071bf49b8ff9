//! IAM groups: create, read (with members), list, rename, delete, and membership.

use crate::catalog::Op;
use crate::domain::arn::group_arn;
use crate::domain::entity_requests::{NewEntity, Rename};
use crate::domain::iam_models::{Group, Page, User};
use crate::domain::unique_id::GROUP_PREFIX;
use crate::domain::EntityKind;
use crate::domain::{GroupName, IamPath, UserName};
use crate::server::store::groups::GroupRow;
use crate::server::store::{groups, users, Tx};

use crate::server::service::authorization::operation::Authorized;
use crate::server::service::authorization::RequestContext;
use crate::server::service::caches::user_views::to_user;
use crate::server::service::entities::removal::{self, Dependents};
use crate::server::service::entities::{creation, Entity};
use crate::server::service::ids::new_id;
use crate::server::service::paging::{tagged_page, PageRequest};
use crate::server::service::{entities, entities::lookup, Caller, Iam, Operation, ServiceError};

/// AWS's default quota of groups one user can belong to.
pub const GROUPS_PER_USER: i64 = 10;

pub async fn create_group(
    iam: &Iam,
    caller: &Caller,
    group: NewEntity<GroupName>,
) -> Result<Group, ServiceError> {
    create_group_with_policies(iam, caller, group, &[]).await
}

/// The console's create: the group and the managed policies attached to it (each attach
/// authorized as its own action) in one transaction, so a refused attach leaves no group.
pub async fn create_group_with_policies(
    iam: &Iam,
    caller: &Caller,
    group: NewEntity<GroupName>,
    policy_arns: &[String],
) -> Result<Group, ServiceError> {
    Operation::run(iam, caller, Op::CreateGroup, |op| {
        Box::pin(async move {
            let NewEntity { name, path } = group;
            let authorized = op
                .authorize(&group_arn(
                    caller.account_id(),
                    path.as_str(),
                    name.as_str(),
                ))
                .await?;
            let mut tx = op.begin().await?;
            let now = iam.clock().now_millis();
            let group = insert_group(&mut tx, caller, now, &name, &path).await?;
            let entity = Entity {
                kind: EntityKind::Group,
                id: group.group_id.clone(),
                name: group.group_name.clone(),
                path: group.path.clone(),
                arn: group.arn.clone(),
            };
            creation::attach_policies(op, &mut tx, caller, &entity, policy_arns, now).await?;
            op.commit(tx, &authorized).await?;
            Ok(group)
        })
    })
    .await
}

async fn insert_group(
    tx: &mut Tx,
    caller: &Caller,
    now: i64,
    name: &GroupName,
    path: &IamPath,
) -> Result<Group, ServiceError> {
    let account_id = caller.account_id().as_str();
    creation::refuse_taken_name(tx, caller, EntityKind::Group, &groups::TABLE, name.as_str())
        .await?;
    let row = GroupRow {
        group_id: new_id(GROUP_PREFIX),
        account_id: account_id.to_string(),
        name: name.to_string(),
        path: path.to_string(),
        created_at: now,
    };
    groups::insert(&mut **tx, &row)
        .await
        .map_err(creation::taken_on_conflict(
            EntityKind::Group,
            name.as_str(),
        ))?;
    Ok(to_group(caller, row))
}

/// `GetGroup` with every member at once, for callers that show the whole group (see
/// `get_group_page` for AWS's paged answer).
pub async fn get_group(
    iam: &Iam,
    caller: &Caller,
    group_name: &str,
) -> Result<(Group, Vec<User>), ServiceError> {
    Operation::run(iam, caller, Op::GetGroup, |op| {
        Box::pin(async move {
            let name = GroupName::parse("GroupName", group_name)?;
            let db = iam.store().reader();
            let target = lookup::named_group(db, caller, name.as_str()).await?;
            let row = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            let members = groups::members(db, &row.group_id).await?;
            let members = members
                .into_iter()
                .map(|user| to_user(caller, user, Vec::new()))
                .collect();
            Ok((to_group(caller, row.into_inner()), members))
        })
    })
    .await
}

/// The sort-key tag of `GetGroup`'s member markers.
const MEMBERS_LISTING: &str = "group-members";

/// `GetGroup` as AWS pages it: the group and one page of its members by name (`MaxItems`,
/// `Marker`), read from the store a page at a time — a group can hold every user of the
/// account.
pub async fn get_group_page(
    iam: &Iam,
    caller: &Caller,
    group_name: &str,
    request: PageRequest,
) -> Result<(Group, Page<User>), ServiceError> {
    Operation::run(iam, caller, Op::GetGroup, |op| {
        Box::pin(async move {
            let name = GroupName::parse("GroupName", group_name)?;
            let bounds = request.bounds(MEMBERS_LISTING)?;
            let db = iam.store().reader();
            let target = lookup::named_group(db, caller, name.as_str()).await?;
            let row = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            let rows = groups::members_page(
                db,
                caller.account_id().as_str(),
                &row.group_id,
                bounds.after.as_deref(),
                bounds.limit + 1,
            )
            .await?;
            let members = tagged_page(
                rows,
                &bounds,
                MEMBERS_LISTING,
                |user| user.name.to_ascii_lowercase(),
                |user| to_user(caller, user, Vec::new()),
            );
            Ok((to_group(caller, row.into_inner()), members))
        })
    })
    .await
}

pub type ListGroups = crate::server::service::entities::ListEntities;

pub async fn list_groups(
    iam: &Iam,
    caller: &Caller,
    input: ListGroups,
) -> Result<Page<Group>, ServiceError> {
    Operation::run(iam, caller, Op::ListGroups, |op| {
        Box::pin(async move {
            entities::list_page(
                op,
                caller,
                |path| EntityKind::Group.arn(caller.account_id(), path, ""),
                &groups::TABLE,
                input,
                |row| to_group(caller, row),
            )
            .await
        })
    })
    .await
}

/// `ListGroupsForUser`: every group of one user (AWS pages it; a user has at most 10).
pub async fn list_groups_for_user(
    iam: &Iam,
    caller: &Caller,
    user_name: &str,
) -> Result<Vec<Group>, ServiceError> {
    Operation::run(iam, caller, Op::ListGroupsForUser, |op| {
        Box::pin(async move {
            let name = UserName::parse_existing("UserName", user_name)?;
            let db = iam.store().reader();
            let target = lookup::named_user(db, caller, name.as_str()).await?;
            let user = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            let rows = groups::for_user(db, &user.user_id).await?;
            Ok(rows.into_iter().map(|row| to_group(caller, row)).collect())
        })
    })
    .await
}

/// `UpdateGroup`: a new name and/or path.
pub async fn update_group(
    iam: &Iam,
    caller: &Caller,
    input: Rename<GroupName>,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::UpdateGroup, |op| {
        Box::pin(async move {
            let mut tx = op.begin().await?;
            let target = lookup::named_group(&mut *tx, caller, input.name.as_str()).await?;
            let row = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            let table = &groups::TABLE;
            entities::rename(op, &mut tx, caller, table, &*row, &input).await?;
            op.commit(tx, &row).await
        })
    })
    .await
}

/// `DeleteGroup`: refuses while the group has members or policies.
pub async fn delete_group(
    iam: &Iam,
    caller: &Caller,
    group_name: &str,
) -> Result<(), ServiceError> {
    removal::delete(
        iam,
        caller,
        EntityKind::Group,
        group_name,
        Dependents::Refuse,
    )
    .await
}

/// The console's delete: removes members and policies (each authorized as its own action),
/// then the group, in one transaction.
pub async fn delete_group_and_dependents(
    iam: &Iam,
    caller: &Caller,
    group_name: &str,
) -> Result<(), ServiceError> {
    removal::delete(
        iam,
        caller,
        EntityKind::Group,
        group_name,
        Dependents::Remove,
    )
    .await
}

pub async fn add_user_to_group(
    iam: &Iam,
    caller: &Caller,
    group_name: &str,
    user_name: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::AddUserToGroup, |op| {
        Box::pin(async move {
            let group_name = GroupName::parse("GroupName", group_name)?;
            let user_name = UserName::parse_existing("UserName", user_name)?;
            let mut tx = op.begin().await?;
            let group = add_member(
                op,
                &mut tx,
                caller,
                iam.clock().now_millis(),
                &group_name,
                &user_name,
            )
            .await?;
            op.commit(tx, &group).await
        })
    })
    .await
}

/// Adds one membership inside `tx` (authorized on the group), with the groups-per-user quota.
pub(in crate::server::service) async fn add_member(
    op: &mut Operation<'_>,
    tx: &mut Tx,
    caller: &Caller,
    now: i64,
    group_name: &GroupName,
    user_name: &UserName,
) -> Result<Authorized, ServiceError> {
    let target = lookup::named_group(&mut **tx, caller, group_name.as_str()).await?;
    let group = op
        .authorize_action_named(Op::AddUserToGroup, target, &RequestContext::default())
        .await?;
    let user = lookup::user(&mut **tx, caller, user_name.as_str()).await?;
    let already = groups::for_user(&mut **tx, &user.user_id).await?;
    if already.iter().any(|g| g.group_id == group.group_id) {
        return Ok(group.proof());
    }
    if already.len() as i64 >= GROUPS_PER_USER {
        return Err(ServiceError::LimitExceeded(format!(
            "Cannot exceed quota for GroupsPerUser: {GROUPS_PER_USER}"
        )));
    }
    groups::add_member(&mut **tx, &group.group_id, &user.user_id, now).await?;
    Ok(group.proof())
}

/// `RemoveUserFromGroup`: like AWS, removing a user who is not a member succeeds.
pub async fn remove_user_from_group(
    iam: &Iam,
    caller: &Caller,
    group_name: &str,
    user_name: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::RemoveUserFromGroup, |op| {
        Box::pin(async move {
            let group_name = GroupName::parse("GroupName", group_name)?;
            let user_name = UserName::parse_existing("UserName", user_name)?;
            let mut tx = op.begin().await?;
            let user = users::TABLE
                .find_by_name(&mut *tx, caller.account_id().as_str(), user_name.as_str())
                .await?;
            let target = lookup::named_group(&mut *tx, caller, group_name.as_str()).await?;
            // Authorized on the group as named (found or not) before anything is told; then, as
            // AWS does, an unknown user before an unknown group.
            let group = op.authorize_named(target, &RequestContext::default()).await;
            if let Err(denied @ ServiceError::AccessDenied(_)) = group {
                return Err(denied);
            }
            let user = user.ok_or_else(|| {
                ServiceError::NoSuchEntity(format!(
                    "The user with name {user_name} cannot be found."
                ))
            })?;
            let group = group?;
            groups::remove_member(&mut *tx, &group.group_id, &user.user_id).await?;
            op.commit(tx, &group).await
        })
    })
    .await
}

pub(in crate::server::service) fn to_group(caller: &Caller, row: GroupRow) -> Group {
    Group {
        arn: group_arn(caller.account_id(), &row.path, &row.name),
        group_name: row.name,
        group_id: row.group_id,
        path: row.path,
        create_date: row.created_at,
    }
}
