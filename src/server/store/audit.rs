//! Queries on `audit_events`: the append-only, hash-chained record of every action. Inserts
//! extend the chain (see `audit_chain`); nothing here updates or deletes a sealed record.

use sqlx::{Any, AnyConnection, Executor, FromRow};

use super::audit_chain::{self, GENESIS};
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

const COLUMNS: &str =
    "event_time, account_id, principal_arn, principal_id, access_key_id, action, \
    resource_arn, result, error_message, reason, details, source_ip, user_agent, request_id";

/// Rows per INSERT statement: few distinct statements to prepare and cache. Not more, because
/// SQLite finds each of a statement's `$N` parameters by a linear search, so binding costs
/// grow with the square of the parameters per statement (32 rows spent 11% of a loaded
/// server's CPU there).
const ROWS_PER_INSERT: usize = 8;
const PARAMS_PER_ROW: usize = 17;

/// Appends `row` to the chain. Call it on the writer connection (inside its transaction): the
/// newest hash read here is then the one the insert links to.
pub async fn insert(conn: &mut AnyConnection, row: &AuditRow) -> Result<(), StoreError> {
    insert_all(conn, std::slice::from_ref(row)).await
}

/// Appends `rows` to the chain in order, with one read of the chain's head and one INSERT per
/// `ROWS_PER_INSERT` rows. Same contract as `insert`.
pub async fn insert_all(conn: &mut AnyConnection, rows: &[AuditRow]) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let last: Option<(i64, Option<String>)> =
        sqlx::query_as("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?;
    let (mut seq, mut prev_hash) = match last {
        None => (1, GENESIS.to_string()),
        Some((seq, Some(hash))) => (seq + 1, hash),
        Some((_, None)) => return Err(StoreError::UnsealedAudit),
    };
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut links = Vec::with_capacity(chunk.len());
        for row in chunk {
            let hash = audit_chain::record_hash(&prev_hash, seq, row);
            links.push((seq, std::mem::replace(&mut prev_hash, hash.clone()), hash));
            seq += 1;
        }
        let sql = insert_statement(chunk.len());
        let mut query = sqlx::query(&sql);
        for (row, (seq, prev_hash, hash)) in chunk.iter().zip(links) {
            query = query
                .bind(seq)
                .bind(row.event_time)
                .bind(&row.account_id)
                .bind(&row.principal_arn)
                .bind(&row.principal_id)
                .bind(&row.access_key_id)
                .bind(&row.action)
                .bind(&row.resource_arn)
                .bind(&row.result)
                .bind(&row.error_message)
                .bind(&row.reason)
                .bind(&row.details)
                .bind(&row.source_ip)
                .bind(&row.user_agent)
                .bind(&row.request_id)
                .bind(prev_hash)
                .bind(hash);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// `INSERT … VALUES ($1, …, $17), ($18, …)` for `rows` rows.
fn insert_statement(rows: usize) -> String {
    let values: Vec<String> = (0..rows)
        .map(|row| {
            let params: Vec<String> = (1..=PARAMS_PER_ROW)
                .map(|column| format!("${}", row * PARAMS_PER_ROW + column))
                .collect();
            format!("({})", params.join(", "))
        })
        .collect();
    format!(
        "INSERT INTO audit_events (seq, {COLUMNS}, prev_hash, hash) VALUES {}",
        values.join(", ")
    )
}

/// Seals the records written before the chain existed (hash still NULL), in order, linking
/// them after the newest sealed record before them. Runs once at start-up, after migrations.
pub async fn seal_unsealed(conn: &mut AnyConnection) -> Result<u64, StoreError> {
    let unsealed: Vec<StoredEvent> = sqlx::query_as(&format!(
        "SELECT seq, {COLUMNS}, prev_hash, hash FROM audit_events WHERE hash IS NULL ORDER BY seq"
    ))
    .fetch_all(&mut *conn)
    .await?;
    let Some(first) = unsealed.first() else {
        return Ok(0);
    };
    let before: Option<(Option<String>,)> =
        sqlx::query_as("SELECT hash FROM audit_events WHERE seq < $1 ORDER BY seq DESC LIMIT 1")
            .bind(first.seq)
            .fetch_optional(&mut *conn)
            .await?;
    let mut prev_hash = before
        .and_then(|(hash,)| hash)
        .unwrap_or_else(|| GENESIS.to_string());
    for event in &unsealed {
        let hash = audit_chain::record_hash(&prev_hash, event.seq, &event.row);
        sqlx::query("UPDATE audit_events SET prev_hash = $1, hash = $2 WHERE seq = $3")
            .bind(&prev_hash)
            .bind(&hash)
            .bind(event.seq)
            .execute(&mut *conn)
            .await?;
        prev_hash = hash;
    }
    Ok(unsealed.len() as u64)
}

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
        let pattern = format!("%{}%", escape_like(value));
        push(
            sql,
            &format!(" AND {column} LIKE ? ESCAPE '\\'"),
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
