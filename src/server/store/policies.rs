//! Queries on `managed_policies` and `policy_versions`: customer managed policies and their
//! versions.

use sqlx::{Any, Executor, FromRow};

use super::StoreError;

#[derive(Clone, Debug, FromRow)]
pub struct PolicyRow {
    pub policy_id: String,
    pub account_id: String,
    pub name: String,
    pub path: String,
    pub arn: String,
    pub description: Option<String>,
    pub default_version_id: String,
    pub next_version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str =
    "policy_id, account_id, name, path, arn, description, default_version_id, next_version, created_at, updated_at";

#[derive(Clone, Debug, FromRow)]
pub struct VersionRow {
    pub version_id: String,
    pub document: String,
    pub created_at: i64,
}

pub async fn insert<'c>(
    db: impl Executor<'c, Database = Any>,
    row: &PolicyRow,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO managed_policies (policy_id, account_id, name, name_key, path, arn, description, \
         default_version_id, next_version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&row.policy_id)
    .bind(&row.account_id)
    .bind(&row.name)
    .bind(row.name.to_ascii_lowercase())
    .bind(&row.path)
    .bind(&row.arn)
    .bind(&row.description)
    .bind(&row.default_version_id)
    .bind(row.next_version)
    .bind(row.created_at)
    .bind(row.updated_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn find_by_arn<'c>(
    db: impl Executor<'c, Database = Any>,
    arn: &str,
) -> Result<Option<PolicyRow>, StoreError> {
    if super::never_stored(&[arn]) {
        return Ok(None);
    }
    let sql = format!("SELECT {COLUMNS} FROM managed_policies WHERE arn = $1");
    Ok(sqlx::query_as(&sql).bind(arn).fetch_optional(db).await?)
}

pub async fn find_by_name<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    name: &str,
) -> Result<Option<PolicyRow>, StoreError> {
    let sql =
        format!("SELECT {COLUMNS} FROM managed_policies WHERE account_id = $1 AND name_key = $2");
    Ok(sqlx::query_as(&sql)
        .bind(account_id)
        .bind(name.to_ascii_lowercase())
        .fetch_optional(db)
        .await?)
}

/// An account's customer managed policies ordered by name, after `after_key`.
pub async fn list_page<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    path_prefix: &str,
    after_key: Option<&str>,
    limit: i64,
) -> Result<Vec<PolicyRow>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM managed_policies WHERE account_id = $1 AND name_key > $2 \
         AND substr(path, 1, length($3)) = $3 ORDER BY name_key LIMIT $4"
    );
    Ok(sqlx::query_as(&sql)
        .bind(account_id)
        .bind(after_key.unwrap_or(""))
        .bind(path_prefix)
        .bind(limit)
        .fetch_all(db)
        .await?)
}

pub async fn delete<'c>(
    db: impl Executor<'c, Database = Any>,
    policy_id: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM managed_policies WHERE policy_id = $1")
        .bind(policy_id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn insert_version<'c>(
    db: impl Executor<'c, Database = Any>,
    policy_id: &str,
    version: &VersionRow,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO policy_versions (policy_id, version_id, document, created_at) VALUES ($1, $2, $3, $4)")
        .bind(policy_id)
        .bind(&version.version_id)
        .bind(&version.document)
        .bind(version.created_at)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn versions<'c>(
    db: impl Executor<'c, Database = Any>,
    policy_id: &str,
) -> Result<Vec<VersionRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT version_id, document, created_at FROM policy_versions WHERE policy_id = $1 ORDER BY created_at DESC, version_id DESC",
    )
    .bind(policy_id)
    .fetch_all(db)
    .await?)
}

pub async fn version<'c>(
    db: impl Executor<'c, Database = Any>,
    policy_id: &str,
    version_id: &str,
) -> Result<Option<VersionRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT version_id, document, created_at FROM policy_versions WHERE policy_id = $1 AND version_id = $2",
    )
    .bind(policy_id)
    .bind(version_id)
    .fetch_optional(db)
    .await?)
}

pub async fn delete_version<'c>(
    db: impl Executor<'c, Database = Any>,
    policy_id: &str,
    version_id: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM policy_versions WHERE policy_id = $1 AND version_id = $2")
        .bind(policy_id)
        .bind(version_id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn set_default_version<'c>(
    db: impl Executor<'c, Database = Any>,
    policy_id: &str,
    version_id: &str,
    updated_at: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE managed_policies SET default_version_id = $2, updated_at = $3 WHERE policy_id = $1",
    )
    .bind(policy_id)
    .bind(version_id)
    .bind(updated_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn bump_next_version<'c>(
    db: impl Executor<'c, Database = Any>,
    policy_id: &str,
    updated_at: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE managed_policies SET next_version = next_version + 1, updated_at = $2 WHERE policy_id = $1")
        .bind(policy_id)
        .bind(updated_at)
        .execute(db)
        .await?;
    Ok(())
}

/// The default-version documents of the given customer managed policies, as (arn, document).
pub async fn default_documents<'c>(
    db: impl Executor<'c, Database = Any>,
    arns: &[String],
) -> Result<Vec<(String, String)>, StoreError> {
    if arns.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=arns.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT p.arn, v.document FROM managed_policies p \
         JOIN policy_versions v ON v.policy_id = p.policy_id AND v.version_id = p.default_version_id \
         WHERE p.arn IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as(&sql);
    for arn in arns {
        query = query.bind(arn);
    }
    Ok(query.fetch_all(db).await?)
}

/// The default-version document of one customer managed policy.
pub async fn default_document<'c>(
    db: impl Executor<'c, Database = Any>,
    arn: &str,
) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT v.document FROM managed_policies p \
         JOIN policy_versions v ON v.policy_id = p.policy_id AND v.version_id = p.default_version_id WHERE p.arn = $1",
    )
    .bind(arn)
    .fetch_optional(db)
    .await?)
}
