//! Queries on `login_profiles` (console passwords of IAM users) and `password_history`.

use sqlx::{Any, Executor, FromRow};

use super::StoreError;

#[derive(Clone, Debug, FromRow)]
pub struct LoginProfileRow {
    pub user_id: String,
    pub password_hash: String,
    pub password_reset_required: i64,
    pub password_set_at: i64,
    pub created_at: i64,
    pub password_last_used: Option<i64>,
}

const COLUMNS: &str = "user_id, password_hash, password_reset_required, password_set_at, created_at, password_last_used";

pub async fn find<'c>(
    db: impl Executor<'c, Database = Any>,
    user_id: &str,
) -> Result<Option<LoginProfileRow>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM login_profiles WHERE user_id = $1");
    Ok(sqlx::query_as(&sql)
        .bind(user_id)
        .fetch_optional(db)
        .await?)
}

pub async fn insert<'c>(
    db: impl Executor<'c, Database = Any>,
    row: &LoginProfileRow,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO login_profiles (user_id, password_hash, password_reset_required, password_set_at, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&row.user_id)
    .bind(&row.password_hash)
    .bind(row.password_reset_required)
    .bind(row.password_set_at)
    .bind(row.created_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn set_password<'c>(
    db: impl Executor<'c, Database = Any>,
    user_id: &str,
    password_hash: &str,
    reset_required: bool,
    set_at: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE login_profiles SET password_hash = $2, password_reset_required = $3, password_set_at = $4 WHERE user_id = $1",
    )
    .bind(user_id)
    .bind(password_hash)
    .bind(i64::from(reset_required))
    .bind(set_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn set_reset_required<'c>(
    db: impl Executor<'c, Database = Any>,
    user_id: &str,
    reset_required: bool,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE login_profiles SET password_reset_required = $2 WHERE user_id = $1")
        .bind(user_id)
        .bind(i64::from(reset_required))
        .execute(db)
        .await?;
    Ok(())
}

/// When each of `user_ids` last signed in with its password, for those that ever did.
pub async fn password_last_used<'c>(
    db: impl Executor<'c, Database = Any>,
    user_ids: &[String],
) -> Result<std::collections::HashMap<String, i64>, StoreError> {
    if user_ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let placeholders: Vec<String> = (1..=user_ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT user_id, password_last_used FROM login_profiles \
         WHERE password_last_used IS NOT NULL AND user_id IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as::<_, (String, i64)>(&sql);
    for user_id in user_ids {
        query = query.bind(user_id);
    }
    Ok(query.fetch_all(db).await?.into_iter().collect())
}

pub async fn record_use<'c>(
    db: impl Executor<'c, Database = Any>,
    user_id: &str,
    at: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE login_profiles SET password_last_used = $2 WHERE user_id = $1")
        .bind(user_id)
        .bind(at)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn delete<'c>(
    db: impl Executor<'c, Database = Any>,
    user_id: &str,
) -> Result<bool, StoreError> {
    let result = sqlx::query("DELETE FROM login_profiles WHERE user_id = $1")
        .bind(user_id)
        .execute(db)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// The newest `limit` earlier password hashes of a user.
pub async fn history<'c>(
    db: impl Executor<'c, Database = Any>,
    user_id: &str,
    limit: i64,
) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT password_hash FROM password_history WHERE user_id = $1 \
         ORDER BY set_at DESC, rowid DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// Remembers a hash and keeps only the newest 24.
pub async fn remember(
    tx: &mut super::Tx,
    user_id: &str,
    password_hash: &str,
    set_at: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO password_history (user_id, password_hash, set_at) VALUES ($1, $2, $3)",
    )
    .bind(user_id)
    .bind(password_hash)
    .bind(set_at)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "DELETE FROM password_history WHERE user_id = $1 AND rowid NOT IN \
         (SELECT rowid FROM password_history WHERE user_id = $1 ORDER BY set_at DESC, rowid DESC LIMIT 24)",
    )
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
