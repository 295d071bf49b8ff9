//! Queries on `saml_providers`: the SAML 2.0 identity providers each account trusts, by name,
//! with what was read from their metadata (entity ID, signing certificates, expiry).

use sqlx::{Any, Executor, FromRow};

use super::StoreError;

#[derive(Clone, Debug, FromRow)]
pub struct SamlProviderRow {
    pub account_id: String,
    pub name: String,
    pub provider_uuid: String,
    pub metadata: String,
    pub entity_id: String,
    /// JSON array of base64 DER certificates.
    pub signing_certificates: String,
    pub valid_until: i64,
    pub created_at: i64,
}

/// What an assertion is checked against: the row without its (possibly large) document.
#[derive(Clone, Debug, FromRow)]
pub struct SamlTrustRow {
    pub account_id: String,
    pub name: String,
    pub entity_id: String,
    pub signing_certificates: String,
    pub valid_until: i64,
}

/// A listing's entry.
#[derive(Clone, Debug, FromRow)]
pub struct SamlProviderSummary {
    pub name: String,
    pub valid_until: i64,
    pub created_at: i64,
}

const COLUMNS: &str = "account_id, name, provider_uuid, metadata, entity_id, \
                       signing_certificates, valid_until, created_at";

pub async fn insert<'c>(
    db: impl Executor<'c, Database = Any>,
    row: &SamlProviderRow,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO saml_providers ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    ))
    .bind(&row.account_id)
    .bind(&row.name)
    .bind(&row.provider_uuid)
    .bind(&row.metadata)
    .bind(&row.entity_id)
    .bind(&row.signing_certificates)
    .bind(row.valid_until)
    .bind(row.created_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn find<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    name: &str,
) -> Result<Option<SamlProviderRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM saml_providers WHERE account_id = $1 AND name = $2"
    ))
    .bind(account_id)
    .bind(name)
    .fetch_optional(db)
    .await?)
}

pub async fn find_trust<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    name: &str,
) -> Result<Option<SamlTrustRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT account_id, name, entity_id, signing_certificates, valid_until \
         FROM saml_providers WHERE account_id = $1 AND name = $2",
    )
    .bind(account_id)
    .bind(name)
    .fetch_optional(db)
    .await?)
}

/// The account's providers, by name.
pub async fn list<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
) -> Result<Vec<SamlProviderSummary>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT name, valid_until, created_at FROM saml_providers \
         WHERE account_id = $1 ORDER BY name",
    )
    .bind(account_id)
    .fetch_all(db)
    .await?)
}

pub async fn count<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM saml_providers WHERE account_id = $1")
            .bind(account_id)
            .fetch_one(db)
            .await?,
    )
}

/// Replaces the metadata and what was read from it.
pub async fn set_metadata<'c>(
    db: impl Executor<'c, Database = Any>,
    row: &SamlProviderRow,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE saml_providers SET metadata = $1, entity_id = $2, signing_certificates = $3, \
         valid_until = $4 WHERE account_id = $5 AND name = $6",
    )
    .bind(&row.metadata)
    .bind(&row.entity_id)
    .bind(&row.signing_certificates)
    .bind(row.valid_until)
    .bind(&row.account_id)
    .bind(&row.name)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn delete<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    name: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM saml_providers WHERE account_id = $1 AND name = $2")
        .bind(account_id)
        .bind(name)
        .execute(db)
        .await?;
    Ok(())
}
