//! Queries on `access_keys`. The secret only ever leaves this module sealed.

use sqlx::{Any, Executor, FromRow};

use super::StoreError;

#[derive(Clone, Debug, FromRow)]
pub struct AccessKeyRow {
    pub access_key_id: String,
    pub account_id: String,
    pub owner: String,
    pub sealed_secret: Vec<u8>,
    pub status: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub last_used_service: Option<String>,
    pub last_used_region: Option<String>,
}

const COLUMNS: &str =
    "access_key_id, account_id, owner, sealed_secret, status, created_at, last_used_at, \
     last_used_service, last_used_region";

pub async fn insert<'c>(
    db: impl Executor<'c, Database = Any>,
    row: &AccessKeyRow,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO access_keys (access_key_id, account_id, owner, sealed_secret, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&row.access_key_id)
    .bind(&row.account_id)
    .bind(&row.owner)
    .bind(&row.sealed_secret)
    .bind(&row.status)
    .bind(row.created_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn find<'c>(
    db: impl Executor<'c, Database = Any>,
    access_key_id: &str,
) -> Result<Option<AccessKeyRow>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM access_keys WHERE access_key_id = $1");
    Ok(sqlx::query_as(&sql)
        .bind(access_key_id)
        .fetch_optional(db)
        .await?)
}

/// The keys of one owner (a user ID or 'root'), oldest first.
pub async fn for_owner<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    owner: &str,
) -> Result<Vec<AccessKeyRow>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM access_keys WHERE account_id = $1 AND owner = $2 ORDER BY created_at, access_key_id");
    Ok(sqlx::query_as(&sql)
        .bind(account_id)
        .bind(owner)
        .fetch_all(db)
        .await?)
}

pub async fn count_for_owner<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    owner: &str,
) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM access_keys WHERE account_id = $1 AND owner = $2")
            .bind(account_id)
            .bind(owner)
            .fetch_one(db)
            .await?,
    )
}

pub async fn set_status<'c>(
    db: impl Executor<'c, Database = Any>,
    access_key_id: &str,
    status: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE access_keys SET status = $2 WHERE access_key_id = $1")
        .bind(access_key_id)
        .bind(status)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn delete<'c>(
    db: impl Executor<'c, Database = Any>,
    access_key_id: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM access_keys WHERE access_key_id = $1")
        .bind(access_key_id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn delete_for_owner<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    owner: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM access_keys WHERE account_id = $1 AND owner = $2")
        .bind(account_id)
        .bind(owner)
        .execute(db)
        .await?;
    Ok(())
}

/// Records a use, at most once per `min_interval_millis` per key (so signing does not write on
/// every request).
pub async fn record_use<'c>(
    db: impl Executor<'c, Database = Any>,
    access_key_id: &str,
    at: i64,
    service: &str,
    region: &str,
    min_interval_millis: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE access_keys SET last_used_at = $2, last_used_service = $3, last_used_region = $4 \
         WHERE access_key_id = $1 AND (last_used_at IS NULL OR last_used_at <= $5)",
    )
    .bind(access_key_id)
    .bind(at)
    .bind(service)
    .bind(region)
    .bind(at - min_interval_millis)
    .execute(db)
    .await?;
    Ok(())
}
