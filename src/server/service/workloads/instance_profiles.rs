//! IAM's instance profiles: `Create/Get/Delete/ListInstanceProfiles`,
//! `ListInstanceProfilesForRole`, `Add/RemoveRoleFromInstanceProfile` and the profile's tags,
//! with AWS's rules (1,000 per account, one role per profile, no deleting a profile that holds
//! a role or a role that is in a profile). Handing a role to a profile needs `iam:PassRole` on
//! the role: whoever runs as the profile acts with the role's permissions.
//!
//! SECURITY: each operation looks the profile up as a `Named` and authorizes on it before it
//! learns whether it exists (see `entities::lookup`).

use crate::catalog::Op;
use crate::domain::arn::instance_profile_arn;
use crate::domain::iam_models::{InstanceProfile, Page, Role};
use crate::domain::tags::{check_tag_keys, check_tags, Tag};
use crate::domain::unique_id::INSTANCE_PROFILE_PREFIX;
use crate::domain::{IamPath, InstanceProfileName};
use crate::server::store::instance_profiles::{self, InstanceProfileRow};
use crate::server::store::roles::{self, RoleRow};
use crate::server::store::tags::{self, Tagged};
use crate::server::store::{workload_tokens, Tx};

use crate::policy::global_keys;
use crate::server::service::authorization::RequestContext;
use crate::server::service::entities::lookup::{self, Named};
use crate::server::service::entities::tagging::add_tags;
use crate::server::service::entities::{self, roles as role_service, ListEntities};
use crate::server::service::ids::new_id;
use crate::server::service::paging::{decode_marker, max_items, page, PageRequest};
use crate::server::service::{Authorized, Caller, Iam, Operation, ServiceError};

/// The service principal a profile's workloads act as: their roles trust it, as roles for EC2
/// instances do.
pub const WORKLOAD_SERVICE: &str = "ec2.amazonaws.com";

/// AWS's default quota of instance profiles per account.
pub const MAX_INSTANCE_PROFILES: i64 = 1_000;

#[derive(Clone, Debug, Default)]
pub struct CreateInstanceProfile {
    pub name: String,
    pub path: Option<String>,
    pub tags: Vec<Tag>,
}

fn conflict_while_holding_a_role() -> ServiceError {
    ServiceError::DeleteConflict(
        "Cannot delete entity, must remove roles from instance profile first.".to_string(),
    )
}

/// The profile `name` names in the caller's account, found or not, to be authorized on.
pub(super) async fn named<'c>(
    db: impl sqlx::Executor<'c, Database = sqlx::Any>,
    caller: &Caller,
    name: &str,
) -> Result<Named<InstanceProfileRow>, ServiceError> {
    let name = InstanceProfileName::parse_existing("InstanceProfileName", name)?;
    let found = instance_profiles::TABLE
        .find_by_name(db, caller.account_id().as_str(), name.as_str())
        .await?;
    let account = caller.account_id();
    Ok(Named::resource(
        |path, name| instance_profile_arn(account, path, name),
        format!("instance profile {name}"),
        format!("Instance Profile {name} cannot be found."),
        name.as_str(),
        found,
        |row| (&row.path, &row.name),
    ))
}

/// The profile as AWS's `InstanceProfile` structure: its role (trust policy naming principals
/// by ARN) and tags.
async fn answer(
    iam: &Iam,
    caller: &Caller,
    row: InstanceProfileRow,
) -> Result<InstanceProfile, ServiceError> {
    let db = iam.store().reader();
    let mut roles: Vec<Role> = Vec::new();
    if let Some(role_id) = &row.role_id {
        if let Some(role) = roles::TABLE.find_by_id(db, role_id).await? {
            roles.push(role_service::answer(iam, caller, role).await?);
        }
    }
    let tags = tags::for_entity(db, Tagged::InstanceProfile, &row.instance_profile_id).await?;
    Ok(InstanceProfile {
        arn: instance_profile_arn(caller.account_id(), &row.path, &row.name),
        instance_profile_name: row.name,
        instance_profile_id: row.instance_profile_id,
        path: row.path,
        create_date: row.created_at,
        roles,
        tags,
    })
}

pub async fn create(
    iam: &Iam,
    caller: &Caller,
    input: CreateInstanceProfile,
) -> Result<InstanceProfile, ServiceError> {
    Operation::run(iam, caller, Op::CreateInstanceProfile, |op| {
        Box::pin(async move {
            let name = InstanceProfileName::parse("InstanceProfileName", &input.name)?;
            let path = IamPath::parse("Path", input.path.as_deref().unwrap_or("/"))?;
            let arn = instance_profile_arn(caller.account_id(), path.as_str(), name.as_str());
            op.target(&arn);
            check_tags("Tags", &input.tags)?;
            let authorized = op
                .authorize_with(&arn, &RequestContext::with_request_tags(&input.tags))
                .await?;
            let account = caller.account_id().as_str();
            let mut tx = op.begin().await?;
            if instance_profiles::TABLE
                .find_by_name(&mut *tx, account, name.as_str())
                .await?
                .is_some()
            {
                return Err(ServiceError::already_exists(
                    "InstanceProfileName",
                    format!("Instance Profile {name} already exists."),
                ));
            }
            if instance_profiles::count(&mut *tx, account).await? >= MAX_INSTANCE_PROFILES {
                return Err(ServiceError::LimitExceeded(format!(
                    "Cannot exceed quota for InstanceProfilesPerAccount: {MAX_INSTANCE_PROFILES}"
                )));
            }
            let row = InstanceProfileRow {
                instance_profile_id: new_id(INSTANCE_PROFILE_PREFIX),
                account_id: account.to_string(),
                name: name.to_string(),
                path: path.as_str().to_string(),
                role_id: None,
                created_at: iam.clock().now_millis(),
            };
            instance_profiles::insert(&mut *tx, &row).await?;
            add_tags(
                &mut tx,
                Tagged::InstanceProfile,
                &row.instance_profile_id,
                &input.tags,
            )
            .await?;
            op.commit(tx, &authorized).await?;
            Ok(InstanceProfile {
                arn,
                instance_profile_name: row.name,
                instance_profile_id: row.instance_profile_id,
                path: row.path,
                create_date: row.created_at,
                roles: Vec::new(),
                tags: input.tags,
            })
        })
    })
    .await
}

pub async fn get(iam: &Iam, caller: &Caller, name: &str) -> Result<InstanceProfile, ServiceError> {
    Operation::run(iam, caller, Op::GetInstanceProfile, |op| {
        Box::pin(async move {
            let target = named(iam.store().reader(), caller, name).await?;
            let row = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            answer(iam, caller, row.into_inner()).await
        })
    })
    .await
}

/// `DeleteInstanceProfile`: refused (DeleteConflict) while it holds a role; its workload tokens
/// are deleted with it.
pub async fn delete(iam: &Iam, caller: &Caller, name: &str) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::DeleteInstanceProfile, |op| {
        Box::pin(async move {
            let mut tx = op.begin().await?;
            let target = named(&mut *tx, caller, name).await?;
            let row = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            if row.role_id.is_some() {
                return Err(conflict_while_holding_a_role());
            }
            tags::remove_all(&mut *tx, Tagged::InstanceProfile, &row.instance_profile_id).await?;
            // Its workload tokens end with it.
            workload_tokens::delete_for_profile(&mut *tx, &row.instance_profile_id).await?;
            instance_profiles::TABLE
                .delete(&mut *tx, &row.instance_profile_id)
                .await?;
            op.commit(tx, &row).await
        })
    })
    .await
}

/// `ListInstanceProfiles`: a page by name, under a path prefix, each with its role.
pub async fn list(
    iam: &Iam,
    caller: &Caller,
    input: ListEntities,
) -> Result<Page<InstanceProfile>, ServiceError> {
    Operation::run(iam, caller, Op::ListInstanceProfiles, |op| {
        Box::pin(async move {
            let account = caller.account_id();
            let rows = entities::list_page(
                op,
                caller,
                |path| instance_profile_arn(account, path, ""),
                &instance_profiles::TABLE,
                input,
                |row| row,
            )
            .await?;
            answer_page(iam, caller, rows).await
        })
    })
    .await
}

async fn answer_page(
    iam: &Iam,
    caller: &Caller,
    rows: Page<InstanceProfileRow>,
) -> Result<Page<InstanceProfile>, ServiceError> {
    let mut items = Vec::with_capacity(rows.items.len());
    for row in rows.items {
        items.push(answer(iam, caller, row).await?);
    }
    Ok(Page {
        items,
        is_truncated: rows.is_truncated,
        marker: rows.marker,
    })
}

/// The profiles holding the role `role_id` (for GetAccountAuthorizationDetails, which
/// authorized reading them all).
pub(in crate::server::service) async fn of_role(
    iam: &Iam,
    caller: &Caller,
    role_id: &str,
) -> Result<Vec<InstanceProfile>, ServiceError> {
    let mut profiles = Vec::new();
    for row in instance_profiles::for_role(iam.store().reader(), role_id).await? {
        profiles.push(answer(iam, caller, row).await?);
    }
    Ok(profiles)
}

/// `ListInstanceProfilesForRole`: the profiles holding the role, authorized on the role.
pub async fn list_for_role(
    iam: &Iam,
    caller: &Caller,
    role_name: &str,
    request: PageRequest,
) -> Result<Page<InstanceProfile>, ServiceError> {
    Operation::run(iam, caller, Op::ListInstanceProfilesForRole, |op| {
        Box::pin(async move {
            let limit = max_items(request.max_items)?;
            let after = decode_marker(request.marker.as_deref())?;
            let db = iam.store().reader();
            let role_name = crate::domain::RoleName::parse_existing("RoleName", role_name)?;
            let target = lookup::named_role(db, caller, role_name.as_str()).await?;
            let role = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            let rows: Vec<InstanceProfileRow> = instance_profiles::for_role(db, &role.role_id)
                .await?
                .into_iter()
                .filter(|row| {
                    after
                        .as_deref()
                        .is_none_or(|after| row.name.to_ascii_lowercase().as_str() > after)
                })
                .take(limit as usize + 1)
                .collect();
            let rows = page(rows, limit, |row| row.name.to_ascii_lowercase(), |row| row);
            answer_page(iam, caller, rows).await
        })
    })
    .await
}

/// What `iam:PassRole` sees when a role is handed to the profile `profile_arn`'s workloads: the
/// service it is passed to and the profile, so `iam:PassedToService` conditions hold.
pub(super) fn passed_to_workloads(profile_arn: String) -> RequestContext {
    RequestContext {
        entries: vec![
            (
                global_keys::IAM_PASSED_TO_SERVICE.to_string(),
                vec![WORKLOAD_SERVICE.to_string()],
            ),
            (
                global_keys::IAM_ASSOCIATED_RESOURCE_ARN.to_string(),
                vec![profile_arn],
            ),
        ],
    }
}

/// The profile and the role AddRoleToInstanceProfile names, both authorized: the operation on
/// the profile, and `iam:PassRole` on the role (for EC2, as launching an instance with the
/// profile would pass it).
async fn profile_and_role(
    op: &mut Operation<'_>,
    tx: &mut Tx,
    caller: &Caller,
    profile_name: &str,
    role_name: &str,
) -> Result<(Authorized<InstanceProfileRow>, RoleRow), ServiceError> {
    let role_name = crate::domain::RoleName::parse_existing("RoleName", role_name)?;
    let target = named(&mut **tx, caller, profile_name).await?;
    let profile = op
        .authorize_named(target, &RequestContext::default())
        .await?;
    let role = lookup::named_role(&mut **tx, caller, role_name.as_str()).await?;
    let passed = passed_to_workloads(instance_profile_arn(
        caller.account_id(),
        &profile.path,
        &profile.name,
    ));
    let role = op
        .authorize_action_named(Op::PassRole, role, &passed)
        .await?
        .into_inner();
    Ok((profile, role))
}

/// `AddRoleToInstanceProfile`: a profile holds at most one role.
pub async fn add_role(
    iam: &Iam,
    caller: &Caller,
    profile_name: &str,
    role_name: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::AddRoleToInstanceProfile, |op| {
        Box::pin(async move {
            let mut tx = op.begin().await?;
            let (profile, role) =
                profile_and_role(op, &mut tx, caller, profile_name, role_name).await?;
            if profile.role_id.is_some() {
                return Err(ServiceError::LimitExceeded(
                    "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1".to_string(),
                ));
            }
            instance_profiles::set_role(
                &mut *tx,
                &profile.instance_profile_id,
                Some(&role.role_id),
            )
            .await?;
            op.commit(tx, &profile).await
        })
    })
    .await
}

/// `RemoveRoleFromInstanceProfile`: workloads of the profile get no new credentials after it.
pub async fn remove_role(
    iam: &Iam,
    caller: &Caller,
    profile_name: &str,
    role_name: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::RemoveRoleFromInstanceProfile, |op| {
        Box::pin(async move {
            let mut tx = op.begin().await?;
            let role_name = crate::domain::RoleName::parse_existing("RoleName", role_name)?;
            let target = named(&mut *tx, caller, profile_name).await?;
            let profile = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            // SECURITY: only the role the profile holds is looked at, so the answer does not
            // tell whether a role of that name exists elsewhere.
            let held = match &profile.role_id {
                Some(role_id) => roles::TABLE.find_by_id(&mut *tx, role_id).await?,
                None => None,
            };
            if !held.is_some_and(|role| role.name.eq_ignore_ascii_case(role_name.as_str())) {
                return Err(ServiceError::NoSuchEntity(format!(
                    "The role with name {role_name} cannot be found in instance profile {}.",
                    profile.name
                )));
            }
            instance_profiles::set_role(&mut *tx, &profile.instance_profile_id, None).await?;
            op.commit(tx, &profile).await
        })
    })
    .await
}

pub async fn tag(
    iam: &Iam,
    caller: &Caller,
    name: &str,
    new_tags: Vec<Tag>,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::TagInstanceProfile, |op| {
        Box::pin(async move {
            check_tags("Tags", &new_tags)?;
            let mut tx = op.begin().await?;
            let target = named(&mut *tx, caller, name).await?;
            let row = op
                .authorize_named(target, &RequestContext::with_request_tags(&new_tags))
                .await?;
            add_tags(
                &mut tx,
                Tagged::InstanceProfile,
                &row.instance_profile_id,
                &new_tags,
            )
            .await?;
            op.commit(tx, &row).await
        })
    })
    .await
}

pub async fn untag(
    iam: &Iam,
    caller: &Caller,
    name: &str,
    keys: Vec<String>,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::UntagInstanceProfile, |op| {
        Box::pin(async move {
            check_tag_keys("TagKeys", &keys)?;
            let mut tx = op.begin().await?;
            let target = named(&mut *tx, caller, name).await?;
            let row = op
                .authorize_named(target, &RequestContext::with_tag_keys(&keys))
                .await?;
            for key in &keys {
                tags::remove(
                    &mut *tx,
                    Tagged::InstanceProfile,
                    &row.instance_profile_id,
                    key,
                )
                .await?;
            }
            op.commit(tx, &row).await
        })
    })
    .await
}

pub async fn list_tags(iam: &Iam, caller: &Caller, name: &str) -> Result<Vec<Tag>, ServiceError> {
    Operation::run(iam, caller, Op::ListInstanceProfileTags, |op| {
        Box::pin(async move {
            let db = iam.store().reader();
            let target = named(db, caller, name).await?;
            let row = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            Ok(tags::for_entity(db, Tagged::InstanceProfile, &row.instance_profile_id).await?)
        })
    })
    .await
}
