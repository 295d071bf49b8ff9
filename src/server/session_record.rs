//! The stored console-session record's format: the key it is kept under, its fields, and the
//! hash that names a session. The HTTP session (`session`) writes and reads it, the session
//! store (`store::sessions`) indexes it by principal, and the service (`console_sessions`)
//! shows it to administrators, all through this one module.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tower_sessions::session::Id;

use crate::domain::session_tags::SessionTags;
use crate::domain::Principal;

use super::digest::sha256_hex;

/// The key the signed-in record is stored under in the session's data.
pub const SIGNED_IN_KEY: &str = "ferriam.signed_in";

/// The signed-in record, as stored.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignedIn {
    pub principal: Principal,
    /// Also what the session store indexes, to find a principal's sessions.
    pub arn: String,
    pub signed_in_at: i64,
    pub last_seen_at: i64,
    /// Set when sign-in included an MFA code: policies see `aws:MultiFactorAuthPresent`.
    #[serde(default)]
    pub mfa_authenticated_at: Option<i64>,
    /// Where sign-in came from, for the administrator's list of sessions.
    #[serde(default)]
    pub source_ip: Option<String>,
    #[serde(default)]
    pub user_agent: Option<String>,
    /// Set for a session opened through federation (a broker's sign-in token, or single
    /// sign-on): what else it acts with, and when it ends.
    #[serde(default)]
    pub federation: Option<ConsoleFederation>,
}

/// A console session of a role session or federated user: it acts with the session policies
/// and tags its credentials had, and ends at `expires_at` (AWS's duration for the kind of
/// session), whichever of that and the operator's limits comes first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleFederation {
    pub expires_at: i64,
    #[serde(default)]
    pub session_policy: Option<String>,
    #[serde(default)]
    pub session_policy_arns: Vec<String>,
    #[serde(default)]
    pub session_tags: SessionTags,
    /// Where the person came from (a broker's `Issuer`, a provider's sign-in): only ever shown as
    /// a link back.
    #[serde(default)]
    pub issuer: Option<String>,
}

/// What an administrator sees of a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionFacts {
    pub signed_in_at: i64,
    pub last_seen_at: i64,
    pub mfa: bool,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
}

/// The facts of a stored session record, when it is signed in.
pub fn facts_in(data: &HashMap<String, serde_json::Value>) -> Option<SessionFacts> {
    let record: SignedIn = serde_json::from_value(data.get(SIGNED_IN_KEY)?.clone()).ok()?;
    Some(SessionFacts {
        signed_in_at: record.signed_in_at,
        last_seen_at: record.last_seen_at,
        mfa: record.mfa_authenticated_at.is_some(),
        source_ip: record.source_ip,
        user_agent: record.user_agent,
    })
}

/// The principal ARN of a stored record, when it is signed in: the session store keeps it in
/// its own column.
pub fn principal_arn_in(data: &HashMap<String, serde_json::Value>) -> Option<String> {
    data.get(SIGNED_IN_KEY)?
        .get("arn")?
        .as_str()
        .map(str::to_string)
}

/// SECURITY: only a hash of the session ID is stored, so reading the table does not yield
/// usable cookies. The hash also names a session to administrators.
pub fn id_hash(id: &Id) -> String {
    sha256_hex(&id.0.to_le_bytes())
}
