//! Queries on `password_policies`: one row per account that has set a policy.

use sqlx::{Any, Executor, FromRow};

use super::StoreError;
use crate::domain::password_policy::PasswordPolicy;

#[derive(FromRow)]
struct PolicyRow {
    minimum_password_length: i64,
    require_symbols: i64,
    require_numbers: i64,
    require_uppercase_characters: i64,
    require_lowercase_characters: i64,
    allow_users_to_change_password: i64,
    max_password_age: Option<i64>,
    password_reuse_prevention: Option<i64>,
    hard_expiry: i64,
}

pub async fn find<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
) -> Result<Option<PasswordPolicy>, StoreError> {
    let row: Option<PolicyRow> = sqlx::query_as(
        "SELECT minimum_password_length, require_symbols, require_numbers, require_uppercase_characters, \
         require_lowercase_characters, allow_users_to_change_password, max_password_age, password_reuse_prevention, \
         hard_expiry FROM password_policies WHERE account_id = $1",
    )
    .bind(account_id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| PasswordPolicy {
        minimum_password_length: r.minimum_password_length.clamp(0, 1024) as u32,
        require_symbols: r.require_symbols != 0,
        require_numbers: r.require_numbers != 0,
        require_uppercase_characters: r.require_uppercase_characters != 0,
        require_lowercase_characters: r.require_lowercase_characters != 0,
        allow_users_to_change_password: r.allow_users_to_change_password != 0,
        max_password_age: r.max_password_age.map(|v| v.clamp(0, 100_000) as u32),
        password_reuse_prevention: r.password_reuse_prevention.map(|v| v.clamp(0, 100) as u32),
        hard_expiry: r.hard_expiry != 0,
    }))
}

pub async fn upsert<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    policy: &PasswordPolicy,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO password_policies (account_id, minimum_password_length, require_symbols, require_numbers, \
         require_uppercase_characters, require_lowercase_characters, allow_users_to_change_password, max_password_age, \
         password_reuse_prevention, hard_expiry) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (account_id) DO UPDATE SET minimum_password_length = excluded.minimum_password_length, \
         require_symbols = excluded.require_symbols, require_numbers = excluded.require_numbers, \
         require_uppercase_characters = excluded.require_uppercase_characters, \
         require_lowercase_characters = excluded.require_lowercase_characters, \
         allow_users_to_change_password = excluded.allow_users_to_change_password, \
         max_password_age = excluded.max_password_age, password_reuse_prevention = excluded.password_reuse_prevention, \
         hard_expiry = excluded.hard_expiry",
    )
    .bind(account_id)
    .bind(i64::from(policy.minimum_password_length))
    .bind(i64::from(policy.require_symbols))
    .bind(i64::from(policy.require_numbers))
    .bind(i64::from(policy.require_uppercase_characters))
    .bind(i64::from(policy.require_lowercase_characters))
    .bind(i64::from(policy.allow_users_to_change_password))
    .bind(policy.max_password_age.map(i64::from))
    .bind(policy.password_reuse_prevention.map(i64::from))
    .bind(i64::from(policy.hard_expiry))
    .execute(db)
    .await?;
    Ok(())
}

pub async fn delete<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
) -> Result<bool, StoreError> {
    let result = sqlx::query("DELETE FROM password_policies WHERE account_id = $1")
        .bind(account_id)
        .execute(db)
        .await?;
    Ok(result.rows_affected() == 1)
}
