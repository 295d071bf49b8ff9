//! Queries on `audit_events`: the rows of the append-only, hash-chained record of every action,
//! and the reads. Appending (which extends the chain) lives in `audit_chain`, which reads the
//! rows defined here; nothing here writes.

use sqlx::{Any, Executor, FromRow};

use super::StoreError;

/// One event as the service layer writes it.
#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct AuditRow {
    pub event_time: i64,
    pub account_id: String,
    pub principal_arn: String,
    pub principal_id: Option<String>,
    pub access_key_id: Option<String>,
    pub action: String,
    pub resource_arn: String,
    /// `Success` or the AWS error code.
    pub result: String,
    /// The public error message a failure answered with.
    pub error_message: Option<String>,
    /// Internal only: why a sign-in failed. Never exported nor shown in the console.
    pub reason: Option<String>,
    /// Public details as a JSON object.
    pub details: Option<String>,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    pub request_id: String,
}

/// A stored event with its place in the chain.
#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct StoredEvent {
    pub seq: i64,
    #[sqlx(flatten)]
    pub row: AuditRow,
    pub prev_hash: Option<String>,
    pub hash: Option<String>,
}

/// The columns of a row, in `AuditRow`'s order (the chain's inserts name them too).
pub(super) const COLUMNS: &str =
    "event_time, account_id, principal_arn, principal_id, access_key_id, action, \
    resource_arn, result, error_message, reason, details, source_ip, user_agent, request_id";

/// Up to `limit` events of the whole log (every account) after `after_seq`, oldest first:
/// the chain walk of `ferriam audit verify`.
pub async fn chain_page<'c>(
    db: impl Executor<'c, Database = Any>,
    after_seq: i64,
    limit: i64,
) -> Result<Vec<StoredEvent>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT seq, {COLUMNS}, prev_hash, hash FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2"
    ))
    .bind(after_seq)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// The newest events of an account, newest first.
pub async fn recent<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    limit: i64,
) -> Result<Vec<AuditRow>, StoreError> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM audit_events WHERE account_id = $1 ORDER BY seq DESC LIMIT $2"
    ))
    .bind(account_id)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// Which events of one account a lookup selects.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// A full ARN matches exactly; anything else matches as a substring.
    pub principal: Option<String>,
    /// With a service prefix (`iam:CreateUser`) exactly; otherwise as a substring.
    pub action: Option<String>,
    /// A full ARN matches exactly; anything else matches as a substring.
    pub resource: Option<String>,
    pub result: ResultFilter,
    /// Unix milliseconds, inclusive.
    pub from_millis: Option<i64>,
    /// Unix milliseconds, exclusive.
    pub to_millis: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ResultFilter {
    #[default]
    Any,
    Success,
    AnyError,
    Code(String),
}

/// One page of an account's events, newest first, strictly before `before_seq` (keyset paging:
/// each page costs the same however deep it is).
pub async fn page<'c>(
    db: impl Executor<'c, Database = Any>,
    account_id: &str,
    filter: &EventFilter,
    before_seq: Option<i64>,
    limit: i64,
) -> Result<Vec<StoredEvent>, StoreError> {
    let code = match &filter.result {
        ResultFilter::Code(code) => Some(code.as_str()),
        _ => None,
    };
    let searched: Vec<&str> = [
        filter.principal.as_deref(),
        filter.action.as_deref(),
        filter.resource.as_deref(),
        code,
    ]
    .into_iter()
    .flatten()
    .collect();
    if super::never_stored(&searched) {
        return Ok(Vec::new());
    }
    let mut sql =
        format!("SELECT seq, {COLUMNS}, prev_hash, hash FROM audit_events WHERE account_id = $1");
    let mut binds: Vec<Bind> = vec![Bind::Text(account_id.to_string())];
    let mut push = |sql: &mut String, clause: &str, bind: Bind| {
        binds.push(bind);
        sql.push_str(&clause.replace('?', &format!("${}", binds.len())));
    };
    if let Some(before) = before_seq {
        push(&mut sql, " AND seq < ?", Bind::Int(before));
    }
    text_filter(
        &mut sql,
        &mut push,
        "principal_arn",
        filter.principal.as_deref(),
        is_arn,
    );
    text_filter(
        &mut sql,
        &mut push,
        "action",
        filter.action.as_deref(),
        |a| a.contains(':'),
    );
    text_filter(
        &mut sql,
        &mut push,
        "resource_arn",
        filter.resource.as_deref(),
        is_arn,
    );
    match &filter.result {
        ResultFilter::Any => {}
        ResultFilter::Success => sql.push_str(" AND result = 'Success'"),
        ResultFilter::AnyError => sql.push_str(" AND result <> 'Success'"),
        ResultFilter::Code(code) => push(&mut sql, " AND result = ?", Bind::Text(code.clone())),
    }
    if let Some(from) = filter.from_millis {
        push(&mut sql, " AND event_time >= ?", Bind::Int(from));
    }
    if let Some(to) = filter.to_millis {
        push(&mut sql, " AND event_time < ?", Bind::Int(to));
    }
    push(&mut sql, " ORDER BY seq DESC LIMIT ?", Bind::Int(limit));
    let mut query = sqlx::query_as::<_, StoredEvent>(&sql);
    for bind in binds {
        query = match bind {
            Bind::Text(text) => query.bind(text),
            Bind::Int(int) => query.bind(int),
        };
    }
    Ok(query.fetch_all(db).await?)
}

enum Bind {
    Text(String),
    Int(i64),
}

fn is_arn(value: &str) -> bool {
    value.starts_with("arn:")
}

/// Adds an exact (`exact(value)`) or substring match on `column`.
fn text_filter(
    sql: &mut String,
    push: &mut impl FnMut(&mut String, &str, Bind),
    column: &str,
    value: Option<&str>,
    exact: impl Fn(&str) -> bool,
) {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return;
    };
    if exact(value) {
        push(
            sql,
            &format!(" AND {column} = ?"),
            Bind::Text(value.to_string()),
        );
    } else {
        // Lower-cased on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
        let pattern = format!("%{}%", escape_like(&value.to_lowercase()));
        push(
            sql,
            &format!(" AND lower({column}) LIKE ? ESCAPE '\\'"),
            Bind::Text(pattern),
        );
    }
}

fn escape_like(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
