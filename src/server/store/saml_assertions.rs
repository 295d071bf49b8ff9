//! Queries on `saml_assertions_used`: the assertions the console's assertion consumer service
//! accepted, until they expire, so that each is accepted once.

use sqlx::{Any, Executor};

use super::StoreError;

/// Records `assertion_hash` as used until `expires_at`; `false` when it already was (the
/// primary key decides, so two instances racing on one assertion accept it once).
pub async fn claim<'c>(
    db: impl Executor<'c, Database = Any>,
    assertion_hash: &str,
    expires_at: i64,
) -> Result<bool, StoreError> {
    let inserted = sqlx::query(
        "INSERT INTO saml_assertions_used (assertion_hash, expires_at) VALUES ($1, $2) \
         ON CONFLICT (assertion_hash) DO NOTHING",
    )
    .bind(assertion_hash)
    .bind(expires_at)
    .execute(db)
    .await?;
    Ok(inserted.rows_affected() == 1)
}

/// Forgets assertions that expired before `now`: they can no longer be replayed.
pub async fn delete_expired<'c>(
    db: impl Executor<'c, Database = Any>,
    now: i64,
) -> Result<u64, StoreError> {
    Ok(
        sqlx::query("DELETE FROM saml_assertions_used WHERE expires_at < $1")
            .bind(now)
            .execute(db)
            .await?
            .rows_affected(),
    )
}
