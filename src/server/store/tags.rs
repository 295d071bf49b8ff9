//! Queries on `tags`: key/value tags of users, roles, customer managed policies and identity
//! providers (OIDC and SAML), kept in the order they were added.

use sqlx::{Any, Executor};

use super::StoreError;
use crate::domain::tags::Tag;
use crate::domain::EntityKind;

/// What carries tags: a user, role or policy (by its ID), or an identity provider (by its ARN).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tagged {
    Entity(EntityKind),
    OidcProvider,
    SamlProvider,
    InstanceProfile,
}

impl From<EntityKind> for Tagged {
    fn from(kind: EntityKind) -> Self {
        Tagged::Entity(kind)
    }
}

impl Tagged {
    /// The `entity_type` column's spelling.
    fn as_str(self) -> &'static str {
        match self {
            Tagged::Entity(kind) => kind.as_str(),
            Tagged::OidcProvider => "oidc-provider",
            Tagged::SamlProvider => "saml-provider",
            Tagged::InstanceProfile => "instance-profile",
        }
    }
}

pub async fn for_entity<'c>(
    db: impl Executor<'c, Database = Any>,
    entity: impl Into<Tagged>,
    entity_id: &str,
) -> Result<Vec<Tag>, StoreError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT key, value FROM tags WHERE entity_type = $1 AND entity_id = $2 ORDER BY position",
    )
    .bind(entity.into().as_str())
    .bind(entity_id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(key, value)| Tag { key, value })
        .collect())
}

/// Adds or overwrites one tag (keys compare ignoring case; the newest spelling wins).
pub async fn upsert<'c>(
    db: impl Executor<'c, Database = Any>,
    entity: impl Into<Tagged>,
    entity_id: &str,
    tag: &Tag,
    position: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO tags (entity_type, entity_id, key_lower, key, value, position) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (entity_type, entity_id, key_lower) DO UPDATE SET key = excluded.key, value = excluded.value",
    )
    .bind(entity.into().as_str())
    .bind(entity_id)
    .bind(tag.key.to_lowercase())
    .bind(&tag.key)
    .bind(&tag.value)
    .bind(position)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn remove<'c>(
    db: impl Executor<'c, Database = Any>,
    entity: impl Into<Tagged>,
    entity_id: &str,
    key: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM tags WHERE entity_type = $1 AND entity_id = $2 AND key_lower = $3")
        .bind(entity.into().as_str())
        .bind(entity_id)
        .bind(key.to_lowercase())
        .execute(db)
        .await?;
    Ok(())
}

pub async fn remove_all<'c>(
    db: impl Executor<'c, Database = Any>,
    entity: impl Into<Tagged>,
    entity_id: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM tags WHERE entity_type = $1 AND entity_id = $2")
        .bind(entity.into().as_str())
        .bind(entity_id)
        .execute(db)
        .await?;
    Ok(())
}

/// The position after the entity's last tag.
pub async fn next_position<'c>(
    db: impl Executor<'c, Database = Any>,
    entity: impl Into<Tagged>,
    entity_id: &str,
) -> Result<i64, StoreError> {
    let max: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(position) FROM tags WHERE entity_type = $1 AND entity_id = $2",
    )
    .bind(entity.into().as_str())
    .bind(entity_id)
    .fetch_one(db)
    .await?;
    Ok(max.map_or(0, |m| m + 1))
}
