//! Queries on `oidc_providers`: the OpenID Connect providers each account trusts, keyed by the
//! issuer URL without its scheme.

use sqlx::{Any, Executor, FromRow};

use super::StoreError;

#[derive(Clone, Debug, FromRow)]
pub struct OidcProviderRow {
    pub account_id: String,
    pub host_path: String,
    pub scheme: String,
    /// JSON array of strings.
    pub client_ids: String,
    /// JSON array of lower-case hex SHA-1 thumbprints.
    pub thumbprints: String,
    pub created_at: i64,
}

impl OidcProviderRow {
    /// The issuer its tokens name: `https://host/path`.
    pub fn issuer(&self) -> String {
        format!("{}://{}", self.scheme, self.host_path)
    }

    pub fn client_id_list(&self) -> Result<Vec<String>, StoreError> {
        json_list(&self.client_ids)
    }

    pub fn thumbprint_list(&self) -> Result<Vec<String>, StoreError> {
        json_list(&self.thumbprints)
    }
}

fn json_list(text: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("oidc_providers: {e}")))
}

pub fn to_json(list: &[String]) -> String {
    serde_json::Value::from(list.to_vec()).to_string()
}

const COLUMNS: &str = "account_id, host_path, scheme, client_ids, thumbprints, created_at";

pub async fn insert<'c>(
    db: impl Executor<'c, Database = Any>,
    row: &OidcProviderRow,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO oidc_providers ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)"
    ))
    .bind(&row.account_id)
    .bind(&row.host_path)
    .bind(&row.scheme)
    .bind(&row.client_ids)
    .bind(&row.thumbprints)
    .bind(row.created_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn find<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    host_path: &str,
) -> Result<Option<OidcProviderRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM oidc_providers WHERE account_id = $1 AND host_path = $2"
    ))
    .bind(account_id)
    .bind(host_path)
    .fetch_optional(db)
    .await?)
}

/// The account's providers, by URL.
pub async fn list<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
) -> Result<Vec<OidcProviderRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM oidc_providers WHERE account_id = $1 ORDER BY host_path"
    ))
    .bind(account_id)
    .fetch_all(db)
    .await?)
}

pub async fn count<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM oidc_providers WHERE account_id = $1")
            .bind(account_id)
            .fetch_one(db)
            .await?,
    )
}

pub async fn set_client_ids<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    host_path: &str,
    client_ids: &[String],
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE oidc_providers SET client_ids = $1 WHERE account_id = $2 AND host_path = $3",
    )
    .bind(to_json(client_ids))
    .bind(account_id)
    .bind(host_path)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn set_thumbprints<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    host_path: &str,
    thumbprints: &[String],
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE oidc_providers SET thumbprints = $1 WHERE account_id = $2 AND host_path = $3",
    )
    .bind(to_json(thumbprints))
    .bind(account_id)
    .bind(host_path)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn delete<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    host_path: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM oidc_providers WHERE account_id = $1 AND host_path = $2")
        .bind(account_id)
        .bind(host_path)
        .execute(db)
        .await?;
    Ok(())
}
