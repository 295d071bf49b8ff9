//! Inline policies embedded in users, groups and roles (`iam:Put{User,Group,Role}Policy`,
//! `Get…`, `List…Policies`, `Delete…`), validated as IAM does, with the aggregate size quota
//! per entity.

use crate::catalog::{DELETE_POLICY, GET_POLICY, LIST_POLICIES, PUT_POLICY};
use crate::domain::iam_models::InlinePolicy;
use crate::domain::PolicyName;
use crate::policy::{policy_size, validate_named, AwsErrorCode, PolicyKind};
use crate::server::store::inline;

use crate::server::service::authorization::RequestContext;
use crate::server::service::entities::{self, Entity, EntityKind};
use crate::server::service::{authorization::permissions, Caller, Iam, Operation, ServiceError};

/// Whether the caller may read the documents of the entity's inline policies
/// (`Get{User,Group,Role}Policy`); where it may not, answers carry their names only.
pub(in crate::server::service) async fn documents_readable(
    iam: &Iam,
    caller: &Caller,
    kind: EntityKind,
    entity_arn: &str,
) -> Result<bool, ServiceError> {
    permissions::allowed(iam, caller, kind.pick(GET_POLICY), entity_arn).await
}

/// The document as the caller may see it: whole, or empty when it may not read it.
pub(in crate::server::service) fn shown(readable: bool, document: String) -> String {
    if readable {
        document
    } else {
        String::new()
    }
}

fn policy_kind(kind: EntityKind) -> PolicyKind {
    match kind {
        EntityKind::User => PolicyKind::InlineUser,
        EntityKind::Group => PolicyKind::InlineGroup,
        EntityKind::Role => PolicyKind::InlineRole,
    }
}

/// Turns the policy engine's verdict into the service's error.
pub(in crate::server::service) fn document_error(
    error: crate::policy::AwsPolicyError,
) -> ServiceError {
    match error.code {
        AwsErrorCode::LimitExceeded => ServiceError::LimitExceeded(error.message),
        AwsErrorCode::MalformedPolicyDocument => ServiceError::MalformedPolicyDocument {
            field: Some("PolicyDocument".to_string()),
            message: error.message,
        },
        AwsErrorCode::ValidationError => {
            ServiceError::Validation(crate::domain::Invalid::new("PolicyDocument", error.message))
        }
        AwsErrorCode::InvalidInput => ServiceError::InvalidInput(error.message),
    }
}

/// `Put{User,Group,Role}Policy`: creates or replaces the named inline policy.
pub async fn put_inline_policy(
    iam: &Iam,
    caller: &Caller,
    kind: EntityKind,
    entity_name: &str,
    policy_name: &str,
    document: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, kind.pick(PUT_POLICY), |op| {
        Box::pin(async move {
            let policy_name = PolicyName::parse("PolicyName", policy_name.trim())?;
            let mut tx = op.begin().await?;
            let target = entities::find(&mut *tx, caller, kind, entity_name).await?;
            let entity = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            // Validated once authorized: its messages name the entity as stored.
            if let Some(error) =
                validate_named(document, policy_kind(kind), Some(&entity.name)).error
            {
                return Err(document_error(error));
            }
            // The quota counts all of the entity's inline policies together, whitespace excluded.
            let others: usize = inline::for_entity(&mut *tx, kind, &entity.id)
                .await?
                .iter()
                .filter(|existing| existing.name != policy_name.as_str())
                .map(|existing| policy_size(&existing.document))
                .sum();
            let quota = policy_kind(kind).size_quota().unwrap_or(usize::MAX);
            if others + policy_size(document) > quota {
                let error = policy_kind(kind)
                    .size_exceeded(Some(&entity.name))
                    .map(document_error)
                    .unwrap_or_else(|| {
                        ServiceError::LimitExceeded("Policy size quota exceeded.".into())
                    });
                return Err(error);
            }
            inline::put(
                &mut *tx,
                caller.account_id().as_str(),
                kind,
                &entity.id,
                policy_name.as_str(),
                document,
            )
            .await?;
            op.commit(tx, &entity).await
        })
    })
    .await
}

pub async fn get_inline_policy(
    iam: &Iam,
    caller: &Caller,
    kind: EntityKind,
    entity_name: &str,
    policy_name: &str,
) -> Result<InlinePolicy, ServiceError> {
    Operation::run(iam, caller, kind.pick(GET_POLICY), |op| {
        Box::pin(async move {
            let policy_name = PolicyName::parse("PolicyName", policy_name)?;
            let db = iam.store().reader();
            let target = entities::find(db, caller, kind, entity_name).await?;
            let entity = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            let document = inline::get(db, kind, &entity.id, policy_name.as_str())
                .await?
                .ok_or_else(|| not_found(kind, policy_name.as_str()))?;
            Ok(InlinePolicy {
                policy_name: policy_name.to_string(),
                policy_document: document,
            })
        })
    })
    .await
}

/// The entity's inline policies, authorized as `List…Policies` on it, for an operation that
/// shows them among other things (a console page).
pub(in crate::server::service) async fn inline_for_page(
    op: &mut Operation<'_>,
    caller: &Caller,
    entity: &Entity,
) -> Result<Vec<InlinePolicy>, ServiceError> {
    let list = entity.kind.pick(LIST_POLICIES);
    op.authorize_action(list, &entity.arn, &RequestContext::default())
        .await?;
    inline_of(op.iam(), caller, entity).await
}

/// `List{User,Group,Role}Policies`: the entity's inline policies, by name — with their
/// documents only when the caller may also `Get{User,Group,Role}Policy` (else empty).
pub async fn list_inline_policies(
    iam: &Iam,
    caller: &Caller,
    kind: EntityKind,
    entity_name: &str,
) -> Result<Vec<InlinePolicy>, ServiceError> {
    Operation::run(iam, caller, kind.pick(LIST_POLICIES), |op| {
        Box::pin(async move {
            let target = entities::find(iam.store().reader(), caller, kind, entity_name).await?;
            let entity = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            inline_of(iam, caller, &entity).await
        })
    })
    .await
}

/// The entity's inline policies, documents only where the caller may read them.
async fn inline_of(
    iam: &Iam,
    caller: &Caller,
    entity: &Entity,
) -> Result<Vec<InlinePolicy>, ServiceError> {
    let rows = inline::for_entity(iam.store().reader(), entity.kind, &entity.id).await?;
    let readable = documents_readable(iam, caller, entity.kind, &entity.arn).await?;
    Ok(rows
        .into_iter()
        .map(|row| InlinePolicy {
            policy_name: row.name,
            policy_document: shown(readable, row.document),
        })
        .collect())
}

pub async fn delete_inline_policy(
    iam: &Iam,
    caller: &Caller,
    kind: EntityKind,
    entity_name: &str,
    policy_name: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, kind.pick(DELETE_POLICY), |op| {
        Box::pin(async move {
            let policy_name = PolicyName::parse("PolicyName", policy_name)?;
            let mut tx = op.begin().await?;
            let target = entities::find(&mut *tx, caller, kind, entity_name).await?;
            let entity = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            if !inline::delete(&mut *tx, kind, &entity.id, policy_name.as_str()).await? {
                return Err(not_found(kind, policy_name.as_str()));
            }
            op.commit(tx, &entity).await
        })
    })
    .await
}

fn not_found(kind: EntityKind, policy_name: &str) -> ServiceError {
    ServiceError::NoSuchEntity(format!(
        "The {} policy with name {policy_name} cannot be found.",
        kind.lower()
    ))
}
