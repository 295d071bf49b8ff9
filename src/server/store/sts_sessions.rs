//! Queries on `sts_sessions`: temporary credentials and what they act as.

use std::collections::HashMap;

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

const INSERT_COLUMNS: &str = "access_key_id, account_id, sealed_secret, session_token_hash, \
     principal, session_policy, session_policy_arns, mfa_authenticated_at, created_at, \
     expires_at, issuer, session_tags";
/// Rows per INSERT statement (12 parameters each: well under both databases' limits).
const ROWS_PER_INSERT: usize = 64;

/// How many live credentials (expiring after `now`) each of `issuers` holds; an issuer with none
/// is absent. Read inside the transaction that then inserts (`insert_all`), so the count and the
/// inserts are one unit for the one writer that issues credentials (`session_writer`).
pub async fn live_counts<'c>(
    db: impl Executor<'c, Database = Any>,
    issuers: &[&str],
    now: i64,
) -> Result<HashMap<String, i64>, StoreError> {
    if issuers.is_empty() {
        return Ok(HashMap::new());
    }
    let placeholders: Vec<String> = (0..issuers.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!(
        "SELECT issuer, count(*) FROM sts_sessions WHERE expires_at > $1 AND issuer IN ({}) \
         GROUP BY issuer",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as::<_, (String, i64)>(&sql).bind(now);
    for issuer in issuers {
        query = query.bind(*issuer);
    }
    Ok(query.fetch_all(db).await?.into_iter().collect())
}

/// Stores `rows`, in as few statements as the parameter limits allow.
pub async fn insert_all(
    conn: &mut sqlx::AnyConnection,
    rows: &[&StsSessionRow],
) -> Result<(), StoreError> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let values: Vec<String> = (0..chunk.len())
            .map(|r| {
                let first = r * 12 + 1;
                let params: Vec<String> = (first..first + 12).map(|p| format!("${p}")).collect();
                format!("({})", params.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO sts_sessions ({INSERT_COLUMNS}) VALUES {}",
            values.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for row in chunk {
            query = query
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
                .bind(&row.session_tags);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
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
