//! Queries on `users`.

use sqlx::{Any, Executor, FromRow};

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
    let prefix_key = name_prefix.to_ascii_lowercase();
    // The range keeps the name index usable: [prefix, prefix + U+FFFF).
    let upper = format!("{prefix_key}\u{ffff}");
    let sql = format!(
        "SELECT {COLUMNS} FROM users WHERE account_id = $1 AND name_key >= $2 AND name_key < $3 \
         AND name_key > $4 AND substr(path, 1, length($5)) = $5 ORDER BY name_key LIMIT $6"
    );
    Ok(sqlx::query_as(&sql)
        .bind(account_id)
        .bind(&prefix_key)
        .bind(&upper)
        .bind(after_key.unwrap_or(""))
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
