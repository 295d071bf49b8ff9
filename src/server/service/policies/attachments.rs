//! Attaching managed policies to users, groups and roles (`iam:Attach{User,Group,Role}Policy`,
//! `Detach…`, `ListAttached…Policies`), with AWS's quota of 10 per entity.

use crate::catalog::{ATTACH_POLICY, DETACH_POLICY, LIST_ATTACHED_POLICIES};
use crate::domain::iam_models::AttachedPolicy;
use crate::policy::global_keys;
use crate::server::store::{attachments, Tx};

use crate::server::service::authorization::RequestContext;
use crate::server::service::entities::{self, Entity, EntityKind};
use crate::server::service::{
    entities::lookup, policies::aws_managed, Caller, Iam, Operation, ServiceError,
};

/// AWS's default quota of managed policies attached to one user, group or role.
pub const POLICIES_PER_ENTITY: i64 = 10;

/// `Attach{User,Group,Role}Policy`. Attaching an attached policy again changes nothing.
pub async fn attach_policy(
    iam: &Iam,
    caller: &Caller,
    kind: EntityKind,
    name: &str,
    policy_arn: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, kind.pick(ATTACH_POLICY), |op| {
        Box::pin(async move {
            let mut tx = op.begin().await?;
            let target = entities::find(&mut *tx, caller, kind, name).await?;
            lookup::check_arn(policy_arn)?;
            let entity = op
                .authorize_action_named(
                    kind.pick(ATTACH_POLICY),
                    target,
                    &policy_context(policy_arn),
                )
                .await?;
            attach_authorized(
                &mut tx,
                caller,
                &entity,
                policy_arn,
                iam.clock().now_millis(),
            )
            .await?;
            op.commit(tx, &entity).await
        })
    })
    .await
}

/// The attach and detach actions' request context: the policy's ARN as given.
fn policy_context(policy_arn: &str) -> RequestContext {
    RequestContext {
        entries: vec![(
            global_keys::IAM_POLICY_ARN.to_string(),
            vec![policy_arn.to_string()],
        )],
    }
}

/// Attaches inside `tx`, authorized as the attach action with `iam:PolicyARN` in the context.
pub(in crate::server::service) async fn attach_in(
    op: &mut Operation<'_>,
    tx: &mut Tx,
    caller: &Caller,
    entity: &Entity,
    policy_arn: &str,
    now: i64,
) -> Result<(), ServiceError> {
    lookup::check_arn(policy_arn)?;
    op.authorize_action(
        entity.kind.pick(ATTACH_POLICY),
        &entity.arn,
        &policy_context(policy_arn),
    )
    .await?;
    attach_authorized(tx, caller, entity, policy_arn, now).await
}

/// Attaches once the attach is authorized. SECURITY: the policy is looked up (and the quota
/// checked) only now, so a caller that may not attach learns nothing about which policies
/// exist.
async fn attach_authorized(
    tx: &mut Tx,
    caller: &Caller,
    entity: &Entity,
    policy_arn: &str,
    now: i64,
) -> Result<(), ServiceError> {
    let policy = lookup::attachable_policy(&mut **tx, caller, policy_arn).await?;
    let attached = attachments::for_entity(&mut **tx, entity.kind, &entity.id).await?;
    if attached.iter().any(|arn| arn == &policy.arn) {
        return Ok(());
    }
    if attached.len() as i64 >= POLICIES_PER_ENTITY {
        return Err(ServiceError::LimitExceeded(format!(
            "Cannot exceed quota for PoliciesPer{}: {POLICIES_PER_ENTITY}",
            entity.kind.word()
        )));
    }
    attachments::attach(
        &mut **tx,
        caller.account_id().as_str(),
        entity.kind,
        &entity.id,
        &policy.arn,
        now,
    )
    .await?;
    Ok(())
}

/// `Detach{User,Group,Role}Policy`.
pub async fn detach_policy(
    iam: &Iam,
    caller: &Caller,
    kind: EntityKind,
    name: &str,
    policy_arn: &str,
) -> Result<(), ServiceError> {
    Operation::run(iam, caller, kind.pick(DETACH_POLICY), |op| {
        Box::pin(async move {
            lookup::check_arn(policy_arn)?;
            let mut tx = op.begin().await?;
            let target = entities::find(&mut *tx, caller, kind, name).await?;
            let entity = op
                .authorize_named(target, &policy_context(policy_arn))
                .await?;
            if !attachments::detach(&mut *tx, kind, &entity.id, policy_arn).await? {
                return Err(ServiceError::NoSuchEntity(format!(
                    "Policy {policy_arn} was not found."
                )));
            }
            op.commit(tx, &entity).await
        })
    })
    .await
}

/// `ListAttached{User,Group,Role}Policies`.
pub async fn list_attached_policies(
    iam: &Iam,
    caller: &Caller,
    kind: EntityKind,
    name: &str,
) -> Result<Vec<AttachedPolicy>, ServiceError> {
    Operation::run(iam, caller, kind.pick(LIST_ATTACHED_POLICIES), |op| {
        Box::pin(async move {
            let db = iam.store().reader();
            let target = entities::find(db, caller, kind, name).await?;
            let entity = op
                .authorize_named(target, &RequestContext::default())
                .await?;
            attached_policies(iam, &entity).await
        })
    })
    .await
}

/// The managed policies attached to an entity, authorized as `ListAttached…Policies` on it, for
/// an operation that shows them among other things (a console page).
pub(in crate::server::service) async fn attached_for_page(
    op: &mut Operation<'_>,
    entity: &Entity,
) -> Result<Vec<AttachedPolicy>, ServiceError> {
    op.authorize_action(
        entity.kind.pick(LIST_ATTACHED_POLICIES),
        &entity.arn,
        &RequestContext::default(),
    )
    .await?;
    attached_policies(op.iam(), entity).await
}

/// The managed policies attached to an entity, with their names.
pub(in crate::server::service) async fn attached_policies(
    iam: &Iam,
    entity: &Entity,
) -> Result<Vec<AttachedPolicy>, ServiceError> {
    let arns = attachments::for_entity(iam.store().reader(), entity.kind, &entity.id).await?;
    Ok(arns
        .into_iter()
        .map(|arn| AttachedPolicy {
            policy_name: policy_name_of(&arn),
            policy_arn: arn,
        })
        .collect())
}

/// A managed policy's name is the last segment of its ARN.
pub fn policy_name_of(arn: &str) -> String {
    aws_managed::by_arn(arn)
        .map(|builtin| builtin.name.to_string())
        .unwrap_or_else(|| arn.rsplit('/').next().unwrap_or(arn).to_string())
}
