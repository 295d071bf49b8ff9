//! Queries on `instance_profiles`: each account's instance profiles by name (ignoring case) or
//! ID, a page of them by name and path, and the one role each may hold.

use sqlx::{Any, Executor, FromRow};

use super::entity_table::{EntityRow, Table};
use super::StoreError;

#[derive(Clone, Debug, FromRow)]
pub struct InstanceProfileRow {
    pub instance_profile_id: String,
    pub account_id: String,
    pub name: String,
    pub path: String,
    /// The role it holds, if any (AWS allows one).
    pub role_id: Option<String>,
    pub created_at: i64,
}

impl EntityRow for InstanceProfileRow {
    fn id(&self) -> &str {
        &self.instance_profile_id
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn path(&self) -> &str {
        &self.path
    }
}

const COLUMNS: &str = "instance_profile_id, account_id, name, path, role_id, created_at";

/// The `instance_profiles` table, for the queries it shares with users, groups and roles.
pub const TABLE: Table<InstanceProfileRow> =
    Table::new("instance_profiles", "instance_profile_id", COLUMNS);

pub async fn insert<'c>(
    db: impl Executor<'c, Database = Any>,
    row: &InstanceProfileRow,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO instance_profiles \
         (instance_profile_id, account_id, name, name_key, path, role_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&row.instance_profile_id)
    .bind(&row.account_id)
    .bind(&row.name)
    .bind(row.name.to_ascii_lowercase())
    .bind(&row.path)
    .bind(&row.role_id)
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
        sqlx::query_scalar("SELECT COUNT(*) FROM instance_profiles WHERE account_id = $1")
            .bind(account_id)
            .fetch_one(db)
            .await?,
    )
}

/// Puts `role_id` into the profile (or takes its role out, with `None`).
pub async fn set_role<'c>(
    db: impl Executor<'c, Database = Any>,
    instance_profile_id: &str,
    role_id: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE instance_profiles SET role_id = $2 WHERE instance_profile_id = $1")
        .bind(instance_profile_id)
        .bind(role_id)
        .execute(db)
        .await?;
    Ok(())
}

/// The profiles holding `role_id`, by name.
pub async fn for_role<'c>(
    db: impl Executor<'c, Database = Any>,
    role_id: &str,
) -> Result<Vec<InstanceProfileRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM instance_profiles WHERE role_id = $1 ORDER BY name_key"
    ))
    .bind(role_id)
    .fetch_all(db)
    .await?)
}

/// Every profile of the account, by name (GetAccountAuthorizationDetails).
pub async fn for_account<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
) -> Result<Vec<InstanceProfileRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM instance_profiles WHERE account_id = $1 ORDER BY name_key"
    ))
    .bind(account_id)
    .fetch_all(db)
    .await?)
}
