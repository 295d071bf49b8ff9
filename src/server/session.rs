//! The console session: who is signed in, since when, and the idle (30 min) and absolute
//! (12 h) limits. tower-sessions carries the record; this module owns what is in it.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::domain::Principal;

use super::clock::Clock;
use super::service::signin::PendingMfa;
use super::service::ServiceError;

const SIGNED_IN_KEY: &str = "ferriam.signed_in";
const PENDING_MFA_KEY: &str = "ferriam.pending_mfa";

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
/// sign-in state.
pub async fn establish(
    session: &Session,
    clock: &Clock,
    principal: Principal,
) -> Result<(), ServiceError> {
    session.cycle_id().await.map_err(internal)?;
    session
        .remove_value(PENDING_MFA_KEY)
        .await
        .map_err(internal)?;
    let now = clock.now_millis();
    let record = SignedIn {
        arn: principal.arn(),
        principal,
        signed_in_at: now,
        last_seen_at: now,
    };
    session
        .insert(SIGNED_IN_KEY, record)
        .await
        .map_err(internal)
}

/// The signed-in principal, or `None` when signed out or past a time limit (the session is
/// then ended).
pub async fn current(session: &Session, clock: &Clock) -> Result<Option<Principal>, ServiceError> {
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
    if now - record.last_seen_at > TOUCH_INTERVAL_MILLIS {
        record.last_seen_at = now;
        let principal = record.principal.clone();
        session
            .insert(SIGNED_IN_KEY, record)
            .await
            .map_err(internal)?;
        return Ok(Some(principal));
    }
    Ok(Some(record.principal))
}

/// Signs out: deletes the record server-side and expires the cookie.
pub async fn end(session: &Session) -> Result<(), ServiceError> {
    session.flush().await.map_err(internal)
}

pub async fn set_pending_mfa(session: &Session, pending: PendingMfa) -> Result<(), ServiceError> {
    session.cycle_id().await.map_err(internal)?;
    session
        .insert(PENDING_MFA_KEY, pending)
        .await
        .map_err(internal)
}

pub async fn pending_mfa(session: &Session) -> Result<Option<PendingMfa>, ServiceError> {
    session.get(PENDING_MFA_KEY).await.map_err(internal)
}
