//! Queries on `workload_tokens`: the tokens each instance profile has issued, found by their
//! digest when an application presents one, and when each was last used.

use sqlx::{Any, Executor, FromRow};

use super::StoreError;

#[derive(Clone, Debug, FromRow)]
pub struct WorkloadTokenRow {
    pub token_id: String,
    pub account_id: String,
    pub instance_profile_id: String,
    pub token_hash: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub uses: i64,
}

const COLUMNS: &str =
    "token_id, account_id, instance_profile_id, token_hash, created_at, last_used_at, uses";

pub async fn insert<'c>(
    db: impl Executor<'c, Database = Any>,
    row: &WorkloadTokenRow,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO workload_tokens ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    ))
    .bind(&row.token_id)
    .bind(&row.account_id)
    .bind(&row.instance_profile_id)
    .bind(&row.token_hash)
    .bind(row.created_at)
    .bind(row.last_used_at)
    .bind(row.uses)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn find_by_hash<'c>(
    db: impl Executor<'c, Database = Any>,
    token_hash: &str,
) -> Result<Option<WorkloadTokenRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM workload_tokens WHERE token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(db)
    .await?)
}

/// The profile's tokens, oldest first.
pub async fn for_profile<'c>(
    db: impl Executor<'c, Database = Any>,
    instance_profile_id: &str,
) -> Result<Vec<WorkloadTokenRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM workload_tokens WHERE instance_profile_id = $1 \
         ORDER BY created_at, token_id"
    ))
    .bind(instance_profile_id)
    .fetch_all(db)
    .await?)
}

pub async fn count_for_profile<'c>(
    db: impl Executor<'c, Database = Any>,
    instance_profile_id: &str,
) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM workload_tokens WHERE instance_profile_id = $1")
            .bind(instance_profile_id)
            .fetch_one(db)
            .await?,
    )
}

/// Deletes the profile's token `token_id`; whether there was one.
pub async fn delete<'c>(
    db: impl Executor<'c, Database = Any>,
    instance_profile_id: &str,
    token_id: &str,
) -> Result<bool, StoreError> {
    let done =
        sqlx::query("DELETE FROM workload_tokens WHERE instance_profile_id = $1 AND token_id = $2")
            .bind(instance_profile_id)
            .bind(token_id)
            .execute(db)
            .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn delete_for_profile<'c>(
    db: impl Executor<'c, Database = Any>,
    instance_profile_id: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM workload_tokens WHERE instance_profile_id = $1")
        .bind(instance_profile_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Counts one use of the token at `now`.
pub async fn record_use<'c>(
    db: impl Executor<'c, Database = Any>,
    token_id: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE workload_tokens SET last_used_at = $2, uses = uses + 1 WHERE token_id = $1",
    )
    .bind(token_id)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}
