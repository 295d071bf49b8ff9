//! Authorization of one action on one resource by the caller: the root user may do everything
//! in its own account; an IAM user or a role session may do what its policies allow, cut by its
//! permissions boundary and session policy — decided by the policy engine, with AWS's
//! AccessDenied sentence when not.

use time::format_description::well_known::Rfc3339;

use std::sync::Arc;

use crate::domain::{Principal, PrincipalKind};
use crate::policy::{
    evaluate, Context, EvaluationRequest, NamedPolicy, PolicyInputs, PrincipalInfo,
    ResourcePolicyInput, ResourcePolicyKind,
};

use super::caller::Caller;
use super::policy_sets::PrincipalPolicies;
use super::{Iam, ServiceError};

/// Extra request context for one check: the tags a request sets (`aws:RequestTag/*`,
/// `aws:TagKeys`) and service-specific keys.
#[derive(Clone, Debug, Default)]
pub struct RequestContext {
    pub entries: Vec<(String, Vec<String>)>,
}

impl RequestContext {
    pub fn with_request_tags(tags: &[crate::domain::tags::Tag]) -> Self {
        let mut entries: Vec<(String, Vec<String>)> = tags
            .iter()
            .map(|tag| {
                (
                    format!("aws:RequestTag/{}", tag.key),
                    vec![tag.value.clone()],
                )
            })
            .collect();
        if !tags.is_empty() {
            entries.push((
                "aws:TagKeys".to_string(),
                tags.iter().map(|t| t.key.clone()).collect(),
            ));
        }
        Self { entries }
    }

    /// Adds `iam:PermissionsBoundary` when the request sets a boundary.
    pub fn and_boundary(mut self, boundary: Option<&str>) -> Self {
        if let Some(arn) = boundary.filter(|arn| !arn.is_empty()) {
            self.entries
                .push(("iam:PermissionsBoundary".to_string(), vec![arn.to_string()]));
        }
        self
    }

    pub fn with_tag_keys(keys: &[String]) -> Self {
        Self {
            entries: vec![("aws:TagKeys".to_string(), keys.to_vec())],
        }
    }
}

/// Decides whether the caller may perform `action` on `resource`.
pub async fn authorize(
    iam: &Iam,
    caller: &Caller,
    action: &str,
    resource: &str,
    extra: &RequestContext,
) -> Result<(), ServiceError> {
    let principal = &caller.principal;
    if !in_own_account(principal, resource) {
        return Err(denied(
            principal,
            action,
            resource,
            "because the resource is in another account",
        ));
    }
    if principal.is_root() {
        return Ok(());
    }
    let prepared = prepare(iam, caller, extra).await?;
    decide(&prepared, action, resource, None)
}

/// `sts:AssumeRole` on `role_arn`: the role's trust policy, evaluated as a resource policy
/// together with the caller's own policies, exactly as AWS decides it (the root user is
/// refused by the engine).
pub async fn authorize_assume_role(
    iam: &Iam,
    caller: &Caller,
    role_arn: &str,
    trust_policy: &str,
    extra: &RequestContext,
) -> Result<(), ServiceError> {
    let trust = iam
        .policy_sets()
        .named("trust-policy", trust_policy)
        .ok_or_else(|| {
            ServiceError::Internal(format!("the trust policy of {role_arn} does not parse"))
        })?;
    let resource_policy = ResourcePolicyInput {
        policy: &trust,
        kind: ResourcePolicyKind::RoleTrust,
    };
    let prepared = prepare(iam, caller, extra).await?;
    decide(&prepared, "sts:AssumeRole", role_arn, Some(resource_policy))
}

/// Everything an evaluation for this caller needs.
struct Prepared {
    arn: String,
    info: PrincipalInfo,
    policies: Arc<PrincipalPolicies>,
    session: Vec<NamedPolicy>,
    context: Context,
}

async fn prepare(
    iam: &Iam,
    caller: &Caller,
    extra: &RequestContext,
) -> Result<Prepared, ServiceError> {
    let principal = &caller.principal;
    let account_id = principal.account_id.as_str();
    let mut context = base_context(iam, caller);
    let policies = match &principal.kind {
        PrincipalKind::Root => {
            context.insert("aws:PrincipalType", "Account");
            Arc::new(PrincipalPolicies::default())
        }
        PrincipalKind::User {
            user_id, user_name, ..
        } => {
            context
                .insert("aws:username", user_name.as_str())
                .insert("aws:PrincipalType", "User");
            iam.policy_sets().for_user(iam, account_id, user_id).await?
        }
        PrincipalKind::AssumedRole { role_id, .. } => {
            context.insert("aws:PrincipalType", "AssumedRole");
            if let Some(role_arn) = principal.role_arn() {
                // For sessions, aws:PrincipalArn is the role's ARN.
                context.insert("aws:PrincipalArn", role_arn);
            }
            iam.policy_sets().for_role(iam, account_id, role_id).await?
        }
    };
    context.insert("aws:userid", principal.user_id());
    for tag in &policies.tags {
        context.insert(&format!("aws:PrincipalTag/{}", tag.key), tag.value.as_str());
    }
    for (key, values) in &extra.entries {
        context.insert_list(key, values.iter().map(String::as_str));
    }
    let mut session = match &caller.session_policy {
        // SECURITY: a session policy that cannot be read allows nothing.
        Some(document) => vec![iam
            .policy_sets()
            .named("session-policy", document)
            .or_else(|| iam.policy_sets().named("session-policy", ALLOW_NOTHING))
            .ok_or_else(|| ServiceError::Internal("session policy".into()))?],
        None => Vec::new(),
    };
    // The managed session policies, at their default versions now; together with the inline
    // one they are the session policies, any of which may allow (and any deny).
    session.extend(
        iam.policy_sets()
            .managed_session_policies(iam, account_id, &caller.session_policy_arns)
            .await?,
    );
    let arn = principal.arn();
    let info = PrincipalInfo::from_arn(&arn)
        .ok_or_else(|| ServiceError::Internal(format!("principal ARN does not parse: {arn}")))?;
    Ok(Prepared {
        arn,
        info,
        policies,
        session,
        context,
    })
}

const ALLOW_NOTHING: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#;

fn decide(
    prepared: &Prepared,
    action: &str,
    resource: &str,
    resource_policy: Option<ResourcePolicyInput<'_>>,
) -> Result<(), ServiceError> {
    let inputs = PolicyInputs {
        identity: &prepared.policies.identity,
        permissions_boundary: &prepared.policies.boundary,
        session: &prepared.session,
        resource: resource_policy,
    };
    let response = evaluate(
        &inputs,
        &EvaluationRequest {
            principal: &prepared.info,
            action,
            resource,
            resource_account: None,
            context: &prepared.context,
        },
    );
    if response.is_allowed() {
        return Ok(());
    }
    let arn = &prepared.arn;
    Err(ServiceError::AccessDenied(
        response
            .access_denied_message(arn, action, resource)
            .unwrap_or_else(|| {
                format!(
                    "User: {arn} is not authorized to perform: {action} on resource: {resource}"
                )
            }),
    ))
}

/// Global condition keys every request carries.
fn base_context(iam: &Iam, caller: &Caller) -> Context {
    let now_millis = iam.clock().now_millis();
    let now = time::OffsetDateTime::from_unix_timestamp(now_millis / 1000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let mut context = Context::new();
    context
        .insert("aws:CurrentTime", now.format(&Rfc3339).unwrap_or_default())
        .insert("aws:EpochTime", (now_millis / 1000).to_string())
        .insert("aws:PrincipalArn", caller.principal.arn())
        .insert("aws:PrincipalAccount", caller.principal.account_id.as_str())
        .insert("aws:RequestedRegion", "us-east-1")
        .insert_bool("aws:SecureTransport", caller.request.secure_transport)
        .insert_bool(
            "aws:MultiFactorAuthPresent",
            caller.request.mfa_authenticated_at.is_some(),
        );
    if let Some(at) = caller.request.mfa_authenticated_at {
        context.insert(
            "aws:MultiFactorAuthAge",
            ((now_millis - at).max(0) / 1000).to_string(),
        );
    }
    if let Some(ip) = &caller.request.source_ip {
        context.insert("aws:SourceIp", ip.as_str());
    }
    if let Some(agent) = &caller.request.user_agent {
        context.insert("aws:UserAgent", agent.as_str());
    }
    context
}

/// SECURITY: a principal only ever acts on its own account's resources (AWS managed
/// policies, account `aws`, are readable by all).
fn in_own_account(principal: &Principal, resource: &str) -> bool {
    if resource == "*" {
        return true;
    }
    match resource.split(':').nth(4) {
        Some(account) => account == principal.account_id.as_str() || account == "aws",
        None => false,
    }
}

fn denied(principal: &Principal, action: &str, resource: &str, reason: &str) -> ServiceError {
    ServiceError::AccessDenied(format!(
        "User: {} is not authorized to perform: {action} on resource: {resource} {reason}",
        principal.arn()
    ))
}
