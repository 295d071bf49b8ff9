//! Queries on `policy_attachments`: which managed policies are attached to which entities.

use sqlx::{Any, Executor, FromRow};

use super::StoreError;
use crate::domain::EntityKind;

pub async fn attach<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    entity: EntityKind,
    entity_id: &str,
    policy_arn: &str,
    attached_at: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO policy_attachments (account_id, entity_type, entity_id, policy_arn, attached_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(account_id)
    .bind(entity.as_str())
    .bind(entity_id)
    .bind(policy_arn)
    .bind(attached_at)
    .execute(db)
    .await?;
    Ok(())
}

/// Detaches one policy; false when it was not attached.
pub async fn detach<'c>(
    db: impl Executor<'c, Database = Any>,
    entity: EntityKind,
    entity_id: &str,
    policy_arn: &str,
) -> Result<bool, StoreError> {
    let result = sqlx::query(
        "DELETE FROM policy_attachments WHERE entity_type = $1 AND entity_id = $2 AND policy_arn = $3",
    )
    .bind(entity.as_str())
    .bind(entity_id)
    .bind(policy_arn)
    .execute(db)
    .await?;
    Ok(result.rows_affected() == 1)
}

pub async fn detach_all_from_entity<'c>(
    db: impl Executor<'c, Database = Any>,
    entity: EntityKind,
    entity_id: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM policy_attachments WHERE entity_type = $1 AND entity_id = $2")
        .bind(entity.as_str())
        .bind(entity_id)
        .execute(db)
        .await?;
    Ok(())
}

/// ARNs of the managed policies attached to an entity, in attachment order.
pub async fn for_entity<'c>(
    db: impl Executor<'c, Database = Any>,
    entity: EntityKind,
    entity_id: &str,
) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT policy_arn FROM policy_attachments WHERE entity_type = $1 AND entity_id = $2 \
         ORDER BY attached_at, policy_arn",
    )
    .bind(entity.as_str())
    .bind(entity_id)
    .fetch_all(db)
    .await?)
}

pub async fn count_for_entity<'c>(
    db: impl Executor<'c, Database = Any>,
    entity: EntityKind,
    entity_id: &str,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM policy_attachments WHERE entity_type = $1 AND entity_id = $2",
    )
    .bind(entity.as_str())
    .bind(entity_id)
    .fetch_one(db)
    .await?)
}

#[derive(Clone, Debug, FromRow)]
pub struct AttachedEntity {
    pub entity_type: String,
    pub entity_id: String,
}

/// The entities of one account a policy is attached to.
pub async fn entities_for_policy<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    policy_arn: &str,
) -> Result<Vec<AttachedEntity>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT entity_type, entity_id FROM policy_attachments WHERE account_id = $1 AND policy_arn = $2 \
         ORDER BY entity_type, entity_id",
    )
    .bind(account_id)
    .bind(policy_arn)
    .fetch_all(db)
    .await?)
}

pub async fn count_for_policy<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    policy_arn: &str,
) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM policy_attachments WHERE account_id = $1 AND policy_arn = $2",
    )
    .bind(account_id)
    .bind(policy_arn)
    .fetch_one(db)
    .await?)
}

/// For every policy attached in the account: how many entities it is attached to.
pub async fn counts_by_policy<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
) -> Result<Vec<(String, i64)>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT policy_arn, COUNT(*) FROM policy_attachments WHERE account_id = $1 GROUP BY policy_arn",
    )
    .bind(account_id)
    .fetch_all(db)
    .await?)
}

/// The (name, id) of the entities of one kind a policy is attached to, by name ignoring case.
pub async fn named_entities_for_policy<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    policy_arn: &str,
    entity: EntityKind,
) -> Result<Vec<(String, String)>, StoreError> {
    let sql = match entity {
        EntityKind::User => {
            "SELECT e.name, e.user_id FROM users e JOIN policy_attachments a ON a.entity_id = e.user_id \
             AND a.entity_type = 'user' WHERE a.account_id = $1 AND a.policy_arn = $2 ORDER BY e.name_key"
        }
        EntityKind::Group => {
            "SELECT e.name, e.group_id FROM groups e JOIN policy_attachments a ON a.entity_id = e.group_id \
             AND a.entity_type = 'group' WHERE a.account_id = $1 AND a.policy_arn = $2 ORDER BY e.name_key"
        }
        EntityKind::Role => {
            "SELECT e.name, e.role_id FROM roles e JOIN policy_attachments a ON a.entity_id = e.role_id \
             AND a.entity_type = 'role' WHERE a.account_id = $1 AND a.policy_arn = $2 ORDER BY e.name_key"
        }
    };
    Ok(sqlx::query_as(sql)
        .bind(account_id)
        .bind(policy_arn)
        .fetch_all(db)
        .await?)
}

pub async fn detach_policy_everywhere<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    policy_arn: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM policy_attachments WHERE account_id = $1 AND policy_arn = $2")
        .bind(account_id)
        .bind(policy_arn)
        .execute(db)
        .await?;
    Ok(())
}
