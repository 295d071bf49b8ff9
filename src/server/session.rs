//! The console session: who is signed in, since when, from where, and the idle (30 min) and
//! absolute (12 h) limits (the operator can change both: `--session-idle-minutes`,
//! `--session-absolute-hours`). tower-sessions carries the record (its format is
//! `session_record`'s); this module signs in and out and applies the limits.

use tower_sessions::Session;

use crate::domain::Principal;

use super::clock::Clock;
use super::service::authorization::principal_now::principal_now;
use super::service::federation::saml::console_signin::SamlIdentity;
use super::service::federation::single_sign_on::{PendingSso, SsoIdentity};
use super::service::signin::PendingSignIn;
use super::service::{Caller, Iam, RequestInfo, ServiceError};
use super::session_record::{id_hash, ConsoleFederation, SignedIn, SIGNED_IN_KEY};

const PENDING_KEY: &str = "ferriam.pending_sign_in";
/// Single sign-on: the sign-in sent to the provider, then the identity it vouched for.
const SSO_PENDING_KEY: &str = "ferriam.sso_pending";
const SSO_IDENTITY_KEY: &str = "ferriam.sso_identity";
const SAML_IDENTITY_KEY: &str = "ferriam.saml_identity";

/// `last_seen_at` is written at most this often, so reads do not turn into writes.
const TOUCH_INTERVAL_MILLIS: i64 = 60 * 1000;

/// The signed-in principal of a live session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedInSession {
    pub principal: Principal,
    pub mfa_authenticated_at: Option<i64>,
    /// Unix milliseconds; policies see it as `aws:TokenIssueTime`.
    pub signed_in_at: i64,
    /// For a session opened through federation: its session policies, tags and end.
    pub federation: Option<ConsoleFederation>,
}

fn internal(error: tower_sessions::session::Error) -> ServiceError {
    ServiceError::internal_from("session", error)
}

/// Signs `principal` in: a new session ID (SECURITY: defeats session fixation), no leftover
/// sign-in state. `with_mfa` records that sign-in included an MFA code; `request` where it
/// came from.
pub async fn establish(
    session: &Session,
    clock: &Clock,
    principal: Principal,
    with_mfa: bool,
    request: &RequestInfo,
) -> Result<(), ServiceError> {
    let mfa_at = with_mfa.then(|| clock.now_millis());
    establish_with(session, clock, principal, mfa_at, None, request).await
}

/// Signs in a role session or federated user opened through federation (see
/// `ConsoleFederation`); `mfa_at` is when its credentials last proved an MFA code.
pub async fn establish_federated(
    session: &Session,
    clock: &Clock,
    principal: Principal,
    mfa_at: Option<i64>,
    federation: ConsoleFederation,
    request: &RequestInfo,
) -> Result<(), ServiceError> {
    establish_with(session, clock, principal, mfa_at, Some(federation), request).await
}

async fn establish_with(
    session: &Session,
    clock: &Clock,
    principal: Principal,
    mfa_at: Option<i64>,
    federation: Option<ConsoleFederation>,
    request: &RequestInfo,
) -> Result<(), ServiceError> {
    session.cycle_id().await.map_err(internal)?;
    for key in [
        PENDING_KEY,
        SSO_PENDING_KEY,
        SSO_IDENTITY_KEY,
        SAML_IDENTITY_KEY,
    ] {
        session.remove_value(key).await.map_err(internal)?;
    }
    let now = clock.now_millis();
    let record = SignedIn {
        arn: principal.arn(),
        principal,
        signed_in_at: now,
        last_seen_at: now,
        mfa_authenticated_at: mfa_at,
        source_ip: request.source_ip.clone(),
        user_agent: request.user_agent.clone(),
        federation,
    };
    session
        .insert(SIGNED_IN_KEY, record)
        .await
        .map_err(internal)
}

/// The signed-in principal as the caller of this request (with its MFA time and this session),
/// or `None` when signed out.
pub async fn caller(
    session: &Session,
    iam: &Iam,
    mut request: RequestInfo,
) -> Result<Option<Caller>, ServiceError> {
    let Some(signed_in) = current(session, iam).await? else {
        return Ok(None);
    };
    request.mfa_authenticated_at = signed_in.mfa_authenticated_at;
    request.token_issued_at = Some(signed_in.signed_in_at);
    request.console_session = session.id().map(|id| id_hash(&id));
    let mut caller = Caller::new(signed_in.principal, request);
    if let Some(federation) = signed_in.federation {
        caller.session_policy = federation.session_policy.map(std::sync::Arc::from);
        caller.session_policy_arns = std::sync::Arc::from(federation.session_policy_arns);
        caller.session_tags = std::sync::Arc::new(federation.session_tags);
    }
    Ok(Some(caller))
}

/// The signed-in principal, or `None` when signed out or past a time limit (the session is
/// then ended).
pub async fn current(
    session: &Session,
    iam: &Iam,
) -> Result<Option<SignedInSession>, ServiceError> {
    let Some(mut record) = session
        .get::<SignedIn>(SIGNED_IN_KEY)
        .await
        .map_err(internal)?
    else {
        return Ok(None);
    };
    let now = iam.clock().now_millis();
    let limits = iam.settings();
    let idle = now - record.last_seen_at > limits.session_idle_millis;
    let too_old = now - record.signed_in_at > limits.session_absolute_millis;
    let federation_over = record
        .federation
        .as_ref()
        .is_some_and(|federation| now >= federation.expires_at);
    if idle || too_old || federation_over {
        end(session).await?;
        return Ok(None);
    }
    // SECURITY: the session acts as the user it signed in, under the name and path it had then,
    // and is found by that ARN when the user's sessions are ended. A user renamed, moved or
    // deleted since signs in again: otherwise the session would evaluate `${aws:username}` as
    // the old name (a new user of that name included) and escape every later revocation.
    let now_principal = principal_now(iam, record.principal.clone()).await?;
    if now_principal.as_ref() != Some(&record.principal) {
        end(session).await?;
        return Ok(None);
    }
    let signed_in = SignedInSession {
        principal: record.principal.clone(),
        mfa_authenticated_at: record.mfa_authenticated_at,
        signed_in_at: record.signed_in_at,
        federation: record.federation.clone(),
    };
    if now - record.last_seen_at > TOUCH_INTERVAL_MILLIS {
        record.last_seen_at = now;
        session
            .insert(SIGNED_IN_KEY, record)
            .await
            .map_err(internal)?;
    }
    Ok(Some(signed_in))
}

/// Signs out: deletes the record server-side and expires the cookie.
pub async fn end(session: &Session) -> Result<(), ServiceError> {
    session.flush().await.map_err(internal)
}

/// Keeps a sign-in that still needs steps. SECURITY: a new session ID once the password was
/// accepted.
pub async fn set_pending(session: &Session, pending: PendingSignIn) -> Result<(), ServiceError> {
    session.cycle_id().await.map_err(internal)?;
    session.insert(PENDING_KEY, pending).await.map_err(internal)
}

pub async fn pending(session: &Session) -> Result<Option<PendingSignIn>, ServiceError> {
    session.get(PENDING_KEY).await.map_err(internal)
}

/// Keeps a single sign-on sent to the provider, until its callback.
pub async fn set_sso_pending(session: &Session, pending: &PendingSso) -> Result<(), ServiceError> {
    session
        .insert(SSO_PENDING_KEY, pending)
        .await
        .map_err(internal)
}

/// The single sign-on sent to the provider, taken out: a callback is answered once.
pub async fn take_sso_pending(session: &Session) -> Result<Option<PendingSso>, ServiceError> {
    session.remove(SSO_PENDING_KEY).await.map_err(internal)
}

/// Keeps the identity the provider vouched for while the person picks a role. SECURITY: a new
/// session ID, as after a password.
pub async fn set_sso_identity(
    session: &Session,
    identity: &SsoIdentity,
) -> Result<(), ServiceError> {
    session.cycle_id().await.map_err(internal)?;
    session
        .insert(SSO_IDENTITY_KEY, identity)
        .await
        .map_err(internal)
}

pub async fn sso_identity(session: &Session) -> Result<Option<SsoIdentity>, ServiceError> {
    session.get(SSO_IDENTITY_KEY).await.map_err(internal)
}

/// Keeps the SAML user a provider vouched for while the person picks a role. SECURITY: a new
/// session ID, as after a password.
pub async fn set_saml_identity(
    session: &Session,
    identity: &SamlIdentity,
) -> Result<(), ServiceError> {
    session.cycle_id().await.map_err(internal)?;
    session
        .insert(SAML_IDENTITY_KEY, identity)
        .await
        .map_err(internal)
}

pub async fn saml_identity(session: &Session) -> Result<Option<SamlIdentity>, ServiceError> {
    session.get(SAML_IDENTITY_KEY).await.map_err(internal)
}
