//! The console session: who is signed in, since when, and the idle (30 min) and absolute
//! (12 h) limits. tower-sessions carries the record; this module owns what is in it.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::domain::Principal;

use super::clock::Clock;
use super::service::signin::PendingSignIn;
use super::service::ServiceError;

const SIGNED_IN_KEY: &str = "ferriam.signed_in";
const PENDING_KEY: &str = "ferriam.pending_sign_in";

pub const IDLE_TIMEOUT_MILLIS: i64 = 30 * 60 * 1000;
pub const ABSOLUTE_TIMEOUT_MILLIS: i64 = 12 * 60 * 60 * 1000;
/// `last_seen_at` is written at most this often, so reads do not turn into writes.
const TOUCH_INTERVAL_MILLIS: i64 = 60 * 1000;

#[derive(Clone, Debug, Serialize, Deserialize)]
struct SignedIn {
    principal: Principal,
    /// Also what the session store indexes, to find a principal's sessions.
    arn: String,
    signed_in_at: i64,
    last_seen_at: i64,
    /// Set when sign-in included an MFA code: policies see `aws:MultiFactorAuthPresent`.
    #[serde(default)]
    mfa_authenticated_at: Option<i64>,
}

/// The signed-in principal of a live session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignedInSession {
    pub principal: Principal,
    pub mfa_authenticated_at: Option<i64>,
}

/// The session store reads the principal ARN from a record with this.
pub fn principal_arn_in(data: &HashMap<String, serde_json::Value>) -> Option<String> {
    data.get(SIGNED_IN_KEY)?
        .get("arn")?
        .as_str()
        .map(str::to_string)
}

fn internal(error: tower_sessions::session::Error) -> ServiceError {
    ServiceError::Internal(format!("session: {error}"))
}

/// Signs `principal` in: a new session ID (SECURITY: defeats session fixation), no leftover
/// sign-in state. `with_mfa` records that sign-in included an MFA code.
pub async fn establish(
    session: &Session,
    clock: &Clock,
    principal: Principal,
    with_mfa: bool,
) -> Result<(), ServiceError> {
    session.cycle_id().await.map_err(internal)?;
    session.remove_value(PENDING_KEY).await.map_err(internal)?;
    let now = clock.now_millis();
    let record = SignedIn {
        arn: principal.arn(),
        principal,
        signed_in_at: now,
        last_seen_at: now,
        mfa_authenticated_at: with_mfa.then_some(now),
    };
    session
        .insert(SIGNED_IN_KEY, record)
        .await
        .map_err(internal)
}

/// The signed-in principal, or `None` when signed out or past a time limit (the session is
/// then ended).
pub async fn current(
    session: &Session,
    clock: &Clock,
) -> Result<Option<SignedInSession>, ServiceError> {
    let Some(mut record) = session
        .get::<SignedIn>(SIGNED_IN_KEY)
        .await
        .map_err(internal)?
    else {
        return Ok(None);
    };
    let now = clock.now_millis();
    let idle = now - record.last_seen_at > IDLE_TIMEOUT_MILLIS;
    let too_old = now - record.signed_in_at > ABSOLUTE_TIMEOUT_MILLIS;
    if idle || too_old {
        end(session).await?;
        return Ok(None);
    }
    let signed_in = SignedInSession {
        principal: record.principal.clone(),
        mfa_authenticated_at: record.mfa_authenticated_at,
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
