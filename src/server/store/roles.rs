//! Queries on `roles`.

use sqlx::{Any, Executor, FromRow};

use super::name_range::name_key_range;
use super::StoreError;

#[derive(Clone, Debug, FromRow)]
pub struct RoleRow {
    pub role_id: String,
    pub account_id: String,
    pub name: String,
    pub path: String,
    pub description: Option<String>,
    pub max_session_duration: i64,
    pub assume_role_policy: String,
    pub permissions_boundary_arn: Option<String>,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub last_used_region: Option<String>,
}

const COLUMNS: &str =
    "role_id, account_id, name, path, description, max_session_duration, assume_role_policy, \
     permissions_boundary_arn, created_at, last_used_at, last_used_region";

pub async fn insert<'c>(
    db: impl Executor<'c, Database = Any>,
    row: &RoleRow,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO roles (role_id, account_id, name, name_key, path, description, max_session_duration, \
         assume_role_policy, permissions_boundary_arn, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&row.role_id)
    .bind(&row.account_id)
    .bind(&row.name)
    .bind(row.name.to_ascii_lowercase())
    .bind(&row.path)
    .bind(&row.description)
    .bind(row.max_session_duration)
    .bind(&row.assume_role_policy)
    .bind(&row.permissions_boundary_arn)
    .bind(row.created_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn find_by_name<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    name: &str,
) -> Result<Option<RoleRow>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM roles WHERE account_id = $1 AND name_key = $2");
    Ok(sqlx::query_as(&sql)
        .bind(account_id)
        .bind(name.to_ascii_lowercase())
        .fetch_optional(db)
        .await?)
}

pub async fn find_by_id<'c>(
    db: impl Executor<'c, Database = Any>,
    role_id: &str,
) -> Result<Option<RoleRow>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM roles WHERE role_id = $1");
    Ok(sqlx::query_as(&sql)
        .bind(role_id)
        .fetch_optional(db)
        .await?)
}

/// One page of roles ordered by name ignoring case.
pub async fn list_page<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    path_prefix: &str,
    name_prefix: &str,
    after_key: Option<&str>,
    limit: i64,
) -> Result<Vec<RoleRow>, StoreError> {
    let (lower, upper) = name_key_range(name_prefix, after_key);
    // One lower bound, computed here: with two, SQLite cannot tell which is tighter and
    // walks the index from the start.
    let sql = format!(
        "SELECT {COLUMNS} FROM roles WHERE account_id = $1 AND name_key > $2 AND name_key < $3 \
         AND substr(path, 1, length($4)) = $4 ORDER BY name_key LIMIT $5"
    );
    Ok(sqlx::query_as(&sql)
        .bind(account_id)
        .bind(lower)
        .bind(upper)
        .bind(path_prefix)
        .bind(limit)
        .fetch_all(db)
        .await?)
}

pub async fn update_settings<'c>(
    db: impl Executor<'c, Database = Any>,
    role_id: &str,
    description: Option<&str>,
    max_session_duration: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE roles SET description = $2, max_session_duration = $3 WHERE role_id = $1")
        .bind(role_id)
        .bind(description)
        .bind(max_session_duration)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn set_assume_role_policy<'c>(
    db: impl Executor<'c, Database = Any>,
    role_id: &str,
    document: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE roles SET assume_role_policy = $2 WHERE role_id = $1")
        .bind(role_id)
        .bind(document)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn set_permissions_boundary<'c>(
    db: impl Executor<'c, Database = Any>,
    role_id: &str,
    boundary_arn: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE roles SET permissions_boundary_arn = $2 WHERE role_id = $1")
        .bind(role_id)
        .bind(boundary_arn)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn delete<'c>(
    db: impl Executor<'c, Database = Any>,
    role_id: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM roles WHERE role_id = $1")
        .bind(role_id)
        .execute(db)
        .await?;
    Ok(())
}

/// For every policy used as a permissions boundary in the account: by how many users and roles.
pub async fn boundary_counts_by_policy<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
) -> Result<Vec<(String, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT arn, COUNT(*) FROM (SELECT permissions_boundary_arn AS arn FROM users WHERE account_id = $1 \
         AND permissions_boundary_arn IS NOT NULL UNION ALL SELECT permissions_boundary_arn AS arn FROM roles \
         WHERE account_id = $1 AND permissions_boundary_arn IS NOT NULL) GROUP BY arn",
    )
    .bind(account_id)
    .fetch_all(db)
    .await?)
}

/// The roles of the account that use `policy_arn` as their permissions boundary.
pub async fn with_boundary<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    policy_arn: &str,
) -> Result<Vec<RoleRow>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM roles WHERE account_id = $1 AND permissions_boundary_arn = $2"
    );
    Ok(sqlx::query_as(&sql)
        .bind(account_id)
        .bind(policy_arn)
        .fetch_all(db)
        .await?)
}

/// How many users and roles of the account use `policy_arn` as their permissions boundary.
pub async fn boundary_usage_count<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    policy_arn: &str,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM users WHERE account_id = $1 AND permissions_boundary_arn = $2) \
         + (SELECT COUNT(*) FROM roles WHERE account_id = $1 AND permissions_boundary_arn = $2)",
    )
    .bind(account_id)
    .bind(policy_arn)
    .fetch_one(db)
    .await?)
}
