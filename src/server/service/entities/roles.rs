//! IAM roles: create with a trust policy, read, list, update, delete, tag, trust policy edits
//! and permissions boundaries.

use crate::catalog::Op;
use crate::domain::arn::role_arn;
use crate::domain::iam_models::{LastUsed, Page, Role};
use crate::domain::iam_names::constraint_message;
use crate::domain::tags::{check_tags, Tag};
use crate::domain::unique_id::ROLE_PREFIX;
use crate::domain::EntityKind;
use crate::domain::{Invalid, RoleName};
use crate::policy::{validate, PolicyKind};
use crate::server::store::roles::RoleRow;
use crate::server::store::{roles, tags};

use crate::domain::entity_requests::NewEntity;
use crate::server::service::authorization::RequestContext;
use crate::server::service::entities::lookup::Named;
use crate::server::service::entities::removal::{self, Dependents};
use crate::server::service::entities::{creation, Entity};
use crate::server::service::ids::new_id;
use crate::server::service::policies::inline::document_error;
use crate::server::service::{
    entities, entities::lookup, entities::trust_principals, Caller, Iam, Operation, ServiceError,
};

pub const MIN_SESSION_SECONDS: i64 = 3_600;
pub const MAX_SESSION_SECONDS: i64 = 43_200;

pub struct CreateRole {
    pub entity: NewEntity<RoleName>,
    pub assume_role_policy_document: String,
    pub description: Option<String>,
    pub max_session_duration: Option<i64>,
    pub tags: Vec<Tag>,
    pub permissions_boundary: Option<String>,
}

fn check_max_session(value: Option<i64>) -> Result<i64, Invalid> {
    match value {
        None => Ok(MIN_SESSION_SECONDS),
        Some(v) if v < MIN_SESSION_SECONDS => Err(Invalid::new(
            "MaxSessionDuration",
            constraint_message(
                "maxSessionDuration",
                "have value greater than or equal to 3600",
            ),
        )),
        Some(v) if v > MAX_SESSION_SECONDS => Err(Invalid::new(
            "MaxSessionDuration",
            constraint_message(
                "maxSessionDuration",
                "have value less than or equal to 43200",
            ),
        )),
        Some(v) => Ok(v),
    }
}

fn check_description(value: Option<&str>) -> Result<Option<String>, Invalid> {
    let Some(value) = value else {
        return Ok(None);
    };
    if value.chars().count() > 1000 {
        return Err(Invalid::new(
            "Description",
            constraint_message("description", "have length less than or equal to 1000"),
        ));
    }
    let allowed =
        |c: char| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{a1}'..='\u{ff}');
    if !value.chars().all(allowed) {
        return Err(Invalid::new(
            "Description",
            constraint_message(
                "description",
                r"satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*",
            ),
        ));
    }
    Ok(Some(value.to_string()))
}

fn check_trust_policy(document: &str) -> Result<(), ServiceError> {
    match validate(document, PolicyKind::Trust).error {
        Some(error) => Err(match document_error(error) {
            ServiceError::MalformedPolicyDocument { message, .. } => {
                ServiceError::MalformedPolicyDocument {
                    field: Some("AssumeRolePolicyDocument".to_string()),
                    message,
                }
            }
            other => other,
        }),
        None => Ok(()),
    }
}

pub async fn create_role(
    iam: &Iam,
    caller: &Caller,
    input: CreateRole,
) -> Result<Role, ServiceError> {
    create_role_with_policies(iam, caller, input, &[]).await
}

/// The console's create: the role and the managed policies attached to it (each attach
/// authorized as its own action) in one transaction, so a refused attach leaves no role.
pub async fn create_role_with_policies(
    iam: &Iam,
    caller: &Caller,
    input: CreateRole,
    policy_arns: &[String],
) -> Result<Role, ServiceError> {
    Operation::run(iam, caller, Op::CreateRole, |op| {
        Box::pin(async move {
            let NewEntity { name, path } = &input.entity;
            let description =
                check_description(input.description.as_deref().filter(|d| !d.is_empty()))?;
            let max_session = check_max_session(input.max_session_duration)?;
            check_tags("Tags", &input.tags)?;
            check_trust_policy(&input.assume_role_policy_document)?;
            let arn = role_arn(caller.account_id(), path.as_str(), name.as_str());
            let boundary = input.permissions_boundary.as_deref();
            let authorized =
                creation::authorize_create(op, EntityKind::Role, &arn, &input.tags, boundary)
                    .await?;
            let mut tx = op.begin().await?;
            let boundary = creation::boundary(&mut tx, caller, boundary).await?;
            let account_id = caller.account_id().as_str();
            let table = &roles::TABLE;
            creation::refuse_taken_name(&mut tx, caller, EntityKind::Role, table, name.as_str())
                .await?;
            let stored_trust = trust_principals::to_stored(
                &mut tx,
                &input.assume_role_policy_document,
                "AssumeRolePolicyDocument",
            )
            .await?;
            let row = RoleRow {
                role_id: new_id(ROLE_PREFIX),
                account_id: account_id.to_string(),
                name: name.to_string(),
                path: path.to_string(),
                description,
                max_session_duration: max_session,
                assume_role_policy: stored_trust,
                permissions_boundary_arn: boundary,
                created_at: iam.clock().now_millis(),
                last_used_at: None,
                last_used_region: None,
            };
            roles::insert(&mut *tx, &row)
                .await
                .map_err(creation::taken_on_conflict(EntityKind::Role, name.as_str()))?;
            creation::store_tags(&mut tx, EntityKind::Role, &row.role_id, &input.tags).await?;
            // The trust policy as given: every principal in it was just found to exist.
            let role = Role {
                assume_role_policy_document: input.assume_role_policy_document,
                ..to_role(caller, row, input.tags)
            };
            let entity = Entity {
                kind: EntityKind::Role,
                id: role.role_id.clone(),
                name: role.role_name.clone(),
                path: role.path.clone(),
                arn: role.arn.clone(),
            };
            let now = iam.clock().now_millis();
            creation::attach_policies(op, &mut tx, caller, &entity, policy_arns, now).await?;
            op.commit(tx, &authorized).await?;
            Ok(role)
        })
    })
    .await
}

/// The role named, found or not: see `lookup::Named`.
async fn find_role<'c>(
    db: impl sqlx::Executor<'c, Database = sqlx::Any>,
    caller: &Caller,
    name: &str,
) -> Result<Named<RoleRow>, ServiceError> {
    let name = RoleName::parse_existing("RoleName", name)?;
    lookup::named_role(db, caller, name.as_str()).await
}

pub async fn get_role(iam: &Iam, caller: &Caller, role_name: &str) -> Result<Role, ServiceError> {
    Operation::run(iam, caller, Op::GetRole, |op| {
        Box::pin(async move {
            let db = iam.store().reader();
            let target = find_role(db, caller, role_name).await?;
            let row = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            answer(iam, caller, row.into_inner()).await
        })
    })
    .await
}

/// The role as `GetRole` answers it: with its tags, its trust policy naming principals by ARN.
pub(in crate::server::service) async fn answer(
    iam: &Iam,
    caller: &Caller,
    row: RoleRow,
) -> Result<Role, ServiceError> {
    let role_tags = tags::for_entity(iam.store().reader(), EntityKind::Role, &row.role_id).await?;
    shown(iam, to_role(caller, row, role_tags)).await
}

pub type ListRoles = crate::server::service::entities::ListEntities;

pub async fn list_roles(
    iam: &Iam,
    caller: &Caller,
    input: ListRoles,
) -> Result<Page<Role>, ServiceError> {
    Operation::run(iam, caller, Op::ListRoles, |op| {
        Box::pin(async move {
            // ListRoles leaves out tags and boundaries, as AWS does.
            let table = &*roles::TABLE;
            let mut roles = entities::list_page(
                op,
                caller,
                |path| EntityKind::Role.arn(caller.account_id(), path, ""),
                table,
                input,
                |mut row| {
                    row.permissions_boundary_arn = None;
                    to_role(caller, row, Vec::new())
                },
            )
            .await?;
            for role in &mut roles.items {
                role.assume_role_policy_document =
                    trust_principals::shown_now(iam, &role.assume_role_policy_document).await?;
            }
            Ok(roles)
        })
    })
    .await
}

/// `UpdateRole`: description and/or maximum session duration; what is not given is kept.
pub async fn update_role(
    iam: &Iam,
    caller: &Caller,
    role_name: &str,
    description: Option<&str>,
    max_session_duration: Option<i64>,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::UpdateRole, |op| {
        Box::pin(async move {
            let description = check_description(description)?;
            if max_session_duration.is_some() {
                check_max_session(max_session_duration)?;
            }
            let mut tx = op.begin().await?;
            let target = find_role(&mut *tx, caller, role_name).await?;
            let row = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            let description = description.or(row.description.clone());
            let max_session = max_session_duration.unwrap_or(row.max_session_duration);
            roles::update_settings(
                &mut *tx,
                &row.role_id,
                description.as_deref().filter(|d| !d.is_empty()),
                max_session,
            )
            .await?;
            op.commit(tx, &row).await
        })
    })
    .await
}

/// `UpdateRoleDescription`: returns the updated role, as AWS does.
pub async fn update_role_description(
    iam: &Iam,
    caller: &Caller,
    role_name: &str,
    description: &str,
) -> Result<Role, ServiceError> {
    Operation::run(iam, caller, Op::UpdateRoleDescription, |op| {
        Box::pin(async move {
            let description = check_description(Some(description))?;
            let mut tx = op.begin().await?;
            let target = find_role(&mut *tx, caller, role_name).await?;
            let (authorized, mut row) = op
                .authorize_named(target, &RequestContext::default())
                .await?
                .split();
            row.description = description.filter(|d| !d.is_empty());
            roles::update_settings(
                &mut *tx,
                &row.role_id,
                row.description.as_deref(),
                row.max_session_duration,
            )
            .await?;
            let role_tags = tags::for_entity(&mut *tx, EntityKind::Role, &row.role_id).await?;
            op.commit(tx, &authorized).await?;
            shown(iam, to_role(caller, row, role_tags)).await
        })
    })
    .await
}

pub async fn update_assume_role_policy(
    iam: &Iam,
    caller: &Caller,
    role_name: &str,
    document: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::UpdateAssumeRolePolicy, |op| {
        Box::pin(async move {
            let mut tx = op.begin().await?;
            let target = find_role(&mut *tx, caller, role_name).await?;
            let row = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            check_trust_policy(document)?;
            let stored = trust_principals::to_stored(&mut tx, document, "PolicyDocument").await?;
            roles::set_assume_role_policy(&mut *tx, &row.role_id, &stored).await?;
            op.commit(tx, &row).await
        })
    })
    .await
}

/// `DeleteRole`: refuses while policies are attached or embedded.
pub async fn delete_role(iam: &Iam, caller: &Caller, role_name: &str) -> Result<(), ServiceError> {
    removal::delete(iam, caller, EntityKind::Role, role_name, Dependents::Refuse).await
}

/// The console's delete: detaches and deletes the role's policies (each authorized), then the
/// role, in one transaction.
pub async fn delete_role_and_dependents(
    iam: &Iam,
    caller: &Caller,
    role_name: &str,
) -> Result<(), ServiceError> {
    removal::delete(iam, caller, EntityKind::Role, role_name, Dependents::Remove).await
}

/// The role with its trust policy as people read it (principals by their ARNs now).
pub(in crate::server::service) async fn shown(
    iam: &Iam,
    mut role: Role,
) -> Result<Role, ServiceError> {
    role.assume_role_policy_document =
        trust_principals::shown_now(iam, &role.assume_role_policy_document).await?;
    Ok(role)
}

/// How often a role's last use is written: `RoleLastUsed` is a coarse answer ("used today"),
/// and a busy session must not turn each request into a write.
pub const ROLE_USE_RECORD_INTERVAL_MILLIS: i64 = 5 * 60 * 1000;

/// Records that a session of the role (`role_id`) made a request in `region`, at most once per
/// `ROLE_USE_RECORD_INTERVAL_MILLIS`: within it, the process skips the store altogether.
pub async fn record_role_use(iam: &Iam, role_id: &str, region: &str) -> Result<(), ServiceError> {
    let now = iam.clock().now_millis();
    let memo_key = format!("role:{role_id}");
    if !iam
        .key_uses()
        .due(&memo_key, now, ROLE_USE_RECORD_INTERVAL_MILLIS)
    {
        return Ok(());
    }
    roles::record_use(
        iam.store().writer(),
        role_id,
        now,
        region,
        ROLE_USE_RECORD_INTERVAL_MILLIS,
    )
    .await?;
    iam.key_uses().written(&memo_key, now);
    Ok(())
}

/// The role as stored; its trust policy names users and roles by unique ID (see `shown`).
pub(in crate::server::service) fn to_role(caller: &Caller, row: RoleRow, tags: Vec<Tag>) -> Role {
    Role {
        arn: role_arn(caller.account_id(), &row.path, &row.name),
        role_name: row.name,
        role_id: row.role_id,
        path: row.path,
        create_date: row.created_at,
        description: row.description,
        max_session_duration: row.max_session_duration,
        assume_role_policy_document: row.assume_role_policy,
        permissions_boundary_arn: row.permissions_boundary_arn,
        tags,
        last_used: row.last_used_at.map(|date| LastUsed {
            date,
            region: row.last_used_region.unwrap_or_default(),
        }),
    }
}
