//! Queries on `accounts`: the account and its root user's sign-in data.

use sqlx::{Any, Executor, FromRow};

use super::StoreError;

#[derive(Clone, Debug, FromRow)]
pub struct AccountRow {
    pub account_id: String,
    pub alias: Option<String>,
    pub root_email: String,
    pub root_password_hash: String,
    pub created_at: i64,
}

const COLUMNS: &str = "account_id, alias, root_email, root_password_hash, created_at";

pub struct NewAccountRow<'a> {
    pub account_id: &'a str,
    pub alias: Option<&'a str>,
    pub root_email: &'a str,
    pub root_email_key: &'a str,
    pub root_password_hash: &'a str,
    pub created_at: i64,
}

pub async fn insert<'c>(
    db: impl Executor<'c, Database = Any>,
    row: &NewAccountRow<'_>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO accounts (account_id, alias, root_email, root_email_key, root_password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(row.account_id)
    .bind(row.alias)
    .bind(row.root_email)
    .bind(row.root_email_key)
    .bind(row.root_password_hash)
    .bind(row.created_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn count<'c>(db: impl Executor<'c, Database = Any>) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
        .fetch_one(db)
        .await?)
}

pub async fn find_by_id<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
) -> Result<Option<AccountRow>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM accounts WHERE account_id = $1");
    Ok(sqlx::query_as(&sql)
        .bind(account_id)
        .fetch_optional(db)
        .await?)
}

pub async fn find_by_email_key<'c>(
    db: impl Executor<'c, Database = Any>,
    email_key: &str,
) -> Result<Option<AccountRow>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM accounts WHERE root_email_key = $1");
    Ok(sqlx::query_as(&sql)
        .bind(email_key)
        .fetch_optional(db)
        .await?)
}

pub async fn exists_with_alias<'c>(
    db: impl Executor<'c, Database = Any>,
    alias: &str,
) -> Result<bool, StoreError> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM accounts WHERE alias = $1")
        .bind(alias)
        .fetch_optional(db)
        .await?;
    Ok(found.is_some())
}

/// Marks every cached policy set of the account stale (see `authz_generation`).
pub async fn bump_authz_generation<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE accounts SET authz_generation = authz_generation + 1 WHERE account_id = $1",
    )
    .bind(account_id)
    .execute(db)
    .await?;
    Ok(())
}

/// The account's generation and whether `user_id` is one of its users, in one read.
pub async fn generation_and_user<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    user_id: &str,
) -> Result<(i64, bool), StoreError> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT authz_generation, \
         (SELECT COUNT(*) FROM users WHERE user_id = $2 AND account_id = $1) \
         FROM accounts WHERE account_id = $1",
    )
    .bind(account_id)
    .bind(user_id)
    .fetch_optional(db)
    .await?;
    Ok(row.map_or((0, false), |(generation, users)| (generation, users > 0)))
}

pub async fn authz_generation<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar("SELECT authz_generation FROM accounts WHERE account_id = $1")
            .bind(account_id)
            .fetch_optional(db)
            .await?
            .unwrap_or(0),
    )
}

pub async fn find_by_alias<'c>(
    db: impl Executor<'c, Database = Any>,
    alias: &str,
) -> Result<Option<AccountRow>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM accounts WHERE alias = $1");
    Ok(sqlx::query_as(&sql).bind(alias).fetch_optional(db).await?)
}

/// The account a sign-in page names: its 12-digit ID or its alias (either in any case, with
/// spaces around).
pub async fn find_by_reference<'c>(
    db: impl Executor<'c, Database = Any>,
    reference: &str,
) -> Result<Option<AccountRow>, StoreError> {
    let reference = reference.trim().to_ascii_lowercase();
    if reference.len() == 12 && reference.bytes().all(|b| b.is_ascii_digit()) {
        find_by_id(db, &reference).await
    } else {
        find_by_alias(db, &reference).await
    }
}

/// Sets or clears the account alias. The UNIQUE index makes a taken alias fail.
pub async fn set_alias<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    alias: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE accounts SET alias = $2 WHERE account_id = $1")
        .bind(account_id)
        .bind(alias)
        .execute(db)
        .await?;
    Ok(())
}
