//! Queries on `users`.

use sqlx::{Any, Executor, FromRow};

use super::entity_table::{BoundedTable, EntityRow, Table};
use super::StoreError;

#[derive(Clone, Debug, FromRow)]
pub struct UserRow {
    pub user_id: String,
    pub account_id: String,
    pub name: String,
    pub path: String,
    pub permissions_boundary_arn: Option<String>,
    pub created_at: i64,
}

const COLUMNS: &str = "user_id, account_id, name, path, permissions_boundary_arn, created_at";

impl EntityRow for UserRow {
    fn id(&self) -> &str {
        &self.user_id
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn path(&self) -> &str {
        &self.path
    }
}

/// The `users` table, for the queries all entity tables share.
pub const TABLE: BoundedTable<UserRow> = BoundedTable(Table::new("users", "user_id", COLUMNS));

pub async fn insert<'c>(
    db: impl Executor<'c, Database = Any>,
    row: &UserRow,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO users (user_id, account_id, name, name_key, path, permissions_boundary_arn, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&row.user_id)
    .bind(&row.account_id)
    .bind(&row.name)
    .bind(row.name.to_ascii_lowercase())
    .bind(&row.path)
    .bind(&row.permissions_boundary_arn)
    .bind(row.created_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn count<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE account_id = $1")
            .bind(account_id)
            .fetch_one(db)
            .await?,
    )
}
