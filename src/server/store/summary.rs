//! Counts for `GetAccountSummary`, in one query.

use sqlx::{Any, Executor, FromRow};

use super::StoreError;

#[derive(Clone, Debug, Default, FromRow, PartialEq, Eq)]
pub struct AccountCounts {
    pub users: i64,
    pub groups: i64,
    pub roles: i64,
    pub policies: i64,
    pub policy_versions: i64,
    pub mfa_devices: i64,
    pub mfa_devices_in_use: i64,
    pub root_mfa_enabled: i64,
    pub root_access_keys: i64,
    pub instance_profiles: i64,
}

pub async fn account_counts<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
) -> Result<AccountCounts, StoreError> {
    Ok(sqlx::query_as(
        "SELECT \
           (SELECT COUNT(*) FROM users WHERE account_id = $1) AS users, \
           (SELECT COUNT(*) FROM groups WHERE account_id = $1) AS groups, \
           (SELECT COUNT(*) FROM roles WHERE account_id = $1) AS roles, \
           (SELECT COUNT(*) FROM managed_policies WHERE account_id = $1) AS policies, \
           (SELECT COUNT(*) FROM policy_versions v JOIN managed_policies p \
              ON p.policy_id = v.policy_id WHERE p.account_id = $1) AS policy_versions, \
           (SELECT COUNT(*) FROM mfa_devices WHERE account_id = $1) AS mfa_devices, \
           (SELECT COUNT(*) FROM mfa_devices WHERE account_id = $1 \
              AND enabled_at IS NOT NULL) AS mfa_devices_in_use, \
           (SELECT COUNT(*) FROM mfa_devices WHERE account_id = $1 AND owner = 'root' \
              AND enabled_at IS NOT NULL) AS root_mfa_enabled, \
           (SELECT COUNT(*) FROM access_keys WHERE account_id = $1 AND owner = 'root') \
              AS root_access_keys, \
           (SELECT COUNT(*) FROM instance_profiles WHERE account_id = $1) AS instance_profiles",
    )
    .bind(account_id)
    .fetch_one(db)
    .await?)
}
