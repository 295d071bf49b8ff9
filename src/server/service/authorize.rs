//! Authorization of one action on one resource by the caller: the root user may do everything
//! in its own account; an IAM user may do what its policies allow, cut by its permissions
//! boundary — decided by the policy engine, with AWS's AccessDenied sentence when not.

use time::format_description::well_known::Rfc3339;

use crate::domain::{Principal, PrincipalKind};
use crate::policy::{evaluate, Context, EvaluationRequest, PolicyInputs, PrincipalInfo};

use super::caller::Caller;
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
    let (user_id, user_name) = match &principal.kind {
        PrincipalKind::Root => return Ok(()),
        PrincipalKind::User {
            user_id, user_name, ..
        } => (user_id, user_name),
    };
    let policies = iam
        .policy_sets()
        .for_user(iam, principal.account_id.as_str(), user_id)
        .await?;
    let arn = principal.arn();
    let mut context = base_context(iam, caller);
    context
        .insert("aws:username", user_name.as_str())
        .insert("aws:userid", user_id.as_str())
        .insert("aws:PrincipalType", "User");
    for tag in &policies.tags {
        context.insert(&format!("aws:PrincipalTag/{}", tag.key), tag.value.as_str());
    }
    for (key, values) in &extra.entries {
        context.insert_list(key, values.iter().map(String::as_str));
    }
    let info = PrincipalInfo::from_arn(&arn)
        .ok_or_else(|| ServiceError::Internal(format!("principal ARN does not parse: {arn}")))?;
    let inputs = PolicyInputs {
        identity: &policies.identity,
        permissions_boundary: &policies.boundary,
        ..PolicyInputs::default()
    };
    let response = evaluate(
        &inputs,
        &EvaluationRequest {
            principal: &info,
            action,
            resource,
            resource_account: None,
            context: &context,
        },
    );
    if response.is_allowed() {
        Ok(())
    } else {
        Err(ServiceError::AccessDenied(
            response
                .access_denied_message(&arn, action, resource)
                .unwrap_or_else(|| format!("User: {arn} is not authorized to perform: {action} on resource: {resource}")),
        ))
    }
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
