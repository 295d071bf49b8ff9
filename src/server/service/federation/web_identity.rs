//! STS `AssumeRoleWithWebIdentity`: an ID token from an OpenID Connect provider the role's
//! account registered buys the role's temporary credentials, when the role's trust policy allows
//! the provider (and the token's claims, as condition keys). The request is unsigned: the token
//! is the only proof, so it is verified before anything else is decided.

use serde_json::Value;

use crate::catalog::Op;
use crate::domain::iam_names::check_length;
use crate::domain::oidc_provider::{condition_key, provider_arn};
use crate::domain::session_tags::{SessionTags, TAGS_CLAIM};
use crate::domain::{AccountId, Invalid, Principal, PrincipalKind};
use crate::policy::global_keys;
use crate::server::service::authorization::{authorize_web_identity, RequestContext};
use crate::server::service::error::FederationRefusal;
use crate::server::service::sts::{
    check_duration, check_policy_arns, check_session_name, check_session_policy, issue,
    parse_role_arn, require_for_session_tags, AssumedRoleUser, Credentials, SessionPolicies,
    SessionTerms,
};
use crate::server::service::{Caller, Iam, Operation, RequestInfo, ServiceError};
use crate::server::store::oidc_providers;
use crate::server::store::roles::{self, RoleRow};

use super::id_token::{self, VerifiedToken};

/// AWS's bounds on `WebIdentityToken`.
pub const MAX_TOKEN_LENGTH: usize = 20_000;
/// AWS: web identity sessions last up to 12 hours (and never past the role's maximum).
pub const MAX_DURATION_SECONDS: i64 = 43_200;

#[derive(Clone, Debug, Default)]
pub struct AssumeRoleWithWebIdentity {
    pub role_arn: String,
    pub role_session_name: String,
    pub web_identity_token: String,
    pub duration_seconds: Option<i64>,
    pub policy: Option<String>,
    pub policy_arns: Vec<String>,
    /// Only for OAuth 2.0 access tokens of Login with Amazon and Facebook: refused here.
    pub provider_id: Option<String>,
}

/// What the caller learns besides the credentials.
#[derive(Clone, Debug)]
pub struct WebIdentitySession {
    pub credentials: Credentials,
    pub assumed_role_user: AssumedRoleUser,
    pub subject: String,
    /// The provider's ARN.
    pub provider: String,
    pub audience: String,
}

fn check_lengths(input: &AssumeRoleWithWebIdentity) -> Result<(), ServiceError> {
    let length = |field: &str, parameter: &str, value: &str, min: usize, max: usize| {
        check_length(field, parameter, value, min, max).map_err(ServiceError::from)
    };
    length("RoleArn", "roleArn", &input.role_arn, 20, 2_048)?;
    length(
        "WebIdentityToken",
        "webIdentityToken",
        &input.web_identity_token,
        4,
        MAX_TOKEN_LENGTH,
    )?;
    check_session_name(&input.role_session_name)?;
    if let Some(duration) = input.duration_seconds {
        check_duration(duration, MAX_DURATION_SECONDS)?;
    }
    if input.provider_id.is_some() {
        return Err(Invalid::new(
            "ProviderId",
            "ProviderId is only for OAuth 2.0 access tokens of Login with Amazon or Facebook; do not pass it with an OpenID Connect ID token.",
        )
        .with_code("InvalidInput")
        .into());
    }
    Ok(())
}

/// The provider the token names, in the role's account, and the verified token.
async fn verify_token(
    iam: &Iam,
    account: &str,
    token: &str,
) -> Result<(oidc_providers::OidcProviderRow, VerifiedToken), ServiceError> {
    let issuer = id_token::unverified_issuer(token)?;
    let no_provider = || {
        FederationRefusal::InvalidIdentityToken.error(format!(
            "No OpenIDConnect provider found in your account for {issuer}"
        ))
    };
    let host_path =
        id_token::issuer_host_path(&issuer, iam.settings().idp_fetch.allow_loopback_http)
            .ok_or_else(no_provider)?;
    let provider = oidc_providers::find(iam.store().reader(), account, &host_path)
        .await?
        .filter(|row| row.issuer() == issuer)
        .ok_or_else(no_provider)?;
    let verified = id_token::verify(iam, token, &provider).await?;
    Ok((provider, verified))
}

/// The trust policy's condition keys from the token: `HOST/PATH:aud` (the client ID it was
/// issued to; the original `aud` as `:oaud` when `azp` named it), `:sub`, `:azp`, `:amr`,
/// `:email`, and `aws:FederatedProvider`, `sts:RoleSessionName`.
fn trust_context(
    host_path: &str,
    provider: &str,
    token: &VerifiedToken,
    session_name: &str,
) -> RequestContext {
    let key = |claim: &str| condition_key(host_path, claim);
    let strings = |value: &Value| -> Vec<String> {
        match value {
            Value::String(one) => vec![one.clone()],
            Value::Array(many) => many
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut entries = vec![
        (key("aud"), vec![token.audience.clone()]),
        (key("sub"), vec![token.subject.clone()]),
        (
            global_keys::AWS_FEDERATED_PROVIDER.to_string(),
            vec![provider.to_string()],
        ),
        (
            global_keys::STS_ROLE_SESSION_NAME.to_string(),
            vec![session_name.to_string()],
        ),
    ];
    if token.claims.contains_key("azp") {
        if let Some(aud) = token.claims.get("aud") {
            entries.push((key("oaud"), strings(aud)));
        }
    }
    for claim in ["azp", "amr", "email"] {
        if let Some(value) = token.claims.get(claim) {
            let values = strings(value);
            if !values.is_empty() {
                entries.push((key(claim), values));
            }
        }
    }
    RequestContext { entries }
}

/// The role `role_arn` names in `account_id` (its path included), if there is one.
pub async fn role_by_arn(
    iam: &Iam,
    account_id: &AccountId,
    role_arn: &str,
) -> Result<Option<RoleRow>, ServiceError> {
    let Some((_, name)) = parse_role_arn(role_arn) else {
        return Ok(None);
    };
    Ok(roles::TABLE
        .find_by_name(iam.store().reader(), account_id.as_str(), name)
        .await?
        .filter(|role| {
            crate::domain::arn::role_arn(account_id, &role.path, &role.name) == role_arn
        }))
}

/// Whether the trust policy of `role` (ARN `role_arn`; `None` when there is no such role) lets
/// `caller`, the web identity of `token` from the provider `host_path`, assume it under
/// `session_name` — with the session tags the token asks for, which need `sts:TagSession` too.
/// The tags, when it does.
pub async fn check_trust(
    iam: &Iam,
    caller: &Caller,
    host_path: &str,
    token: &VerifiedToken,
    role: Option<&RoleRow>,
    role_arn: &str,
    session_name: &str,
) -> Result<SessionTags, ServiceError> {
    let PrincipalKind::WebIdentity { provider_arn, .. } = &caller.principal.kind else {
        return Err(ServiceError::internal("a web identity caller"));
    };
    // SECURITY: a missing role is refused after the same work, in the same words, as one that
    // does not trust this identity.
    let no_one = crate::server::service::authorization::trusts_no_one();
    let trust = role.map_or(no_one.as_str(), |role| role.assume_role_policy.as_str());
    let tags = match token.claims.get(TAGS_CLAIM) {
        Some(claim) => SessionTags::from_claim(claim)
            .map_err(|invalid| FederationRefusal::InvalidIdentityToken.error(invalid.message))?,
        None => SessionTags::default(),
    };
    let mut context = trust_context(host_path, provider_arn, token, session_name);
    let mut actions = vec![Op::AssumeRoleWithWebIdentity.action()];
    require_for_session_tags(&tags, &mut context, &mut actions);
    authorize_web_identity(iam, caller, role_arn, trust, &context, &actions).await?;
    if role.is_none() {
        return Err(ServiceError::AccessDenied(format!(
            "Not authorized to perform {}",
            Op::AssumeRoleWithWebIdentity.action()
        )));
    }
    Ok(tags)
}

pub async fn assume_role_with_web_identity(
    iam: &Iam,
    request: RequestInfo,
    input: AssumeRoleWithWebIdentity,
) -> Result<WebIdentitySession, ServiceError> {
    check_lengths(&input)?;
    check_session_policy(input.policy.as_deref(), &input.policy_arns)?;
    let denied = || {
        ServiceError::AccessDenied(format!(
            "Not authorized to perform {}",
            Op::AssumeRoleWithWebIdentity.action()
        ))
    };
    // The role's account is the only one the request can concern (an unsigned caller has
    // none); an ARN that names none is refused like a role that does not trust the caller.
    let role_arn = input.role_arn.clone();
    let (account, _) = parse_role_arn(&role_arn).ok_or_else(denied)?;
    let account_id = AccountId::parse("RoleArn", account).map_err(|_| denied())?;
    let verified = verify_token(iam, account, &input.web_identity_token).await;
    // An account that does not exist trusts no provider: the token is refused as in an account
    // without one, and nothing is recorded (anyone may name any account here). A verified token
    // was checked against a provider of the account, so only a refusal needs the look.
    if verified.is_err()
        && crate::server::store::accounts::find_by_id(iam.store().reader(), account)
            .await?
            .is_none()
    {
        return Err(verified.err().unwrap_or_else(denied));
    }
    let (host_path, subject) = match &verified {
        Ok((provider, token)) => (provider.host_path.clone(), token.subject.clone()),
        Err(_) => (String::new(), String::new()),
    };
    let caller = Caller::new(
        Principal {
            account_id: account_id.clone(),
            kind: PrincipalKind::WebIdentity {
                provider_arn: provider_arn(&account_id, &host_path),
                provider: host_path.clone(),
                subject,
            },
        },
        request,
    );
    let caller = &caller;
    Operation::run(iam, caller, Op::AssumeRoleWithWebIdentity, |op| {
        Box::pin(async move {
            op.target(&input.role_arn);
            let (_, token) = verified?;
            let PrincipalKind::WebIdentity { provider_arn, .. } = &caller.principal.kind else {
                return Err(ServiceError::internal("a web identity caller"));
            };
            let role = role_by_arn(iam, &account_id, &input.role_arn).await?;
            let tags = check_trust(
                iam,
                caller,
                &host_path,
                &token,
                role.as_ref(),
                &input.role_arn,
                &input.role_session_name,
            )
            .await?;
            let role = role.ok_or_else(denied)?;
            check_policy_arns(iam, account, &input.policy_arns).await?;
            let authorized = op.resource_checked(&input.role_arn);
            let duration = input.duration_seconds.unwrap_or(3_600);
            if duration > role.max_session_duration {
                return Err(Invalid::new(
                    "DurationSeconds",
                    "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
                )
                .into());
            }
            let principal = Principal {
                account_id: account_id.clone(),
                kind: PrincipalKind::AssumedRole {
                    role_id: role.role_id.clone(),
                    role_name: role.name.clone(),
                    role_path: role.path.clone(),
                    session_name: input.role_session_name.clone(),
                },
            };
            let assumed_role_user = AssumedRoleUser {
                assumed_role_id: principal.user_id(),
                arn: principal.arn(),
            };
            let session_policies = SessionPolicies {
                inline: input.policy.clone().filter(|p| !p.is_empty()),
                managed_arns: input.policy_arns.clone(),
            };
            let credentials =
                issue(
                    op,
                    caller,
                    principal,
                    SessionTerms {
                        policies: session_policies,
                        tags,
                        mfa_authenticated_at: None,
                        duration_seconds: duration,
                    },
                    &authorized,
                )
                .await?;
            Ok(WebIdentitySession {
                credentials,
                assumed_role_user,
                subject: token.subject.clone(),
                provider: provider_arn.clone(),
                audience: token.audience.clone(),
            })
        })
    })
    .await
}
