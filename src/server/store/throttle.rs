//! Queries on `signin_throttle` (guessing counters, keyed by a hash) and
//! `signin_known_sources` (where a principal signed in from with a correct password).

use sqlx::{Any, Executor, FromRow};

use super::StoreError;
use crate::domain::throttle::Counter;

#[derive(Clone, Debug, FromRow)]
struct CounterRow {
    consecutive_failures: i64,
    window_started_at: i64,
    window_failures: i64,
    locked_until: i64,
}

pub async fn find<'c>(
    db: impl Executor<'c, Database = Any>,
    key_hash: &str,
) -> Result<Option<Counter>, StoreError> {
    let row: Option<CounterRow> = sqlx::query_as(
        "SELECT consecutive_failures, window_started_at, window_failures, locked_until \
         FROM signin_throttle WHERE key_hash = $1",
    )
    .bind(key_hash)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Counter {
        consecutive_failures: r.consecutive_failures,
        window_started_at: r.window_started_at,
        window_failures: r.window_failures,
        locked_until: r.locked_until,
    }))
}

pub async fn save<'c>(
    db: impl Executor<'c, Database = Any>,
    key_hash: &str,
    counter: &Counter,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO signin_throttle (key_hash, consecutive_failures, window_started_at, \
         window_failures, locked_until, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (key_hash) DO UPDATE SET consecutive_failures = excluded.consecutive_failures, \
         window_started_at = excluded.window_started_at, window_failures = excluded.window_failures, \
         locked_until = excluded.locked_until, updated_at = excluded.updated_at",
    )
    .bind(key_hash)
    .bind(counter.consecutive_failures)
    .bind(counter.window_started_at)
    .bind(counter.window_failures)
    .bind(counter.locked_until)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn delete<'c>(
    db: impl Executor<'c, Database = Any>,
    key_hash: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM signin_throttle WHERE key_hash = $1")
        .bind(key_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// Drops counters untouched since `before` (their windows and locks are long over).
pub async fn delete_stale<'c>(
    db: impl Executor<'c, Database = Any>,
    before: i64,
) -> Result<u64, StoreError> {
    let result = sqlx::query("DELETE FROM signin_throttle WHERE updated_at < $1")
        .bind(before)
        .execute(db)
        .await?;
    Ok(result.rows_affected())
}

/// When the principal last signed in with a correct password from `source_hash` (an address
/// or a browser's device), if ever.
pub async fn last_success<'c>(
    db: impl Executor<'c, Database = Any>,
    principal_hash: &str,
    source_hash: &str,
) -> Result<Option<i64>, StoreError> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT last_success_at FROM signin_known_sources \
         WHERE principal_hash = $1 AND source_hash = $2",
    )
    .bind(principal_hash)
    .bind(source_hash)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(at,)| at))
}

pub async fn remember_source<'c>(
    db: impl Executor<'c, Database = Any>,
    principal_hash: &str,
    source_hash: &str,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO signin_known_sources (principal_hash, source_hash, last_success_at) \
         VALUES ($1, $2, $3) ON CONFLICT (principal_hash, source_hash) \
         DO UPDATE SET last_success_at = excluded.last_success_at",
    )
    .bind(principal_hash)
    .bind(source_hash)
    .bind(now)
    .execute(db)
    .await?;
    Ok(())
}

/// Forgets the addresses and browsers whose last correct password is older than `before`.
pub async fn forget_sources<'c>(
    db: impl Executor<'c, Database = Any>,
    before: i64,
) -> Result<u64, StoreError> {
    let result = sqlx::query("DELETE FROM signin_known_sources WHERE last_success_at < $1")
        .bind(before)
        .execute(db)
        .await?;
    Ok(result.rows_affected())
}
