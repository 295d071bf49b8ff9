//! Authorization of one action on one resource by the caller: the root user may do everything
//! in its own account; an IAM user or a role session may do what its policies allow, cut by its
//! permissions boundary and session policy — decided by the policy engine, with AWS's
//! AccessDenied sentence when not.
//!
//! The folder holds the caller (`caller`, `principal_now`), the proof-carrying `operation` every
//! service function runs in, the console's button gating (`permissions`) and `resource_tags`.

pub mod caller;
pub mod operation;
pub mod permissions;
pub mod principal_now;
pub mod resource_tags;

use crate::catalog::Op;
use crate::policy::global_keys;
use crate::server::clock::rfc3339;
use crate::server::metrics;

use std::sync::Arc;

use crate::domain::{Principal, PrincipalKind};
use crate::policy::{
    evaluate, split_arn, Context, Decision, EvaluationRequest, NamedPolicy, PolicyInputs,
    PrincipalInfo, PrincipalKind as PolicyPrincipalKind, ResourcePolicyInput, ResourcePolicyKind,
};

use crate::server::service::authorization::caller::Caller;
use crate::server::service::caches::policy_sets::PrincipalPolicies;
use crate::server::service::{Iam, ServiceError};

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
            self.entries.push((
                global_keys::IAM_PERMISSIONS_BOUNDARY.to_string(),
                vec![arn.to_string()],
            ));
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
    authorize_shown(iam, caller, action, resource, resource, extra).await
}

/// As `authorize`, with the resource named `shown` in the AccessDenied sentence (AWS's
/// `user NAME` for an entity an operation names: see `lookup::Named`).
pub async fn authorize_shown(
    iam: &Iam,
    caller: &Caller,
    action: &str,
    resource: &str,
    shown: &str,
    extra: &RequestContext,
) -> Result<(), ServiceError> {
    let principal = &caller.principal;
    if !in_own_account(principal, resource) {
        return Err(denied(
            principal,
            action,
            shown,
            "because the resource is in another account",
        ));
    }
    if let Some(reason) = session_token_refuses(caller, action) {
        return Err(denied(principal, action, shown, reason));
    }
    if principal.is_root() {
        metrics::authorization("allow");
        return Ok(());
    }
    let mut prepared = prepare(iam, caller, extra).await?;
    add_resource_facts(iam, &mut prepared, resource, None).await?;
    decide(&prepared, action, resource, shown, None, None)
}

/// A trust policy that lets no one in: what a role that does not exist is decided with, so
/// that it is refused exactly as a role that does not trust the caller.
pub fn trusts_no_one() -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"no-one.invalid"}},"Action":"{}"}}]}}"#,
        Op::AssumeRole.action()
    )
}

/// `sts:AssumeRole` on `role_arn` (with each further action the request needs:
/// `sts:TagSession`, `sts:SetSourceIdentity`): the role's trust policy, evaluated as a resource
/// policy together with the caller's own policies, exactly as AWS decides it. Within one
/// account a trust policy naming the caller is enough; across accounts (`role_account` is not
/// the caller's) the caller's own policies must allow each action too. The root user is refused
/// by the engine.
///
/// SECURITY: like AWS, the refusal gives no reason ("because no role trust policy allows…"
/// would tell a stranger how the role's trust is set up, and whether there is a role at all).
pub async fn authorize_assume_role(
    iam: &Iam,
    caller: &Caller,
    role_arn: &str,
    trust_policy: &str,
    extra: &RequestContext,
    actions: &[&str],
) -> Result<(), ServiceError> {
    let trust = iam
        .policy_sets()
        .named("trust-policy", trust_policy)
        .ok_or_else(|| {
            ServiceError::internal(format!("the trust policy of {role_arn} does not parse"))
        })?;
    // A federated user's credentials (GetFederationToken) call no STS operation but
    // GetCallerIdentity, as on AWS.
    if let Some(reason) = session_token_refuses(caller, Op::AssumeRole.action()) {
        return Err(denied(
            &caller.principal,
            Op::AssumeRole.action(),
            role_arn,
            reason,
        ));
    }
    let role_account = split_arn(role_arn).map(|parts| parts[4]);
    let mut prepared = prepare(iam, caller, extra).await?;
    add_resource_facts(iam, &mut prepared, role_arn, Some(&trust)).await?;
    for action in actions {
        let resource_policy = ResourcePolicyInput {
            policy: &trust,
            kind: ResourcePolicyKind::RoleTrust,
        };
        let decided = decide(
            &prepared,
            action,
            role_arn,
            role_arn,
            role_account,
            Some(resource_policy),
        );
        match decided {
            Ok(()) => {}
            // Named by the operation asked for, not by the tagging it needs.
            Err(ServiceError::AccessDenied(message)) if message.starts_with("User: ") => {
                return Err(ServiceError::AccessDenied(format!(
                    "User: {} is not authorized to perform: {} on resource: {role_arn}",
                    prepared.arn,
                    Op::AssumeRole.action()
                )));
            }
            // "Roles may not be assumed by root accounts."
            Err(other) => return Err(other),
        }
    }
    Ok(())
}

/// Whether `role_arn`'s trust policy lets the AWS service principal `service`
/// (`ec2.amazonaws.com`) assume the role: what a workload token needs before it buys the role's
/// credentials, as an EC2 instance's profile needs its role to trust EC2.
pub fn service_may_assume(
    iam: &Iam,
    service: &str,
    role_arn: &str,
    trust_policy: &str,
) -> Result<bool, ServiceError> {
    let trust = iam
        .policy_sets()
        .named("trust-policy", trust_policy)
        .ok_or_else(|| {
            ServiceError::internal(format!("the trust policy of {role_arn} does not parse"))
        })?;
    let principal = PrincipalInfo {
        arn: service.to_string(),
        account_id: String::new(),
        kind: PolicyPrincipalKind::Service {
            name: service.to_string(),
        },
        unique_id: None,
    };
    let now_millis = iam.clock().now_millis();
    let mut context = Context::new();
    context
        .insert("aws:CurrentTime", rfc3339(now_millis))
        .insert("aws:EpochTime", (now_millis / 1000).to_string())
        .insert("aws:PrincipalServiceName", service);
    let response = evaluate(
        &PolicyInputs {
            identity: &[],
            permissions_boundary: &[],
            session: &[],
            resource: Some(ResourcePolicyInput {
                policy: &trust,
                kind: ResourcePolicyKind::RoleTrust,
            }),
        },
        &EvaluationRequest {
            principal: &principal,
            action: Op::AssumeRole.action(),
            resource: role_arn,
            resource_account: None,
            context: &context,
        },
    );
    Ok(response.is_allowed())
}

/// How the policy engine sees `principal`.
fn principal_info(principal: &Principal) -> Result<PrincipalInfo, ServiceError> {
    if let PrincipalKind::WebIdentity { provider_arn, .. } = &principal.kind {
        return Ok(PrincipalInfo {
            arn: provider_arn.clone(),
            account_id: principal.account_id.to_string(),
            kind: PolicyPrincipalKind::WebIdentity {
                provider: provider_arn.clone(),
            },
            unique_id: None,
        });
    }
    let arn = principal.arn();
    PrincipalInfo::from_arn(&arn)
        .ok_or_else(|| ServiceError::internal(format!("principal ARN does not parse: {arn}")))
}

/// A federated identity's request for a role (`AssumeRoleWithWebIdentity`,
/// `AssumeRoleWithSAML`): the role's trust policy alone decides each of `actions` (the
/// operation's, and `sts:TagSession` when the token or assertion carries session tags), with the
/// token's claims or the assertion's attributes as condition keys in `extra`.
///
/// SECURITY: one refusal for every reason (no such role, a role that does not trust the
/// provider, a claim that does not match), as AWS words it.
pub async fn authorize_web_identity(
    iam: &Iam,
    caller: &Caller,
    role_arn: &str,
    trust_policy: &str,
    extra: &RequestContext,
    actions: &[&str],
) -> Result<(), ServiceError> {
    let trust = iam
        .policy_sets()
        .named("trust-policy", trust_policy)
        .ok_or_else(|| {
            ServiceError::internal(format!("the trust policy of {role_arn} does not parse"))
        })?;
    let prepared = prepare(iam, caller, extra).await?;
    for action in actions {
        let allowed = decide(
            &prepared,
            action,
            role_arn,
            role_arn,
            None,
            Some(ResourcePolicyInput {
                policy: &trust,
                kind: ResourcePolicyKind::RoleTrust,
            }),
        );
        if allowed.is_err() {
            // Named by the operation asked for (the first action), not by the tagging it needs.
            return Err(ServiceError::AccessDenied(format!(
                "Not authorized to perform {}",
                actions.first().copied().unwrap_or(action)
            )));
        }
    }
    Ok(())
}

/// Everything an evaluation for this caller needs.
struct Prepared {
    /// The caller is a session of a role that no longer exists.
    role_gone: bool,
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
        PrincipalKind::FederatedUser { user_id, .. } => {
            context.insert("aws:PrincipalType", "FederatedUser");
            match user_id {
                Some(user_id) => iam.policy_sets().for_user(iam, account_id, user_id).await?,
                // Federated by the root user: everything, cut by the session policies.
                None => Arc::new(PrincipalPolicies {
                    identity: iam
                        .policy_sets()
                        .named("root-federation", ALLOW_ALL)
                        .into_iter()
                        .collect(),
                    ..PrincipalPolicies::default()
                }),
            }
        }
        // Only ever the caller of AssumeRoleWithWebIdentity, which its trust policy decides
        // (`authorize_web_identity`): it has no policies of its own.
        PrincipalKind::WebIdentity { .. } => {
            context.insert("aws:PrincipalType", "WebIdentityUser");
            Arc::new(PrincipalPolicies::default())
        }
    };
    // SECURITY: a session whose role was deleted has no permissions at all — not even what a
    // policy grants to its session ARN by name (a new role of the same name is another role).
    let role_gone = match &principal.kind {
        PrincipalKind::AssumedRole { .. } => policies.current.is_none(),
        PrincipalKind::FederatedUser { user_id, .. } => {
            user_id.is_some() && policies.current.is_none()
        }
        _ => false,
    };
    context.insert("aws:userid", principal.user_id());
    // A session tag overrides the role's tag of the same key (keys compare ignoring case).
    for tag in &policies.tags {
        if caller.session_tags.get(&tag.key).is_none() {
            context.insert(&format!("aws:PrincipalTag/{}", tag.key), tag.value.as_str());
        }
    }
    for tag in &caller.session_tags.tags {
        context.insert(&format!("aws:PrincipalTag/{}", tag.key), tag.value.as_str());
    }
    if let Some(source_identity) = &caller.session_tags.source_identity {
        context.insert("aws:SourceIdentity", source_identity.as_str());
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
            .ok_or_else(|| ServiceError::internal("session policy"))?],
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
    let mut info = principal_info(principal)?;
    match &principal.kind {
        PrincipalKind::User { user_id, .. } => info = info.with_unique_id(user_id.as_str()),
        PrincipalKind::AssumedRole { role_id, .. } => {
            // The session's role as trust policies name it: by ARN with its path, and by ID.
            if let (PolicyPrincipalKind::AssumedRole { role_arn }, Some(with_path)) =
                (&mut info.kind, principal.role_arn())
            {
                *role_arn = with_path;
            }
            info = info.with_unique_id(role_id.as_str());
        }
        PrincipalKind::FederatedUser { user_id, .. } => {
            // The user who federated, as NotPrincipal and the engine's chain see it.
            if let PolicyPrincipalKind::FederatedUser { user_arn } = &mut info.kind {
                *user_arn = match (user_id, &policies.current) {
                    (Some(_), Some(current)) => Some(crate::domain::arn::user_arn(
                        &principal.account_id,
                        &current.path,
                        &current.name,
                    )),
                    _ => Some(principal.account_id.root_arn()),
                };
            }
        }
        PrincipalKind::Root | PrincipalKind::WebIdentity { .. } => {}
    }
    Ok(Prepared {
        role_gone,
        arn,
        info,
        policies,
        session,
        context,
    })
}

/// The condition keys that describe the resource: its account, and its tags when a policy in
/// play tests them (reading them costs a query, so only then).
async fn add_resource_facts(
    iam: &Iam,
    prepared: &mut Prepared,
    resource: &str,
    resource_policy: Option<&NamedPolicy>,
) -> Result<(), ServiceError> {
    if let Some([_, _, _, _, account, _]) = split_arn(resource).filter(|parts| !parts[4].is_empty())
    {
        prepared.context.insert("aws:ResourceAccount", account);
    }
    let policies = &prepared.policies;
    let tests_tags = policies
        .identity
        .iter()
        .chain(&policies.boundary)
        .chain(&prepared.session)
        .chain(resource_policy)
        .any(|named| {
            resource_tags::KEY_PREFIXES
                .iter()
                .any(|prefix| named.policy.tests_key_prefix(prefix))
        });
    if tests_tags {
        for (key, values) in resource_tags::entries(&resource_tags::of(iam, resource).await?) {
            prepared
                .context
                .insert_list(&key, values.iter().map(String::as_str));
        }
    }
    Ok(())
}

const ALLOW_ALL: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

const ALLOW_NOTHING: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#;

/// `shown` names the resource in the AccessDenied sentence.
/// `resource_account`: the account owning the resource when it is not the caller's (cross-account
/// rules apply).
fn decide(
    prepared: &Prepared,
    action: &str,
    resource: &str,
    shown: &str,
    resource_account: Option<&str>,
    resource_policy: Option<ResourcePolicyInput<'_>>,
) -> Result<(), ServiceError> {
    let inputs = PolicyInputs {
        identity: &prepared.policies.identity,
        permissions_boundary: &prepared.policies.boundary,
        session: &prepared.session,
        resource: resource_policy,
    };
    if prepared.role_gone {
        let arn = &prepared.arn;
        return Err(ServiceError::AccessDenied(format!(
            "User: {arn} is not authorized to perform: {action} on resource: {shown} because the role of this session no longer exists"
        )));
    }
    let response = evaluate(
        &inputs,
        &EvaluationRequest {
            principal: &prepared.info,
            action,
            resource,
            resource_account,
            context: &prepared.context,
        },
    );
    metrics::authorization(match response.decision {
        Decision::Allowed => "allow",
        Decision::ExplicitDeny => "explicit_deny",
        Decision::ImplicitDeny => "implicit_deny",
    });
    if response.is_allowed() {
        return Ok(());
    }
    let arn = &prepared.arn;
    Err(ServiceError::AccessDenied(
        response
            .access_denied_message(arn, action, shown)
            .unwrap_or_else(|| {
                format!("User: {arn} is not authorized to perform: {action} on resource: {shown}")
            }),
    ))
}

/// Global condition keys every request carries.
fn base_context(iam: &Iam, caller: &Caller) -> Context {
    let now_millis = iam.clock().now_millis();
    let mut context = Context::new();
    context
        .insert("aws:CurrentTime", rfc3339(now_millis))
        .insert("aws:EpochTime", (now_millis / 1000).to_string())
        .insert("aws:PrincipalArn", caller.principal.arn())
        .insert("aws:PrincipalAccount", caller.principal.account_id.as_str())
        .insert("aws:RequestedRegion", "us-east-1")
        .insert_bool("aws:SecureTransport", caller.request.secure_transport)
        .insert_bool(
            "aws:MultiFactorAuthPresent",
            caller.request.mfa_authenticated_at.is_some(),
        );
    context
        .insert_bool("aws:PrincipalIsAWSService", false)
        .insert_bool("aws:ViaAWSService", false);
    if let Some(issued_at) = caller.request.token_issued_at {
        context.insert("aws:TokenIssueTime", rfc3339(issued_at));
    }
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

/// AWS's limits on credentials from `GetSessionToken`, whatever the policies say: IAM only with
/// MFA, and of STS only `AssumeRole` (and `GetCallerIdentity`, which needs no permission). And on
/// a federated user's (`GetFederationToken`) through the API: no IAM, and of STS only
/// `GetCallerIdentity` (the console may do what the session's policies allow).
fn session_token_refuses(caller: &Caller, action: &str) -> Option<&'static str> {
    let (service, name) = action.split_once(':').unwrap_or(("", action));
    if matches!(caller.principal.kind, PrincipalKind::FederatedUser { .. })
        && caller.request.console_session.is_none()
    {
        return match service {
            "iam" => Some("because credentials from GetFederationToken cannot call IAM through the API"),
            "sts" if name != "GetCallerIdentity" => Some(
                "because credentials from GetFederationToken can call no STS operation but GetCallerIdentity",
            ),
            _ => None,
        };
    }
    if !caller.from_session_token() {
        return None;
    }
    match service {
        "iam" if caller.request.mfa_authenticated_at.is_none() => Some(
            "because credentials from GetSessionToken can call IAM only when MFA authentication information was included in the GetSessionToken request",
        ),
        "sts" if name != "AssumeRole" && name != "GetCallerIdentity" => {
            Some("because credentials from GetSessionToken can call no STS operation but AssumeRole and GetCallerIdentity")
        }
        _ => None,
    }
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
