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

/// How the entities a policy listing wants use the policy (AWS's `PolicyUsageFilter`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Usage {
    /// Attached as a permissions policy.
    Permissions,
    /// Set as the permissions boundary (users and roles only).
    Boundary,
    /// Either.
    Any,
}

/// One entity of a policy listing. `kind_rank` orders the kinds as AWS answers them
/// (groups, users, roles); with the name key it is the listing's sort key.
#[derive(Clone, Debug, FromRow)]
pub struct PolicyEntityRow {
    pub kind_rank: String,
    pub name: String,
    pub name_key: String,
    pub entity_id: String,
}

impl PolicyEntityRow {
    pub fn kind(&self) -> EntityKind {
        match self.kind_rank.as_str() {
            "0" => EntityKind::Group,
            "1" => EntityKind::User,
            _ => EntityKind::Role,
        }
    }
}

/// The rank, table, ID column, `entity_type` and whether it has a boundary, of each kind.
fn listing_kind(
    kind: EntityKind,
) -> (&'static str, &'static str, &'static str, &'static str, bool) {
    match kind {
        EntityKind::Group => ("0", "groups", "group_id", "group", false),
        EntityKind::User => ("1", "users", "user_id", "user", true),
        EntityKind::Role => ("2", "roles", "role_id", "role", true),
    }
}

/// One page of the entities of `kinds` that use `policy_arn` as `usage` says and whose path
/// starts with `path_prefix`: their union ordered by (kind rank, name key), at most `limit`
/// after `after` = (kind rank, name key), exclusive. Every filter is in the query, so a page is
/// full even when unwanted entities sort between wanted ones.
#[allow(clippy::too_many_arguments)]
pub async fn entities_for_policy_page<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    policy_arn: &str,
    kinds: &[EntityKind],
    usage: Usage,
    path_prefix: &str,
    after: Option<(&str, &str)>,
    limit: i64,
) -> Result<Vec<PolicyEntityRow>, StoreError> {
    let mut selects = Vec::new();
    for &kind in kinds {
        let (rank, table, id, entity_type, has_boundary) = listing_kind(kind);
        let columns = format!(
            "'{rank}' AS kind_rank, e.name AS name, e.name_key AS name_key, e.{id} AS entity_id"
        );
        if usage != Usage::Boundary {
            selects.push(format!(
                "SELECT {columns} FROM policy_attachments a JOIN {table} e ON e.{id} = a.entity_id \
                 WHERE a.account_id = $1 AND a.policy_arn = $2 AND a.entity_type = '{entity_type}' \
                 AND substr(e.path, 1, length($3)) = $3"
            ));
        }
        if usage != Usage::Permissions && has_boundary {
            selects.push(format!(
                "SELECT {columns} FROM {table} e WHERE e.account_id = $1 \
                 AND e.permissions_boundary_arn = $2 AND substr(e.path, 1, length($3)) = $3"
            ));
        }
    }
    if selects.is_empty() {
        return Ok(Vec::new());
    }
    // UNION (not UNION ALL): an entity both attached to and bounded by the policy is listed
    // once, as AWS does.
    let sql = format!(
        "SELECT kind_rank, name, name_key, entity_id FROM ({}) listed \
         WHERE kind_rank > $4 OR (kind_rank = $4 AND name_key > $5) \
         ORDER BY kind_rank, name_key LIMIT $6",
        selects.join(" UNION ")
    );
    let (after_rank, after_key) = after.unwrap_or(("", ""));
    Ok(sqlx::query_as(&sql)
        .bind(account_id)
        .bind(policy_arn)
        .bind(path_prefix)
        .bind(after_rank)
        .bind(after_key)
        .bind(limit)
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
