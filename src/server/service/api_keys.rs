//! What the Query API's SigV4 check needs from the store: an active key's secret and the
//! principal it acts as, and the record of the key's use. This is authentication, not an IAM
//! operation: nothing here authorizes, and nothing here is audited as an action.

use crate::domain::{AccountId, Principal};
use crate::server::store::{access_keys as key_store, users};

use super::access_keys::signing_key;
use super::{Iam, ServiceError};

/// AWS records a key's last use at a coarse grain; so do we, to spare a write per request.
pub const USE_RECORD_INTERVAL_MILLIS: i64 = 15 * 60 * 1000;

/// An active key: the principal it signs as, and its secret for one signature check.
pub struct KeyIdentity {
    pub principal: Principal,
    /// SECURITY: used to verify one signature, then dropped (zeroized); never logged.
    pub secret: zeroize::Zeroizing<Vec<u8>>,
}

/// The identity behind an access key ID, or `None` when the key is unknown, inactive, or
/// belongs to a user that no longer exists.
pub async fn signing_identity(
    iam: &Iam,
    access_key_id: &str,
) -> Result<Option<KeyIdentity>, ServiceError> {
    let Some(key) = signing_key(iam, access_key_id).await? else {
        return Ok(None);
    };
    if !key.active {
        return Ok(None);
    }
    let account_id = AccountId::parse("AccountId", &key.account_id)
        .map_err(|_| ServiceError::Internal(format!("key {access_key_id} has a bad account")))?;
    let principal = if key.owner == "root" {
        Principal::root(account_id)
    } else {
        // SECURITY: a deleted user's keys are gone with it; should one remain, it is invalid.
        let Some(user) = users::find_by_id(iam.store().reader(), &key.owner)
            .await?
            .filter(|user| user.account_id == key.account_id)
        else {
            return Ok(None);
        };
        Principal::user(account_id, &user.user_id, &user.name, &user.path)
    };
    Ok(Some(KeyIdentity {
        principal,
        secret: key.secret,
    }))
}

/// Records that the key signed a request for `service` in `region`, at most once per
/// `USE_RECORD_INTERVAL_MILLIS`.
pub async fn record_key_use(
    iam: &Iam,
    access_key_id: &str,
    service: &str,
    region: &str,
) -> Result<(), ServiceError> {
    key_store::record_use(
        iam.store().writer(),
        access_key_id,
        iam.clock().now_millis(),
        service,
        region,
        USE_RECORD_INTERVAL_MILLIS,
    )
    .await?;
    Ok(())
}
