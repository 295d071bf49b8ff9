//! Queries on `inline_policies`: policies embedded in one user, group or role.

use sqlx::{Any, Executor, FromRow};

use super::StoreError;
use crate::domain::EntityKind;

#[derive(Clone, Debug, FromRow)]
pub struct InlinePolicyRow {
    pub name: String,
    pub document: String,
}

/// Creates or replaces the named inline policy.
pub async fn put<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    entity: EntityKind,
    entity_id: &str,
    name: &str,
    document: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO inline_policies (account_id, entity_type, entity_id, name, document) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (entity_type, entity_id, name) DO UPDATE SET document = excluded.document",
    )
    .bind(account_id)
    .bind(entity.as_str())
    .bind(entity_id)
    .bind(name)
    .bind(document)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn get<'c>(
    db: impl Executor<'c, Database = Any>,
    entity: EntityKind,
    entity_id: &str,
    name: &str,
) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT document FROM inline_policies WHERE entity_type = $1 AND entity_id = $2 AND name = $3",
    )
    .bind(entity.as_str())
    .bind(entity_id)
    .bind(name)
    .fetch_optional(db)
    .await?)
}

/// All inline policies of an entity, ordered by name.
pub async fn for_entity<'c>(
    db: impl Executor<'c, Database = Any>,
    entity: EntityKind,
    entity_id: &str,
) -> Result<Vec<InlinePolicyRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT name, document FROM inline_policies WHERE entity_type = $1 AND entity_id = $2 ORDER BY name",
    )
    .bind(entity.as_str())
    .bind(entity_id)
    .fetch_all(db)
    .await?)
}

/// Deletes one inline policy; false when there was none by that name.
pub async fn delete<'c>(
    db: impl Executor<'c, Database = Any>,
    entity: EntityKind,
    entity_id: &str,
    name: &str,
) -> Result<bool, StoreError> {
    let result = sqlx::query(
        "DELETE FROM inline_policies WHERE entity_type = $1 AND entity_id = $2 AND name = $3",
    )
    .bind(entity.as_str())
    .bind(entity_id)
    .bind(name)
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn delete_all<'c>(
    db: impl Executor<'c, Database = Any>,
    entity: EntityKind,
    entity_id: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM inline_policies WHERE entity_type = $1 AND entity_id = $2")
        .bind(entity.as_str())
        .bind(entity_id)
        .execute(db)
        .await?;
    Ok(())
}
