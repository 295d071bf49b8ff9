//! Queries on `sts_sessions`: temporary credentials and what they act as.

use sqlx::{Any, Executor, FromRow};

use super::StoreError;

#[derive(Clone, Debug, FromRow)]
pub struct StsSessionRow {
    pub access_key_id: String,
    pub account_id: String,
    pub sealed_secret: Vec<u8>,
    pub session_token_hash: String,
    pub principal: String,
    pub session_policy: Option<String>,
    /// AssumeRole's managed session policies: a JSON array of policy ARNs.
    pub session_policy_arns: Option<String>,
    pub mfa_authenticated_at: Option<i64>,
    pub created_at: i64,
    pub expires_at: i64,
    /// The long-term identity the credentials trace back to (see the 0008 migration).
    pub issuer: String,
    /// JSON of the session's tags, if it has any.
    pub session_tags: Option<String>,
}

/// Stores new credentials unless their issuer already holds `cap` live ones (expiring after
/// `now`); false when refused. INVARIANT: the count and the insert are one statement, so
/// concurrent issues cannot pass the cap together (SQLite runs one writer at a time;
/// PostgreSQL would need the issuer's rows locked or SERIALIZABLE for the same guarantee).
pub async fn insert_capped<'c>(
    db: impl Executor<'c, Database = Any>,
    row: &StsSessionRow,
    now: i64,
    cap: i64,
) -> Result<bool, StoreError> {
    let result = sqlx::query(
        "INSERT INTO sts_sessions (access_key_id, account_id, sealed_secret, session_token_hash, principal, \
         session_policy, session_policy_arns, mfa_authenticated_at, created_at, expires_at, issuer, session_tags) \
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $14 \
         WHERE (SELECT count(*) FROM sts_sessions WHERE issuer = $11 AND expires_at > $12) < $13",
    )
    .bind(&row.access_key_id)
    .bind(&row.account_id)
    .bind(&row.sealed_secret)
    .bind(&row.session_token_hash)
    .bind(&row.principal)
    .bind(&row.session_policy)
    .bind(&row.session_policy_arns)
    .bind(row.mfa_authenticated_at)
    .bind(row.created_at)
    .bind(row.expires_at)
    .bind(&row.issuer)
    .bind(now)
    .bind(cap)
    .bind(&row.session_tags)
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn find<'c>(
    db: impl Executor<'c, Database = Any>,
    access_key_id: &str,
) -> Result<Option<StsSessionRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT access_key_id, account_id, sealed_secret, session_token_hash, principal, session_policy, \
         session_policy_arns, mfa_authenticated_at, created_at, expires_at, issuer, session_tags FROM sts_sessions WHERE access_key_id = $1",
    )
    .bind(access_key_id)
    .fetch_optional(db)
    .await?)
}

/// Forgets credentials that expired before `before` (they could only ever answer ExpiredToken).
pub async fn delete_expired<'c>(
    db: impl Executor<'c, Database = Any>,
    before: i64,
) -> Result<u64, StoreError> {
    let result = sqlx::query("DELETE FROM sts_sessions WHERE expires_at < $1")
        .bind(before)
        .execute(db)
        .await?;
    Ok(result.rows_affected())
}
