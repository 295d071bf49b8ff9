//! Queries on `users`.

use sqlx::{Any, Executor, FromRow};

use super::name_range::name_key_range;
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

pub async fn find_by_name<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    name: &str,
) -> Result<Option<UserRow>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE account_id = $1 AND name_key = $2");
    Ok(sqlx::query_as(&sql)
        .bind(account_id)
        .bind(name.to_ascii_lowercase())
        .fetch_optional(db)
        .await?)
}

pub async fn find_by_id<'c>(
    db: impl Executor<'c, Database = Any>,
    user_id: &str,
) -> Result<Option<UserRow>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE user_id = $1");
    Ok(sqlx::query_as(&sql)
        .bind(user_id)
        .fetch_optional(db)
        .await?)
}

/// One page of users ordered by name ignoring case, after `after_key` (exclusive), whose name
/// starts with `name_prefix` (ignoring case) and whose path starts with `path_prefix`.
pub async fn list_page<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    path_prefix: &str,
    name_prefix: &str,
    after_key: Option<&str>,
    limit: i64,
) -> Result<Vec<UserRow>, StoreError> {
    let (lower, upper) = name_key_range(name_prefix, after_key);
    // One lower bound, computed here: with two, SQLite cannot tell which is tighter and
    // walks the index from the start.
    let sql = format!(
        "SELECT {COLUMNS} FROM users WHERE account_id = $1 AND name_key > $2 AND name_key < $3 \
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

pub async fn rename<'c>(
    db: impl Executor<'c, Database = Any>,
    user_id: &str,
    name: &str,
    path: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET name = $2, name_key = $3, path = $4 WHERE user_id = $1")
        .bind(user_id)
        .bind(name)
        .bind(name.to_ascii_lowercase())
        .bind(path)
        .execute(db)
        .await?;
    Ok(())
}

/// The users of the account that use `policy_arn` as their permissions boundary.
pub async fn with_boundary<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    policy_arn: &str,
) -> Result<Vec<UserRow>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM users WHERE account_id = $1 AND permissions_boundary_arn = $2"
    );
    Ok(sqlx::query_as(&sql)
        .bind(account_id)
        .bind(policy_arn)
        .fetch_all(db)
        .await?)
}

pub async fn set_permissions_boundary<'c>(
    db: impl Executor<'c, Database = Any>,
    user_id: &str,
    boundary_arn: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET permissions_boundary_arn = $2 WHERE user_id = $1")
        .bind(user_id)
        .bind(boundary_arn)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn delete<'c>(
    db: impl Executor<'c, Database = Any>,
    user_id: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM users WHERE user_id = $1")
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(())
}
