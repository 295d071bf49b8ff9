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

/// Which virtual devices a listing wants (AWS's `AssignmentStatus`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Assignment {
    Assigned,
    Unassigned,
    Any,
}

/// A listed virtual device with the name of the user it is assigned to (none for the root
/// user or while unassigned).
#[derive(Clone, Debug, FromRow)]
pub struct ListedDevice {
    pub serial_number: String,
    pub owner: String,
    pub enabled_at: Option<i64>,
    pub user_name: Option<String>,
}

/// One page of the account's virtual devices by serial number: at most `limit` devices with
/// the `assignment` wanted whose serial sorts after `after_serial` (exclusive). The filter is
/// in the query, so a page is full even when unwanted devices sit between wanted ones.
pub async fn list_page<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    assignment: Assignment,
    after_serial: Option<&str>,
    limit: i64,
) -> Result<Vec<ListedDevice>, StoreError> {
    let filter = match assignment {
        Assignment::Assigned => "AND d.owner <> $4",
        Assignment::Unassigned => "AND d.owner = $4",
        Assignment::Any => "",
    };
    let sql = format!(
        "SELECT d.serial_number, d.owner, d.enabled_at, u.name AS user_name FROM mfa_devices d \
         LEFT JOIN users u ON u.user_id = d.owner \
         WHERE d.account_id = $1 AND d.serial_number > $2 {filter} \
         ORDER BY d.serial_number LIMIT $3"
    );
    let query = sqlx::query_as(&sql)
        .bind(account_id)
        .bind(after_serial.unwrap_or(""))
        .bind(limit);
    let query = match assignment {
        Assignment::Any => query,
        Assignment::Assigned | Assignment::Unassigned => query.bind(UNASSIGNED),
    };
    Ok(query.fetch_all(db).await?)
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
