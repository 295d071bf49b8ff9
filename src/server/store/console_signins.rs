//! Queries on `oidc_console_signins`: console single sign-on through an account's OpenID Connect
//! provider, one per provider, keyed like the provider.

use sqlx::{Any, Executor, FromRow};

use super::StoreError;

#[derive(Clone, Debug, FromRow)]
pub struct ConsoleSigninRow {
    pub account_id: String,
    pub host_path: String,
    /// What the sign-in button says after "Sign in with".
    pub label: String,
    pub client_id: String,
    /// The client secret, sealed under the master key (`console_signin::secret_context`).
    pub sealed_secret: Vec<u8>,
    /// The ID token claim that names the person's role session.
    pub name_claim: String,
    pub created_at: i64,
}

const COLUMNS: &str =
    "account_id, host_path, label, client_id, sealed_secret, name_claim, created_at";

/// Stores `row`, replacing the provider's earlier one.
pub async fn put<'c>(
    db: impl Executor<'c, Database = Any>,
    row: &ConsoleSigninRow,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "INSERT INTO oidc_console_signins ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (account_id, host_path) DO UPDATE SET label = excluded.label, \
         client_id = excluded.client_id, sealed_secret = excluded.sealed_secret, \
         name_claim = excluded.name_claim"
    ))
    .bind(&row.account_id)
    .bind(&row.host_path)
    .bind(&row.label)
    .bind(&row.client_id)
    .bind(row.sealed_secret.clone())
    .bind(&row.name_claim)
    .bind(row.created_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn find<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    host_path: &str,
) -> Result<Option<ConsoleSigninRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM oidc_console_signins WHERE account_id = $1 AND host_path = $2"
    ))
    .bind(account_id)
    .bind(host_path)
    .fetch_optional(db)
    .await?)
}

/// The account's console sign-ins, by label.
pub async fn list<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
) -> Result<Vec<ConsoleSigninRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM oidc_console_signins WHERE account_id = $1 ORDER BY label, host_path"
    ))
    .bind(account_id)
    .fetch_all(db)
    .await?)
}

/// Whether there was one to delete.
pub async fn delete<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    host_path: &str,
) -> Result<bool, StoreError> {
    let done =
        sqlx::query("DELETE FROM oidc_console_signins WHERE account_id = $1 AND host_path = $2")
            .bind(account_id)
            .bind(host_path)
            .execute(db)
            .await?;
    Ok(done.rows_affected() > 0)
}
