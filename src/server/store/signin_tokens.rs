//! Queries on `signin_tokens`: the federation endpoint's single-use sign-in tokens, by hash.

use sqlx::{Any, Executor};

use super::StoreError;

pub async fn insert<'c>(
    db: impl Executor<'c, Database = Any>,
    token_hash: &str,
    account_id: &str,
    session: &str,
    created_at: i64,
    expires_at: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO signin_tokens (token_hash, account_id, session, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(account_id)
    .bind(session)
    .bind(created_at)
    .bind(expires_at)
    .execute(db)
    .await?;
    Ok(())
}

/// Consumes the token: deletes it and returns its session, if it exists and is unexpired.
/// INVARIANT: one statement, so two requests with one token cannot both have it.
pub async fn take<'c>(
    db: impl Executor<'c, Database = Any>,
    token_hash: &str,
    now: i64,
) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "DELETE FROM signin_tokens WHERE token_hash = $1 AND expires_at > $2 RETURNING session",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db)
    .await?)
}

/// Forgets tokens that expired before `now`.
pub async fn delete_expired<'c>(
    db: impl Executor<'c, Database = Any>,
    now: i64,
) -> Result<u64, StoreError> {
    let result = sqlx::query("DELETE FROM signin_tokens WHERE expires_at <= $1")
        .bind(now)
        .execute(db)
        .await?;
    Ok(result.rows_affected())
}
