//! The tower-sessions store over our database, so any instance can serve any session. Keeps
//! the signed-in principal's ARN in its own column so a principal's sessions can be found and
//! ended together.

use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use sqlx::{Any, Executor};

use super::{Store, StoreError};
use crate::server::session_record::{id_hash, principal_arn_in};

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    store: Store,
}

impl DbSessionStore {
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// Removes expired records; run periodically.
    pub async fn delete_expired(&self, now_millis: i64) -> Result<u64, sqlx::Error> {
        let result = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now_millis)
            .execute(self.store.writer())
            .await?;
        Ok(result.rows_affected())
    }
}

fn expires_at_millis(record: &Record) -> i64 {
    (record.expiry_date.unix_timestamp_nanos() / 1_000_000) as i64
}

fn encode(record: &Record) -> session_store::Result<Vec<u8>> {
    serde_json::to_vec(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))
}

fn backend(error: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

fn now_millis() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let data = encode(record)?;
        let principal = principal_arn_in(&record.data);
        // A 128-bit random ID colliding is practically impossible; still, never overwrite.
        loop {
            let result = sqlx::query(
                "INSERT INTO sessions (id_hash, data, expires_at, principal_arn) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (id_hash) DO NOTHING",
            )
            .bind(id_hash(&record.id))
            .bind(&data)
            .bind(expires_at_millis(record))
            .bind(principal.as_deref())
            .execute(self.store.writer())
            .await
            .map_err(backend)?;
            if result.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    // SECURITY: only updates. A session ended meanwhile (password change, sign-out elsewhere)
    // is not brought back by a request that was still running with it.
    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let principal = principal_arn_in(&record.data);
        sqlx::query(
            "UPDATE sessions SET data = $2, expires_at = $3, principal_arn = $4 WHERE id_hash = $1",
        )
        .bind(id_hash(&record.id))
        .bind(encode(record)?)
        .bind(expires_at_millis(record))
        .bind(principal.as_deref())
        .execute(self.store.writer())
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row: Option<(Vec<u8>, i64)> = sqlx::query_as(
            "SELECT data, expires_at FROM sessions WHERE id_hash = $1 AND expires_at > $2",
        )
        .bind(id_hash(id))
        .bind(now_millis())
        .fetch_optional(self.store.reader())
        .await
        .map_err(backend)?;
        let Some((data, expires_at)) = row else {
            return Ok(None);
        };
        let data = serde_json::from_slice(&data)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date =
            time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(expires_at) * 1_000_000)
                .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash(id))
            .execute(self.store.writer())
            .await
            .map_err(backend)?;
        Ok(())
    }
}

/// A principal's live session, as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SessionRow {
    pub id_hash: String,
    pub data: Vec<u8>,
    pub expires_at: i64,
}

pub async fn for_principal<'c>(
    db: impl Executor<'c, Database = Any>,
    principal_arn: &str,
    now_millis: i64,
) -> Result<Vec<SessionRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT id_hash, data, expires_at FROM sessions \
         WHERE principal_arn = $1 AND expires_at > $2 ORDER BY id_hash",
    )
    .bind(principal_arn)
    .bind(now_millis)
    .fetch_all(db)
    .await?)
}

/// Ends a principal's sessions, all or all but `keep` (an ID hash); returns how many.
pub async fn end_for_principal<'c>(
    db: impl Executor<'c, Database = Any>,
    principal_arn: &str,
    keep: Option<&str>,
) -> Result<u64, StoreError> {
    let result = sqlx::query("DELETE FROM sessions WHERE principal_arn = $1 AND id_hash <> $2")
        .bind(principal_arn)
        .bind(keep.unwrap_or_default())
        .execute(db)
        .await?;
    Ok(result.rows_affected())
}

/// Ends one session of a principal; false when it has no such session.
pub async fn end_one<'c>(
    db: impl Executor<'c, Database = Any>,
    principal_arn: &str,
    id_hash: &str,
) -> Result<bool, StoreError> {
    let result = sqlx::query("DELETE FROM sessions WHERE principal_arn = $1 AND id_hash = $2")
        .bind(principal_arn)
        .bind(id_hash)
        .execute(db)
        .await?;
    Ok(result.rows_affected() == 1)
}
