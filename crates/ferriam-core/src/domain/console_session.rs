//! A console session as an administrator sees it.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleSession {
    /// A SHA-256 of the session ID: names the session, cannot be used as a cookie.
    pub id: String,
    pub signed_in_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    /// Sign-in included an MFA code.
    pub mfa: bool,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    /// The session the request asking came with.
    pub current: bool,
}
