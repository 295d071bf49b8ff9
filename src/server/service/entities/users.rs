//! IAM users: create, read, list, rename, delete, tag, and their permissions boundary.

use crate::catalog::Op;
use crate::domain::arn::user_arn;
use crate::domain::entity_requests::{NewEntity, Rename};
use crate::domain::iam_models::{Page, User};
use crate::domain::tags::{check_tags, Tag};
use crate::domain::unique_id::USER_PREFIX;
use crate::domain::EntityKind;
use crate::domain::{GroupName, IamPath, PrincipalKind, UserName};
use crate::server::store::users::UserRow;
use crate::server::store::{accounts, login_profiles, users, Tx};

use crate::server::service::authorization::RequestContext;
use crate::server::service::entities::removal::{self, Dependents};
use crate::server::service::entities::{creation, Entity};
use crate::server::service::ids::new_id;
use crate::server::service::{
    caches::user_views, entities, entities::lookup, signin::console_sessions, Caller, Iam,
    Operation, ServiceError,
};

pub struct CreateUser {
    pub entity: NewEntity<UserName>,
    pub tags: Vec<Tag>,
    pub permissions_boundary: Option<String>,
    /// The console also adds the new user to groups and attaches policies, each authorized as
    /// its own action, in the same transaction. The API passes none.
    pub groups: Vec<String>,
    pub policy_arns: Vec<String>,
}

pub async fn create_user(
    iam: &Iam,
    caller: &Caller,
    input: CreateUser,
) -> Result<User, ServiceError> {
    Operation::run(iam, caller, Op::CreateUser, |op| {
        Box::pin(async move {
            let NewEntity { name, path } = &input.entity;
            check_tags("Tags", &input.tags)?;
            let groups = input
                .groups
                .iter()
                .map(|group| GroupName::parse("Groups", group))
                .collect::<Result<Vec<_>, _>>()?;
            let arn = user_arn(caller.account_id(), path.as_str(), name.as_str());
            let boundary = input.permissions_boundary.as_deref();
            let authorized =
                creation::authorize_create(op, EntityKind::User, &arn, &input.tags, boundary)
                    .await?;
            let mut tx = op.begin().await?;
            let boundary = creation::boundary(&mut tx, caller, boundary).await?;
            let now = iam.clock().now_millis();
            let user = insert_user(&mut tx, caller, now, name, path, boundary, &input.tags).await?;
            for group in &groups {
                crate::server::service::entities::groups::add_member(
                    op, &mut tx, caller, now, group, name,
                )
                .await?;
            }
            let entity = Entity {
                kind: EntityKind::User,
                id: user.user_id.clone(),
                name: user.user_name.clone(),
                path: user.path.clone(),
                arn: user.arn.clone(),
            };
            creation::attach_policies(op, &mut tx, caller, &entity, &input.policy_arns, now)
                .await?;
            op.commit(tx, &authorized).await?;
            Ok(user)
        })
    })
    .await
}

/// Inserts a user and its tags inside `tx` after checking the name is free.
pub(in crate::server::service) async fn insert_user(
    tx: &mut Tx,
    caller: &Caller,
    now: i64,
    name: &UserName,
    path: &IamPath,
    permissions_boundary_arn: Option<String>,
    new_tags: &[Tag],
) -> Result<User, ServiceError> {
    let account_id = caller.account_id().as_str();
    creation::refuse_taken_name(tx, caller, EntityKind::User, &users::TABLE, name.as_str()).await?;
    let row = UserRow {
        user_id: new_id(USER_PREFIX),
        account_id: account_id.to_string(),
        name: name.to_string(),
        path: path.to_string(),
        permissions_boundary_arn,
        created_at: now,
    };
    users::insert(&mut **tx, &row)
        .await
        .map_err(creation::taken_on_conflict(EntityKind::User, name.as_str()))?;
    creation::store_tags(tx, EntityKind::User, &row.user_id, new_tags).await?;
    Ok(user_views::to_user(caller, row, new_tags.to_vec()))
}

/// `GetUser`: the named user, or the caller itself when no name is given.
pub async fn get_user(
    iam: &Iam,
    caller: &Caller,
    user_name: Option<&str>,
) -> Result<User, ServiceError> {
    Operation::run(iam, caller, Op::GetUser, |op| {
        Box::pin(async move {
            let name = match (user_name.filter(|n| !n.is_empty()), &caller.principal.kind) {
                (Some(name), _) => UserName::parse_existing("UserName", name)?.to_string(),
                (None, PrincipalKind::User { user_name, .. }) => user_name.clone(),
                (
                    None,
                    PrincipalKind::AssumedRole { .. }
                    | PrincipalKind::FederatedUser { .. }
                    | PrincipalKind::WebIdentity { .. },
                ) => return Err(ServiceError::user_name_required()),
                (None, PrincipalKind::Root) => {
                    op.authorize(&caller.principal.arn()).await?;
                    return root_as_user(iam, caller).await;
                }
            };
            let view = user_views::user_view(iam, caller, &name).await?;
            let view = op.authorize_named(view, &RequestContext::default()).await?;
            let user = user_views::to_user(caller, view.row.clone(), view.tags.clone());
            let mut users = with_password_last_used(iam, vec![user]).await?;
            Ok(users.remove(0))
        })
    })
    .await
}

/// What `GetUser` answers for the root user: its ARN and the account ID as its user ID.
async fn root_as_user(iam: &Iam, caller: &Caller) -> Result<User, ServiceError> {
    let account = accounts::find_by_id(iam.store().reader(), caller.account_id().as_str())
        .await?
        .ok_or(ServiceError::NotSignedIn)?;
    Ok(User {
        user_name: String::new(),
        user_id: account.account_id.clone(),
        arn: caller.principal.arn(),
        path: "/".to_string(),
        create_date: account.created_at,
        permissions_boundary_arn: None,
        tags: Vec::new(),
        password_last_used: None,
    })
}

/// `users` with when each last signed in with its password (`PasswordLastUsed`).
async fn with_password_last_used(
    iam: &Iam,
    mut users: Vec<User>,
) -> Result<Vec<User>, ServiceError> {
    let ids: Vec<String> = users.iter().map(|user| user.user_id.clone()).collect();
    let used = login_profiles::password_last_used(iam.store().reader(), &ids).await?;
    for user in &mut users {
        user.password_last_used = used.get(&user.user_id).copied();
    }
    Ok(users)
}

pub type ListUsers = crate::server::service::entities::ListEntities;

pub async fn list_users(
    iam: &Iam,
    caller: &Caller,
    input: ListUsers,
) -> Result<Page<User>, ServiceError> {
    Operation::run(iam, caller, Op::ListUsers, |op| {
        Box::pin(async move {
            // AWS's ListUsers leaves tags out; GetUser and ListUserTags carry them.
            let table = &*users::TABLE;
            let mut page = entities::list_page(
                op,
                caller,
                |path| EntityKind::User.arn(caller.account_id(), path, ""),
                table,
                input,
                |row| user_views::to_user(caller, row, Vec::new()),
            )
            .await?;
            page.items = with_password_last_used(iam, page.items).await?;
            Ok(page)
        })
    })
    .await
}

/// `UpdateUser`: a new name and/or path. A move ends the user's console sessions: they are
/// found by the ARN they signed in as, and the user signs in again under the new one (see
/// `session::current`).
pub async fn update_user(
    iam: &Iam,
    caller: &Caller,
    input: Rename<UserName>,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::UpdateUser, |op| {
        Box::pin(async move {
            let mut tx = op.begin().await?;
            let target = lookup::named_user(&mut *tx, caller, input.name.as_str()).await?;
            let row = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            let table = &*users::TABLE;
            if let Some(old_arn) =
                entities::rename(op, &mut tx, caller, table, &*row, &input).await?
            {
                console_sessions::end_all_sessions(&mut tx, &old_arn).await?;
            }
            op.commit(tx, &row).await
        })
    })
    .await
}

/// `DeleteUser`: refuses, as AWS does, while the user still has anything attached.
pub async fn delete_user(iam: &Iam, caller: &Caller, user_name: &str) -> Result<(), ServiceError> {
    removal::delete(iam, caller, EntityKind::User, user_name, Dependents::Refuse).await
}

/// The console's delete: removes what hangs on the user (each step authorized as the action
/// it is), then the user, in one transaction.
pub async fn delete_user_and_dependents(
    iam: &Iam,
    caller: &Caller,
    user_name: &str,
) -> Result<(), ServiceError> {
    removal::delete(iam, caller, EntityKind::User, user_name, Dependents::Remove).await
}
