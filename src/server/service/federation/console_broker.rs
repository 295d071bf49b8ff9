//! The custom identity broker's federation endpoint (`/federation`), as AWS documents it for
//! `signin.aws.amazon.com/federation`: `getSigninToken` trades a role session's or a federated
//! user's temporary credentials for a sign-in token — single use, valid 15 minutes, stored only
//! as a hash — and `login` trades the token for a console session as that identity.

use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::domain::{Principal, PrincipalKind};
use crate::server::digest::sha256_hex;
use crate::server::service::audit::signin_events;
use crate::server::service::signin::throttle;
use crate::server::service::sts::{temporary_key, TemporaryKey};
use crate::server::service::{Iam, RequestInfo, ServiceError};
use crate::server::session_record::ConsoleFederation;
use crate::server::store::signin_tokens;

/// AWS: a sign-in URL is valid for 15 minutes.
pub const SIGNIN_TOKEN_MILLIS: i64 = 15 * 60 * 1000;
/// AWS's bounds on `SessionDuration` (role sessions only).
pub const MIN_SESSION_DURATION: i64 = 900;
pub const MAX_SESSION_DURATION: i64 = 43_200;

#[derive(Debug, thiserror::Error)]
pub enum BrokerRefusal {
    /// Bad parameters, or credentials or a token that do not open a session (one message per
    /// cause, none telling which secret was wrong).
    #[error("{0}")]
    BadRequest(String),
    #[error("Too many failed attempts from this address. Wait a while and try again.")]
    Throttled,
    #[error(transparent)]
    Service(#[from] ServiceError),
}

/// The console session a sign-in token opens.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SigninSession {
    pub principal: Principal,
    pub mfa_authenticated_at: Option<i64>,
    pub federation: ConsoleFederation,
}

/// `Session`'s JSON, as AWS's broker examples build it.
#[derive(Deserialize)]
struct SessionParameter {
    #[serde(rename = "sessionId")]
    session_id: String,
    #[serde(rename = "sessionKey")]
    session_key: String,
    #[serde(rename = "sessionToken")]
    session_token: String,
}

const INVALID_CREDENTIALS: &str =
    "The credentials in Session are not valid temporary credentials, or they have expired.";

/// `Action=getSigninToken`.
pub async fn get_signin_token(
    iam: &Iam,
    request: &RequestInfo,
    session: &str,
    session_duration: Option<&str>,
) -> Result<String, BrokerRefusal> {
    let source = request.source_ip.as_deref();
    // SECURITY: the credentials are a secret; guessing them is throttled like any other.
    if throttle::api_source_refused(iam, source).await? {
        return Err(BrokerRefusal::Throttled);
    }
    let parameter: SessionParameter = serde_json::from_str(session).map_err(|_| {
        BrokerRefusal::BadRequest(
            "Session must be JSON with sessionId, sessionKey and sessionToken.".to_string(),
        )
    })?;
    let key = match credentials(iam, &parameter).await? {
        Some(key) => key,
        None => {
            throttle::api_authentication_failed(iam, source).await?;
            return Err(BrokerRefusal::BadRequest(INVALID_CREDENTIALS.to_string()));
        }
    };
    let principal = key.caller.principal.clone();
    let federated_user = match principal.kind {
        PrincipalKind::AssumedRole { .. } => false,
        PrincipalKind::FederatedUser { .. } => true,
        _ => {
            return Err(BrokerRefusal::BadRequest(
                "getSigninToken takes the temporary credentials of a role session (AssumeRole, AssumeRoleWithWebIdentity, AssumeRoleWithSAML) or of a federated user (GetFederationToken).".to_string(),
            ))
        }
    };
    let now = iam.clock().now_millis();
    let expires_at = match session_duration {
        None => key.expires_at,
        Some(_) if federated_user => {
            return Err(BrokerRefusal::BadRequest(
                "SessionDuration cannot be used with credentials from GetFederationToken: their console session lasts as long as they do.".to_string(),
            ))
        }
        Some(text) => {
            let seconds = text
                .parse::<i64>()
                .ok()
                .filter(|s| (MIN_SESSION_DURATION..=MAX_SESSION_DURATION).contains(s))
                .ok_or_else(|| {
                    BrokerRefusal::BadRequest(format!(
                        "SessionDuration must be a number of seconds from {MIN_SESSION_DURATION} to {MAX_SESSION_DURATION}."
                    ))
                })?;
            now + seconds * 1000
        }
    };
    let caller = &key.caller;
    let record = SigninSession {
        principal,
        mfa_authenticated_at: caller.request.mfa_authenticated_at,
        federation: ConsoleFederation {
            expires_at,
            session_policy: caller.session_policy.as_deref().map(str::to_string),
            session_policy_arns: caller.session_policy_arns.to_vec(),
            session_tags: (*caller.session_tags).clone(),
            issuer: None,
        },
    };
    let token = crate::server::service::ids::new_token();
    let json = serde_json::to_string(&record)
        .map_err(|e| ServiceError::internal_from("sign-in token session", e))?;
    signin_tokens::insert(
        iam.store().writer(),
        &sha256_hex(token.as_bytes()),
        record.principal.account_id.as_str(),
        &json,
        now,
        now + SIGNIN_TOKEN_MILLIS,
    )
    .await
    .map_err(ServiceError::from)?;
    Ok(token)
}

/// The temporary credentials `parameter` names, when its key and token are theirs.
async fn credentials(
    iam: &Iam,
    parameter: &SessionParameter,
) -> Result<Option<TemporaryKey>, ServiceError> {
    let Ok(key) = temporary_key(iam, &parameter.session_id, Some(&parameter.session_token)).await?
    else {
        return Ok(None);
    };
    let matches = key
        .secret
        .as_slice()
        .ct_eq(parameter.session_key.as_bytes());
    Ok(bool::from(matches).then_some(key))
}

/// `Action=login`: consumes the sign-in token (once, within its 15 minutes) and returns the
/// session it opens; the caller establishes it and sends the person to `Destination`.
pub async fn take_signin_token(
    iam: &Iam,
    request: &RequestInfo,
    token: &str,
) -> Result<SigninSession, BrokerRefusal> {
    let source = request.source_ip.as_deref();
    if throttle::api_source_refused(iam, source).await? {
        return Err(BrokerRefusal::Throttled);
    }
    let now = iam.clock().now_millis();
    let taken = signin_tokens::take(iam.store().writer(), &sha256_hex(token.as_bytes()), now)
        .await
        .map_err(ServiceError::from)?;
    let Some(json) = taken else {
        throttle::api_authentication_failed(iam, source).await?;
        return Err(BrokerRefusal::BadRequest(
            "This sign-in link is not valid: it was used already, has expired, or was never issued. Ask your identity broker for a new one.".to_string(),
        ));
    };
    let session: SigninSession = serde_json::from_str(&json)
        .map_err(|e| ServiceError::internal_from("stored sign-in token session", e))?;
    signin_events::signed_in(
        iam,
        request,
        &session.principal,
        session.mfa_authenticated_at.is_some(),
    )
    .await;
    Ok(session)
}

/// Housekeeping: forgets sign-in tokens past their 15 minutes.
pub async fn delete_expired_tokens(iam: &Iam) -> Result<u64, ServiceError> {
    Ok(signin_tokens::delete_expired(iam.store().writer(), iam.clock().now_millis()).await?)
}
