//! Queries on `mfa_devices`: virtual MFA devices, their sealed seeds, who they are assigned to
//! ('root', a user ID, or '' while unassigned) and their replay counters.

use sqlx::{Any, Executor, FromRow};

use super::StoreError;

#[derive(Clone, Debug, FromRow)]
pub struct MfaDeviceRow {
    pub account_id: String,
    pub serial_number: String,
    pub name: String,
    pub path: String,
    pub sealed_seed: Vec<u8>,
    pub owner: String,
    pub enabled_at: Option<i64>,
    pub last_used_step: i64,
    pub created_at: i64,
}

/// The `owner` of a device not assigned to anyone.
pub const UNASSIGNED: &str = "";

const COLUMNS: &str =
    "account_id, serial_number, name, path, sealed_seed, owner, enabled_at, last_used_step, created_at";

/// The device assigned to `owner` (each principal has at most one virtual device here).
pub async fn find_for_owner<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    owner: &str,
) -> Result<Option<MfaDeviceRow>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM mfa_devices WHERE account_id = $1 AND owner = $2 ORDER BY created_at LIMIT 1");
    Ok(sqlx::query_as(&sql)
        .bind(account_id)
        .bind(owner)
        .fetch_optional(db)
        .await?)
}

pub async fn find_by_serial<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    serial_number: &str,
) -> Result<Option<MfaDeviceRow>, StoreError> {
    let sql =
        format!("SELECT {COLUMNS} FROM mfa_devices WHERE account_id = $1 AND serial_number = $2");
    Ok(sqlx::query_as(&sql)
        .bind(account_id)
        .bind(serial_number)
        .fetch_optional(db)
        .await?)
}

/// The account's virtual devices, ordered by serial number.
pub async fn list<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
) -> Result<Vec<MfaDeviceRow>, StoreError> {
    let sql =
        format!("SELECT {COLUMNS} FROM mfa_devices WHERE account_id = $1 ORDER BY serial_number");
    Ok(sqlx::query_as(&sql).bind(account_id).fetch_all(db).await?)
}

pub async fn insert<'c>(
    db: impl Executor<'c, Database = Any>,
    row: &MfaDeviceRow,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO mfa_devices (account_id, serial_number, name, path, sealed_seed, owner, enabled_at, last_used_step, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&row.account_id)
    .bind(&row.serial_number)
    .bind(&row.name)
    .bind(&row.path)
    .bind(&row.sealed_seed)
    .bind(&row.owner)
    .bind(row.enabled_at)
    .bind(row.last_used_step)
    .bind(row.created_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn delete<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    serial_number: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM mfa_devices WHERE account_id = $1 AND serial_number = $2")
        .bind(account_id)
        .bind(serial_number)
        .execute(db)
        .await?;
    Ok(())
}

/// Assigns the device to `owner` and enables it.
pub async fn enable<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    serial_number: &str,
    owner: &str,
    enabled_at: i64,
    last_used_step: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE mfa_devices SET owner = $3, enabled_at = $4, last_used_step = $5 WHERE account_id = $1 AND serial_number = $2",
    )
    .bind(account_id)
    .bind(serial_number)
    .bind(owner)
    .bind(enabled_at)
    .bind(last_used_step)
    .execute(db)
    .await?;
    Ok(())
}

/// Unassigns and disables the device (it stays, as DeactivateMFADevice leaves it).
pub async fn deactivate<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    serial_number: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE mfa_devices SET owner = '', enabled_at = NULL WHERE account_id = $1 AND serial_number = $2")
        .bind(account_id)
        .bind(serial_number)
        .execute(db)
        .await?;
    Ok(())
}

/// Sets the replay counter after a resync.
pub async fn set_last_used_step<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    serial_number: &str,
    step: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE mfa_devices SET last_used_step = $3 WHERE account_id = $1 AND serial_number = $2",
    )
    .bind(account_id)
    .bind(serial_number)
    .bind(step)
    .execute(db)
    .await?;
    Ok(())
}

/// Records an accepted step. Returns false when another request already accepted this step or
/// a later one (the compare-and-set that makes replay impossible even under races).
pub async fn advance_last_used_step<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    serial_number: &str,
    step: i64,
) -> Result<bool, StoreError> {
    let result = sqlx::query(
        "UPDATE mfa_devices SET last_used_step = $3 WHERE account_id = $1 AND serial_number = $2 AND last_used_step < $3",
    )
    .bind(account_id)
    .bind(serial_number)
    .bind(step)
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Removes every device of one owner (a user being deleted).
pub async fn delete_for_owner<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    owner: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM mfa_devices WHERE account_id = $1 AND owner = $2")
        .bind(account_id)
        .bind(owner)
        .execute(db)
        .await?;
    Ok(())
}
