//! What the credentials panels show, as plain data shared by the server and the browser.

use serde::{Deserialize, Serialize};

/// One access key without its secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessKeyView {
    pub access_key_id: String,
    pub status: String,
    pub create_date: i64,
    /// Whole days since creation, by the server's clock.
    pub age_days: i64,
    pub last_used: Option<LastUse>,
}

/// AWS flags keys older than this in the console.
pub const OLD_KEY_DAYS: i64 = 90;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastUse {
    pub date: i64,
    pub service: Option<String>,
    pub region: Option<String>,
}

/// A key just created: the only answer that ever carries its secret.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedAccessKey {
    pub access_key_id: String,
    pub secret_access_key: String,
}

/// SECURITY: `{:?}` shows no secret, so none can reach a log by accident.
impl std::fmt::Debug for CreatedAccessKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedAccessKey")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .finish()
    }
}

/// A user's console password, when it has one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginProfileView {
    pub create_date: i64,
    pub password_reset_required: bool,
}

/// A user's enabled MFA device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MfaDeviceView {
    pub serial_number: String,
    pub enable_date: Option<i64>,
}

/// What the "change your password" panel needs to know.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnPasswordInfo {
    /// The account policy allows it, or the user's policies grant `iam:ChangePassword`.
    pub may_change: bool,
}
