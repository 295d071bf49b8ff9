//! Queries on `roles`.

use sqlx::{Any, Executor, FromRow};

use super::entity_table::{BoundedTable, EntityRow, Table};
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

impl EntityRow for RoleRow {
    fn id(&self) -> &str {
        &self.role_id
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn path(&self) -> &str {
        &self.path
    }
}

/// The `roles` table, for the queries all entity tables share.
pub const TABLE: BoundedTable<RoleRow> = BoundedTable(Table::new("roles", "role_id", COLUMNS));

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

/// For every policy used as a permissions boundary in the account: by how many users and roles.
pub async fn boundary_counts_by_policy<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
) -> Result<Vec<(String, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT arn, COUNT(*) FROM (SELECT permissions_boundary_arn AS arn FROM users WHERE account_id = $1 \
         AND permissions_boundary_arn IS NOT NULL UNION ALL SELECT permissions_boundary_arn AS arn FROM roles \
         WHERE account_id = $1 AND permissions_boundary_arn IS NOT NULL) AS bounded GROUP BY arn",
    )
    .bind(account_id)
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

/// Records that a session of the role made a request at `now` in `region`, unless a use within
/// `interval_millis` before it is already recorded (by any instance).
pub async fn record_use<'c>(
    db: impl Executor<'c, Database = Any>,
    role_id: &str,
    now: i64,
    region: &str,
    interval_millis: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE roles SET last_used_at = $2, last_used_region = $3 \
         WHERE role_id = $1 AND (last_used_at IS NULL OR last_used_at <= $4)",
    )
    .bind(role_id)
    .bind(now)
    .bind(region)
    .bind(now - interval_millis)
    .execute(db)
    .await?;
    Ok(())
}
