//! Managed policies: customer managed ones (create, versions, delete) and the built-in AWS
//! managed ones (read-only), with AWS's limits and messages.
//!
//! The folder holds how policies meet entities (`attachments`, `inline`), the built-in policies
//! (`aws_managed`), the simulator and the account-wide `authorization_details`.

pub mod attachments;
pub mod authorization_details;
pub mod aws_managed;
pub mod inline;
pub mod simulation;

use crate::catalog::Op;
use std::collections::HashMap;

use time::format_description::well_known::Rfc3339;

use crate::domain::arn::{is_aws_managed_policy_arn, policy_arn};
use crate::domain::iam_models::{ManagedPolicy, Page, PolicyVersion};
use crate::domain::iam_names::constraint_message;
use crate::domain::unique_id::POLICY_PREFIX;
use crate::domain::EntityKind;
use crate::domain::{IamPath, Invalid, PolicyName};
use crate::policy::{validate, PolicyKind};
use crate::server::store::policies::{PolicyRow, VersionRow};
use crate::server::store::{attachments as attachment_rows, groups, policies, roles, users};

use crate::server::service::ids::new_id;
use crate::server::service::paging::{
    decode_marker, encode_marker, invalid_marker, max_items, tagged_page, PageRequest,
};
use crate::server::service::policies::inline::document_error;
use crate::server::service::{entities::lookup, Caller, Iam, Operation, ServiceError};
use aws_managed::AwsManagedPolicy;

/// AWS's limit of versions kept per managed policy.
pub const MAX_VERSIONS: usize = 5;

pub struct CreatePolicy {
    pub policy_name: String,
    pub path: Option<String>,
    pub description: Option<String>,
    pub document: String,
}

pub async fn create_policy(
    iam: &Iam,
    caller: &Caller,
    input: CreatePolicy,
) -> Result<ManagedPolicy, ServiceError> {
    Operation::run(iam, caller, Op::CreatePolicy, |op| {
        Box::pin(async move {
            let name = PolicyName::parse("PolicyName", input.policy_name.trim())?;
            let path = match input
                .path
                .as_deref()
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                Some(path) => IamPath::parse_policy_path("Path", path)?,
                None => IamPath::root(),
            };
            let description = check_description(input.description)?;
            if let Some(error) = validate(&input.document, PolicyKind::Managed).error {
                return Err(document_error(error));
            }
            let arn = policy_arn(caller.account_id(), path.as_str(), name.as_str());
            let authorized = op.authorize(&arn).await?;
            let mut tx = op.begin().await?;
            let account_id = caller.account_id().as_str();
            let exists =
                || {
                    ServiceError::already_exists(
                "PolicyName",
                format!("A policy called {name} already exists. Duplicate names are not allowed."),
            )
                };
            if policies::find_by_name(&mut *tx, account_id, name.as_str())
                .await?
                .is_some()
            {
                return Err(exists());
            }
            let now = iam.clock().now_millis();
            let row = PolicyRow {
                policy_id: new_id(POLICY_PREFIX),
                account_id: account_id.to_string(),
                name: name.to_string(),
                path: path.to_string(),
                arn,
                description,
                default_version_id: "v1".to_string(),
                next_version: 2,
                created_at: now,
                updated_at: now,
            };
            policies::insert(&mut *tx, &row).await.map_err(|error| {
                if error.is_unique_violation() {
                    exists()
                } else {
                    error.into()
                }
            })?;
            let version = VersionRow {
                version_id: "v1".to_string(),
                document: input.document,
                created_at: now,
            };
            policies::insert_version(&mut *tx, &row.policy_id, &version).await?;
            op.commit(tx, &authorized).await?;
            Ok(customer_policy(row, 0, 0))
        })
    })
    .await
}

fn check_description(description: Option<String>) -> Result<Option<String>, ServiceError> {
    match description.filter(|d| !d.is_empty()) {
        Some(d) if d.chars().count() > 1000 => Err(Invalid::new(
            "Description",
            constraint_message("description", "have length less than or equal to 1000"),
        )
        .into()),
        other => Ok(other),
    }
}

/// `GetPolicy`: a customer managed policy of the caller's account, or an AWS managed one.
pub async fn get_policy(
    iam: &Iam,
    caller: &Caller,
    arn: &str,
) -> Result<ManagedPolicy, ServiceError> {
    Operation::run(iam, caller, Op::GetPolicy, |op| {
        Box::pin(async move {
            lookup::check_arn(arn)?;
            op.authorize(arn).await?;
            let found = find(iam, caller, arn).await?;
            let account_id = caller.account_id().as_str();
            let db = iam.store().reader();
            let attached = attachment_rows::count_for_policy(db, account_id, arn).await?;
            let boundaries = roles::boundary_usage_count(db, account_id, arn).await?;
            match found {
                Found::Aws(builtin) => Ok(aws_policy(builtin, attached, boundaries)),
                Found::Customer(row) => Ok(customer_policy(row, attached, boundaries)),
            }
        })
    })
    .await
}

enum Found {
    Aws(&'static AwsManagedPolicy),
    Customer(PolicyRow),
}

async fn find(iam: &Iam, caller: &Caller, arn: &str) -> Result<Found, ServiceError> {
    let not_found = || ServiceError::NoSuchEntity(format!("Policy {arn} was not found."));
    if is_aws_managed_policy_arn(arn) {
        return aws_managed::by_arn(arn)
            .map(Found::Aws)
            .ok_or_else(not_found);
    }
    policies::find_by_arn(iam.store().reader(), arn)
        .await?
        .filter(|row| row.account_id == caller.account_id().as_str())
        .map(Found::Customer)
        .ok_or_else(not_found)
}

/// A customer managed policy of the caller's account, inside a transaction.
async fn find_customer(
    tx: &mut crate::server::store::Tx,
    caller: &Caller,
    arn: &str,
) -> Result<PolicyRow, ServiceError> {
    if is_aws_managed_policy_arn(arn) {
        return Err(ServiceError::InvalidInput(format!(
            "Policy {arn} is an AWS managed policy and cannot be changed."
        )));
    }
    policies::find_by_arn(&mut **tx, arn)
        .await?
        .filter(|row| row.account_id == caller.account_id().as_str())
        .ok_or_else(|| ServiceError::NoSuchEntity(format!("Policy {arn} was not found.")))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Scope {
    #[default]
    All,
    Aws,
    Local,
}

impl Scope {
    pub fn parse(value: Option<&str>) -> Result<Self, Invalid> {
        match value.unwrap_or("All") {
            "All" => Ok(Scope::All),
            "AWS" => Ok(Scope::Aws),
            "Local" => Ok(Scope::Local),
            _ => Err(Invalid::new(
                "Scope",
                constraint_message("scope", "satisfy enum value set: [All, AWS, Local]"),
            )),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Usage {
    PermissionsPolicy,
    PermissionsBoundary,
}

impl Usage {
    pub fn parse(value: Option<&str>) -> Result<Option<Self>, Invalid> {
        match value {
            None | Some("") => Ok(None),
            Some("PermissionsPolicy") => Ok(Some(Usage::PermissionsPolicy)),
            Some("PermissionsBoundary") => Ok(Some(Usage::PermissionsBoundary)),
            Some(_) => Err(Invalid::new(
                "PolicyUsageFilter",
                constraint_message(
                    "policyUsageFilter",
                    "satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]",
                ),
            )),
        }
    }
}

#[derive(Default)]
pub struct ListPolicies {
    pub scope: Scope,
    pub only_attached: bool,
    pub usage: Option<Usage>,
    pub path_prefix: Option<String>,
    pub marker: Option<String>,
    pub max_items: Option<i64>,
}

/// `ListPolicies`: AWS managed policies first (by name), then the account's own (by name).
pub async fn list_policies(
    iam: &Iam,
    caller: &Caller,
    input: ListPolicies,
) -> Result<Page<ManagedPolicy>, ServiceError> {
    Operation::run(iam, caller, Op::ListPolicies, |op| {
        Box::pin(async move {
            let path_prefix = match input.path_prefix.as_deref().filter(|p| !p.is_empty()) {
                Some(prefix) => {
                    crate::domain::iam_names::parse_path_prefix("PathPrefix", Some(prefix))?
                }
                None => "/".to_string(),
            };
            let limit = max_items(input.max_items)? as usize;
            // The marker says which section it continues in: `a:<name>` or `l:<name key>`.
            let after = decode_marker(input.marker.as_deref())?;
            let (in_local, after_key) = match after.as_deref() {
                Some(rest) if rest.starts_with("l:") => (true, Some(rest[2..].to_string())),
                Some(rest) if rest.starts_with("a:") => (false, Some(rest[2..].to_string())),
                Some(_) => return Err(Invalid::new("Marker", "Invalid Marker.").into()),
                None => (false, None),
            };
            op.authorize(&policy_arn(caller.account_id(), &path_prefix, ""))
                .await?;
            let db = iam.store().reader();
            let account_id = caller.account_id().as_str();
            let counts = usage_counts(iam, account_id).await?;
            let used = |arn: &str| -> bool {
                let (attached, boundary) = counts.get(arn).copied().unwrap_or((0, 0));
                match input.usage {
                    // A boundary use counts only when asked for by the filter.
                    None => attached > 0,
                    Some(Usage::PermissionsPolicy) => attached > 0,
                    Some(Usage::PermissionsBoundary) => boundary > 0,
                }
            };
            let wanted = |arn: &str, path: &str| {
                path.starts_with(&path_prefix) && (!input.only_attached || used(arn))
            };
            let mut items: Vec<(String, ManagedPolicy)> = Vec::new();
            if input.scope != Scope::Local && !in_local {
                let mut builtins: Vec<&AwsManagedPolicy> = aws_managed::all().iter().collect();
                builtins.sort_by_key(|p| p.name);
                for builtin in builtins {
                    if after_key
                        .as_deref()
                        .is_some_and(|after| builtin.name <= after)
                        || !wanted(builtin.arn, builtin.path)
                    {
                        continue;
                    }
                    let (attached, boundary) = counts.get(builtin.arn).copied().unwrap_or((0, 0));
                    items.push((
                        format!("a:{}", builtin.name),
                        aws_policy(builtin, attached, boundary),
                    ));
                }
            }
            if input.scope != Scope::Aws {
                let mut after_local = if in_local { after_key.clone() } else { None };
                // Filters apply after the query: read until the page is full or rows run out.
                while items.len() <= limit {
                    let rows = policies::list_page(
                        db,
                        account_id,
                        &path_prefix,
                        after_local.as_deref(),
                        200,
                    )
                    .await?;
                    let exhausted = rows.len() < 200;
                    for row in rows {
                        after_local = Some(row.name.to_ascii_lowercase());
                        if !wanted(&row.arn, &row.path) {
                            continue;
                        }
                        let (attached, boundary) = counts.get(&row.arn).copied().unwrap_or((0, 0));
                        items.push((
                            format!("l:{}", row.name.to_ascii_lowercase()),
                            customer_policy(row, attached, boundary),
                        ));
                    }
                    if exhausted {
                        break;
                    }
                }
            }
            let is_truncated = items.len() > limit;
            items.truncate(limit);
            let marker = if is_truncated {
                items.last().map(|(key, _)| encode_marker(key))
            } else {
                None
            };
            Ok(Page {
                items: items.into_iter().map(|(_, policy)| policy).collect(),
                is_truncated,
                marker,
            })
        })
    })
    .await
}

/// For every policy ARN used in the account: (attachments, boundary uses).
pub(in crate::server::service) async fn usage_counts(
    iam: &Iam,
    account_id: &str,
) -> Result<HashMap<String, (i64, i64)>, ServiceError> {
    let db = iam.store().reader();
    let mut counts: HashMap<String, (i64, i64)> = HashMap::new();
    for (arn, n) in attachment_rows::counts_by_policy(db, account_id).await? {
        counts.entry(arn).or_default().0 = n;
    }
    for (arn, n) in roles::boundary_counts_by_policy(db, account_id).await? {
        counts.entry(arn).or_default().1 = n;
    }
    Ok(counts)
}

/// `DeletePolicy`: refuses while the policy is attached or used as a boundary, or keeps more
/// than its default version.
pub async fn delete_policy(iam: &Iam, caller: &Caller, arn: &str) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::DeletePolicy, |op| Box::pin(async move {
        lookup::check_arn(arn)?;
        let authorized = op.authorize(arn).await?;
        let mut tx = op.begin().await?;
        let row = find_customer(&mut tx, caller, arn).await?;
        let account_id = caller.account_id().as_str();
        let attached = attachment_rows::count_for_policy(&mut *tx, account_id, arn).await?;
        let boundaries = roles::boundary_usage_count(&mut *tx, account_id, arn).await?;
        if attached + boundaries > 0 {
            return Err(ServiceError::DeleteConflict("Cannot delete a policy attached to entities.".to_string()));
        }
        if policies::versions(&mut *tx, &row.policy_id).await?.len() > 1 {
            return Err(ServiceError::DeleteConflict(
                "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy."
                    .to_string(),
            ));
        }
        policies::delete(&mut *tx, &row.policy_id).await?;
        op.commit(tx, &authorized).await
    }))
    .await
}

/// The console's delete: detaches the policy everywhere and removes it as a boundary (each
/// authorized as the action it is), deletes its other versions, then the policy — one
/// transaction.
pub async fn delete_policy_everywhere(
    iam: &Iam,
    caller: &Caller,
    arn: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::DeletePolicy, |op| {
        Box::pin(async move {
            lookup::check_arn(arn)?;
            // The delete itself first: a caller that may not delete the policy learns nothing of
            // where it is used (nor whether it exists).
            let authorized = op.authorize(arn).await?;
            let mut tx = op.begin().await?;
            let row = find_customer(&mut tx, caller, arn).await?;
            let account_id = caller.account_id().as_str();
            let none = crate::server::service::authorization::RequestContext::default();
            for entity in attachment_rows::entities_for_policy(&mut *tx, account_id, arn).await? {
                let (action, entity_arn) =
                    attached_entity_arn(&mut tx, caller, &entity.entity_type, &entity.entity_id)
                        .await?;
                op.authorize_action(action, &entity_arn, &none).await?;
            }
            let boundary_users = users::TABLE
                .with_boundary(&mut *tx, account_id, arn)
                .await?;
            for user in &boundary_users {
                let user =
                    crate::domain::arn::user_arn(caller.account_id(), &user.path, &user.name);
                op.authorize_action(Op::DeleteUserPermissionsBoundary, &user, &none)
                    .await?;
            }
            let boundary_roles = roles::TABLE
                .with_boundary(&mut *tx, account_id, arn)
                .await?;
            for role in &boundary_roles {
                let role =
                    crate::domain::arn::role_arn(caller.account_id(), &role.path, &role.name);
                op.authorize_action(Op::DeleteRolePermissionsBoundary, &role, &none)
                    .await?;
            }
            if policies::versions(&mut *tx, &row.policy_id).await?.len() > 1 {
                op.authorize_action(Op::DeletePolicyVersion, arn, &none)
                    .await?;
            }
            attachment_rows::detach_policy_everywhere(&mut *tx, account_id, arn).await?;
            for user in &boundary_users {
                users::TABLE
                    .set_permissions_boundary(&mut *tx, &user.user_id, None)
                    .await?;
            }
            for role in &boundary_roles {
                roles::TABLE
                    .set_permissions_boundary(&mut *tx, &role.role_id, None)
                    .await?;
            }
            policies::delete(&mut *tx, &row.policy_id).await?;
            op.commit(tx, &authorized).await
        })
    })
    .await
}

async fn attached_entity_arn(
    tx: &mut crate::server::store::Tx,
    caller: &Caller,
    entity_type: &str,
    entity_id: &str,
) -> Result<(Op, String), ServiceError> {
    let account = caller.account_id();
    let missing =
        || ServiceError::internal(format!("attachment to a missing {entity_type} {entity_id}"));
    Ok(match entity_type {
        "user" => {
            let user = crate::server::store::users::TABLE
                .find_by_id(&mut **tx, entity_id)
                .await?
                .ok_or_else(missing)?;
            (
                Op::DetachUserPolicy,
                crate::domain::arn::user_arn(account, &user.path, &user.name),
            )
        }
        "group" => {
            let group = groups::TABLE
                .find_by_id(&mut **tx, entity_id)
                .await?
                .ok_or_else(missing)?;
            (
                Op::DetachGroupPolicy,
                crate::domain::arn::group_arn(account, &group.path, &group.name),
            )
        }
        _ => {
            let role = roles::TABLE
                .find_by_id(&mut **tx, entity_id)
                .await?
                .ok_or_else(missing)?;
            (
                Op::DetachRolePolicy,
                crate::domain::arn::role_arn(account, &role.path, &role.name),
            )
        }
    })
}

/// `CreatePolicyVersion`: at most five versions; optionally the new default.
pub async fn create_policy_version(
    iam: &Iam,
    caller: &Caller,
    arn: &str,
    document: &str,
    set_as_default: bool,
) -> Result<PolicyVersion, ServiceError> {
    Operation::run(iam, caller, Op::CreatePolicyVersion, |op| Box::pin(async move {
        lookup::check_arn(arn)?;
        if let Some(error) = validate(document, PolicyKind::Managed).error {
            return Err(document_error(error));
        }
        let authorized = op.authorize(arn).await?;
        let mut tx = op.begin().await?;
        let row = find_customer(&mut tx, caller, arn).await?;
        if policies::versions(&mut *tx, &row.policy_id).await?.len() >= MAX_VERSIONS {
            return Err(ServiceError::LimitExceeded(
                "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version."
                    .to_string(),
            ));
        }
        let now = iam.clock().now_millis();
        let version = VersionRow {
            version_id: format!("v{}", row.next_version),
            document: document.to_string(),
            created_at: now,
        };
        policies::insert_version(&mut *tx, &row.policy_id, &version).await?;
        policies::bump_next_version(&mut *tx, &row.policy_id, now).await?;
        if set_as_default {
            policies::set_default_version(&mut *tx, &row.policy_id, &version.version_id, now).await?;
        }
        op.commit(tx, &authorized).await?;
        Ok(PolicyVersion {
            version_id: version.version_id,
            document: version.document,
            is_default_version: set_as_default,
            create_date: now,
        })
    }))
    .await
}

fn check_version_id(version_id: &str) -> Result<(), Invalid> {
    let digits = version_id
        .strip_prefix('v')
        .map(|rest| rest.split('.').next().unwrap_or(""));
    let ok = digits.is_some_and(|d| {
        !d.is_empty() && !d.starts_with('0') && d.bytes().all(|b| b.is_ascii_digit())
    });
    if ok {
        Ok(())
    } else {
        Err(Invalid::new(
            "VersionId",
            constraint_message(
                "versionId",
                r"satisfy regular expression pattern: v[1-9][0-9]*(\.[A-Za-z0-9-]*)?",
            ),
        ))
    }
}

/// The customer managed policy `arn`, which must have the version `version_id`: AWS's one
/// NoSuchEntity sentence when either is missing.
async fn with_version(
    tx: &mut crate::server::store::Tx,
    caller: &Caller,
    arn: &str,
    version_id: &str,
) -> Result<PolicyRow, ServiceError> {
    let row = find_customer(tx, caller, arn)
        .await
        .map_err(|_| no_version(arn, version_id))?;
    policies::version(&mut **tx, &row.policy_id, version_id)
        .await?
        .ok_or_else(|| no_version(arn, version_id))?;
    Ok(row)
}

fn no_version(arn: &str, version_id: &str) -> ServiceError {
    ServiceError::NoSuchEntity(format!(
        "Policy {arn} version {version_id} does not exist or is not attachable."
    ))
}

pub async fn get_policy_version(
    iam: &Iam,
    caller: &Caller,
    arn: &str,
    version_id: &str,
) -> Result<PolicyVersion, ServiceError> {
    Operation::run(iam, caller, Op::GetPolicyVersion, |op| {
        Box::pin(async move {
            lookup::check_arn(arn)?;
            check_version_id(version_id)?;
            op.authorize(arn).await?;
            match find(iam, caller, arn)
                .await
                .map_err(|_| no_version(arn, version_id))?
            {
                Found::Aws(builtin) if builtin.default_version_id == version_id => {
                    Ok(PolicyVersion {
                        version_id: builtin.default_version_id.to_string(),
                        document: builtin.document.to_string(),
                        is_default_version: true,
                        create_date: iso_millis(builtin.update_date),
                    })
                }
                Found::Aws(_) => Err(no_version(arn, version_id)),
                Found::Customer(row) => {
                    let version =
                        policies::version(iam.store().reader(), &row.policy_id, version_id)
                            .await?
                            .ok_or_else(|| no_version(arn, version_id))?;
                    Ok(to_version(&row, version))
                }
            }
        })
    })
    .await
}

/// `ListPolicyVersions`: newest first.
pub async fn list_policy_versions(
    iam: &Iam,
    caller: &Caller,
    arn: &str,
) -> Result<Vec<PolicyVersion>, ServiceError> {
    Operation::run(iam, caller, Op::ListPolicyVersions, |op| {
        Box::pin(async move {
            lookup::check_arn(arn)?;
            op.authorize(arn).await?;
            match find(iam, caller, arn).await? {
                Found::Aws(builtin) => Ok(vec![PolicyVersion {
                    version_id: builtin.default_version_id.to_string(),
                    document: builtin.document.to_string(),
                    is_default_version: true,
                    create_date: iso_millis(builtin.update_date),
                }]),
                Found::Customer(row) => {
                    let versions = policies::versions(iam.store().reader(), &row.policy_id).await?;
                    Ok(versions
                        .into_iter()
                        .map(|version| to_version(&row, version))
                        .collect())
                }
            }
        })
    })
    .await
}

pub async fn delete_policy_version(
    iam: &Iam,
    caller: &Caller,
    arn: &str,
    version_id: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::DeletePolicyVersion, |op| {
        Box::pin(async move {
            lookup::check_arn(arn)?;
            check_version_id(version_id)?;
            let authorized = op.authorize(arn).await?;
            let mut tx = op.begin().await?;
            let row = with_version(&mut tx, caller, arn, version_id).await?;
            if row.default_version_id == version_id {
                return Err(ServiceError::DeleteConflict(
                    "Cannot delete the default version of a policy.".to_string(),
                ));
            }
            policies::delete_version(&mut *tx, &row.policy_id, version_id).await?;
            op.commit(tx, &authorized).await
        })
    })
    .await
}

pub async fn set_default_policy_version(
    iam: &Iam,
    caller: &Caller,
    arn: &str,
    version_id: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, Op::SetDefaultPolicyVersion, |op| {
        Box::pin(async move {
            lookup::check_arn(arn)?;
            check_version_id(version_id)?;
            let authorized = op.authorize(arn).await?;
            let mut tx = op.begin().await?;
            let row = with_version(&mut tx, caller, arn, version_id).await?;
            policies::set_default_version(
                &mut *tx,
                &row.policy_id,
                version_id,
                iam.clock().now_millis(),
            )
            .await?;
            op.commit(tx, &authorized).await
        })
    })
    .await
}

/// The entities a policy is attached to, by kind: (users, groups, roles) as (name, id).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicyEntities {
    pub users: Vec<(String, String)>,
    pub groups: Vec<(String, String)>,
    pub roles: Vec<(String, String)>,
}

pub async fn list_entities_for_policy(
    iam: &Iam,
    caller: &Caller,
    arn: &str,
) -> Result<PolicyEntities, ServiceError> {
    Operation::run(iam, caller, Op::ListEntitiesForPolicy, |op| {
        Box::pin(async move {
            lookup::check_arn(arn)?;
            op.authorize(arn).await?;
            find(iam, caller, arn).await.map_err(|_| {
                ServiceError::NoSuchEntity(format!(
                    "Policy {arn} does not exist or is not attachable."
                ))
            })?;
            let db = iam.store().reader();
            let account_id = caller.account_id().as_str();
            let named =
                |entity| attachment_rows::named_entities_for_policy(db, account_id, arn, entity);
            Ok(PolicyEntities {
                users: named(EntityKind::User).await?,
                groups: named(EntityKind::Group).await?,
                roles: named(EntityKind::Role).await?,
            })
        })
    })
    .await
}

/// What `ListEntitiesForPolicy` takes besides the policy's ARN.
#[derive(Clone, Debug, Default)]
pub struct ListEntitiesForPolicy {
    /// `User`, `Group`, `Role` (or `LocalManagedPolicy` / `AWSManagedPolicy`, which match
    /// no entity); `None` for every kind.
    pub entity_filter: Option<String>,
    pub path_prefix: Option<String>,
    /// `PermissionsPolicy` or `PermissionsBoundary`; `None` for both uses.
    pub usage_filter: Option<String>,
    pub page: PageRequest,
}

/// One entity of `ListEntitiesForPolicy`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyEntity {
    pub kind: EntityKind,
    pub name: String,
    pub id: String,
}

/// The sort-key tag of `ListEntitiesForPolicy` markers.
const ENTITIES_LISTING: &str = "policy-entities";

/// `ListEntitiesForPolicy` as AWS pages it: one page over the union of the groups, users and
/// roles using the policy (in that order, each by name), filtered in the store before paging.
pub async fn list_entities_for_policy_page(
    iam: &Iam,
    caller: &Caller,
    arn: &str,
    input: ListEntitiesForPolicy,
) -> Result<Page<PolicyEntity>, ServiceError> {
    Operation::run(iam, caller, Op::ListEntitiesForPolicy, |op| {
        Box::pin(async move {
            lookup::check_arn(arn)?;
            let kinds: &[EntityKind] = match input.entity_filter.as_deref() {
                None => &[EntityKind::Group, EntityKind::User, EntityKind::Role],
                Some("Group") => &[EntityKind::Group],
                Some("User") => &[EntityKind::User],
                Some("Role") => &[EntityKind::Role],
                Some("LocalManagedPolicy" | "AWSManagedPolicy") => &[],
                Some(_) => {
                    return Err(Invalid::new(
                        "EntityFilter",
                        constraint_message(
                            "entityFilter",
                            "satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]",
                        ),
                    )
                    .into())
                }
            };
            let usage = match input.usage_filter.as_deref() {
                None => attachment_rows::Usage::Any,
                Some("PermissionsPolicy") => attachment_rows::Usage::Permissions,
                Some("PermissionsBoundary") => attachment_rows::Usage::Boundary,
                Some(_) => {
                    return Err(Invalid::new(
                        "PolicyUsageFilter",
                        constraint_message(
                            "policyUsageFilter",
                            "satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]",
                        ),
                    )
                    .into())
                }
            };
            let path_prefix = crate::domain::iam_names::parse_path_prefix(
                "PathPrefix",
                input.path_prefix.as_deref(),
            )?;
            let bounds = input.page.bounds(ENTITIES_LISTING)?;
            let after = match bounds.after.as_deref() {
                None => None,
                Some(key) => Some(key.split_once(':').ok_or_else(invalid_marker)?),
            };
            op.authorize(arn).await?;
            find(iam, caller, arn).await.map_err(|_| {
                ServiceError::NoSuchEntity(format!(
                    "Policy {arn} does not exist or is not attachable."
                ))
            })?;
            let rows = attachment_rows::entities_for_policy_page(
                iam.store().reader(),
                caller.account_id().as_str(),
                arn,
                kinds,
                usage,
                &path_prefix,
                after,
                bounds.limit + 1,
            )
            .await?;
            Ok(tagged_page(
                rows,
                &bounds,
                ENTITIES_LISTING,
                |row| format!("{}:{}", row.kind_rank, row.name_key),
                |row| PolicyEntity {
                    kind: row.kind(),
                    name: row.name,
                    id: row.entity_id,
                },
            ))
        })
    })
    .await
}

pub(in crate::server::service) fn to_version(
    row: &PolicyRow,
    version: VersionRow,
) -> PolicyVersion {
    PolicyVersion {
        is_default_version: version.version_id == row.default_version_id,
        version_id: version.version_id,
        document: version.document,
        create_date: version.created_at,
    }
}

pub(in crate::server::service) fn customer_policy(
    row: PolicyRow,
    attachment_count: i64,
    boundary_count: i64,
) -> ManagedPolicy {
    ManagedPolicy {
        policy_name: row.name,
        policy_id: row.policy_id,
        arn: row.arn,
        path: row.path,
        default_version_id: row.default_version_id,
        attachment_count,
        permissions_boundary_usage_count: boundary_count,
        is_attachable: true,
        description: row.description,
        create_date: row.created_at,
        update_date: row.updated_at,
        aws_managed: false,
        tags: Vec::new(),
    }
}

pub(in crate::server::service) fn aws_policy(
    builtin: &AwsManagedPolicy,
    attachment_count: i64,
    boundary_count: i64,
) -> ManagedPolicy {
    ManagedPolicy {
        policy_name: builtin.name.to_string(),
        policy_id: builtin.policy_id.to_string(),
        arn: builtin.arn.to_string(),
        path: builtin.path.to_string(),
        default_version_id: builtin.default_version_id.to_string(),
        attachment_count,
        permissions_boundary_usage_count: boundary_count,
        is_attachable: true,
        description: Some(builtin.description.to_string()),
        create_date: iso_millis(builtin.create_date),
        update_date: iso_millis(builtin.update_date),
        aws_managed: true,
        tags: Vec::new(),
    }
}

pub(in crate::server::service) fn iso_millis(iso: &str) -> i64 {
    time::OffsetDateTime::parse(iso, &Rfc3339).map_or(0, |t| t.unix_timestamp() * 1000)
}
