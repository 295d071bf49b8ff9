//! Queries on `audit_events`: the append-only record of every action.

use sqlx::{Any, Executor, FromRow};

use super::StoreError;

#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct AuditRow {
    pub event_time: i64,
    pub account_id: String,
    pub principal_arn: String,
    pub access_key_id: Option<String>,
    pub action: String,
    pub resource_arn: String,
    pub result: String,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: String,
}

pub async fn insert<'c>(
    db: impl Executor<'c, Database = Any>,
    row: &AuditRow,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_events (event_time, account_id, principal_arn, access_key_id, action, resource_arn, \
         result, source_ip, user_agent, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(row.event_time)
    .bind(&row.account_id)
    .bind(&row.principal_arn)
    .bind(&row.access_key_id)
    .bind(&row.action)
    .bind(&row.resource_arn)
    .bind(&row.result)
    .bind(&row.source_ip)
    .bind(&row.user_agent)
    .bind(&row.request_id)
    .execute(db)
    .await?;
    Ok(())
}

/// The newest events of an account, newest first.
pub async fn recent<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    limit: i64,
) -> Result<Vec<AuditRow>, StoreError> {
    Ok(sqlx::query_as(
        "SELECT event_time, account_id, principal_arn, access_key_id, action, resource_arn, result, source_ip, \
         user_agent, request_id FROM audit_events WHERE account_id = $1 ORDER BY seq DESC LIMIT $2",
    )
    .bind(account_id)
    .bind(limit)
    .fetch_all(db)
    .await?)
}
