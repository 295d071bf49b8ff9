//! `ferriam db copy`: every row of one store into another, empty one — SQLite to PostgreSQL
//! when an installation outgrows one machine, or back. Rows are copied as stored: sealed secrets
//! stay sealed (the same master key opens them), audit records keep their sequence numbers and
//! hashes (the chain still verifies), IDs and times are unchanged.

use futures_util::TryStreamExt;
use sqlx::{Any, AnyConnection, Executor, Row};

use super::{Backend, Store, StoreError};

/// Every table, parents before the tables whose foreign keys name them.
pub const TABLES: &[&str] = &[
    "accounts",
    "users",
    "groups",
    "group_members",
    "roles",
    "instance_profiles",
    "workload_tokens",
    "managed_policies",
    "policy_versions",
    "policy_attachments",
    "inline_policies",
    "tags",
    "oidc_providers",
    "oidc_console_signins",
    "saml_providers",
    "access_keys",
    "login_profiles",
    "password_history",
    "password_policies",
    "mfa_devices",
    "signin_throttle",
    "signin_known_sources",
    "sts_sessions",
    "sessions",
    "signin_tokens",
    "saml_assertions_used",
    "audit_events",
];

/// Console sessions and STS temporary credentials: copied only when asked, since people can
/// sign in again and applications ask for new credentials.
pub const SESSION_TABLES: &[&str] = &[
    "sts_sessions",
    "sessions",
    "signin_tokens",
    "saml_assertions_used",
];

/// Rows per INSERT statement.
const BATCH: usize = 100;

/// One stored value, as both databases hold it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
    Bytes(Vec<u8>),
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Int,
    Text,
    Bytes,
}

struct Column {
    name: String,
    kind: Kind,
}

/// How many rows each table received.
pub type CopyReport = Vec<(&'static str, u64)>;

/// Copies every table of `from` into `to` in one transaction: on any failure `to` keeps
/// nothing. `from` is read in one snapshot, so a serving installation can be copied. Refuses a
/// `to` holding any row, and two stores whose tables differ (run both on the same release).
pub async fn copy(from: &Store, to: &Store, with_sessions: bool) -> Result<CopyReport, StoreError> {
    check_tables(from).await?;
    check_tables(to).await?;
    let mut source = from.reader().begin().await?;
    if from.backend() == Backend::Postgres {
        (&mut *source)
            .execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await?;
    }
    let mut target = to.begin().await?;
    for table in TABLES {
        let holds_rows = sqlx::query(&format!("SELECT 1 FROM {table} LIMIT 1"))
            .fetch_optional(&mut *target)
            .await?
            .is_some();
        if holds_rows {
            return Err(StoreError::TargetNotEmpty(table.to_string()));
        }
    }
    let mut report = CopyReport::new();
    for table in TABLES {
        if !with_sessions && SESSION_TABLES.contains(table) {
            continue;
        }
        let copied = copy_table(&mut source, &mut target, from.backend(), to, table).await?;
        report.push((table, copied));
    }
    if to.backend() == Backend::Postgres {
        // Explicit keys do not advance an identity column: start it after the copied ones.
        for (table, column) in [("audit_events", "seq"), ("password_history", "rowid")] {
            (&mut *target)
                .execute(
                    format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), \
                         (SELECT MAX({column}) FROM {table}))"
                    )
                    .as_str(),
                )
                .await?;
        }
    }
    target.commit().await?;
    Ok(report)
}

/// Every row of `table`, in the order `copy` reads it (for comparing two stores); PostgreSQL's
/// stand-in for SQLite's implicit rowid is left out, as SQLite's is.
pub async fn rows(store: &Store, table: &str) -> Result<Vec<Vec<Value>>, StoreError> {
    rows_of(store, table, None).await
}

/// The names of `table`'s columns, as `rows` reads them (none when there is no such table).
pub async fn column_names(store: &Store, table: &str) -> Result<Vec<String>, StoreError> {
    let mut columns = columns(store, table).await?;
    columns.retain(|column| column.name != "rowid");
    Ok(columns.into_iter().map(|column| column.name).collect())
}

/// As `rows`, of only the columns named in `only` (a release's columns, to compare its data
/// with what a later schema holds of it).
pub async fn rows_of(
    store: &Store,
    table: &str,
    only: Option<&[String]>,
) -> Result<Vec<Vec<Value>>, StoreError> {
    let mut columns = columns(store, table).await?;
    columns.retain(|column| {
        column.name != "rowid" && only.is_none_or(|names| names.contains(&column.name))
    });
    let mut conn = store.reader().acquire().await?;
    let sql = select_sql(store.backend(), table, &columns);
    let fetched = sqlx::query(&sql).fetch_all(&mut *conn).await?;
    fetched.iter().map(|row| decode(row, &columns)).collect()
}

async fn copy_table(
    source: &mut AnyConnection,
    target: &mut AnyConnection,
    source_backend: Backend,
    to: &Store,
    table: &'static str,
) -> Result<u64, StoreError> {
    let columns = columns(to, table).await?;
    let sql = select_sql(source_backend, table, &columns);
    let mut stream = sqlx::query(&sql).fetch(&mut *source);
    let mut batch = Vec::with_capacity(BATCH);
    let mut copied = 0;
    while let Some(row) = stream.try_next().await? {
        batch.push(decode(&row, &columns)?);
        if batch.len() == BATCH {
            copied += insert(target, table, &columns, &batch).await?;
            batch.clear();
        }
    }
    if !batch.is_empty() {
        copied += insert(target, table, &columns, &batch).await?;
    }
    Ok(copied)
}

/// The target's columns, read from the source in its key order: the audit chain must be
/// appended oldest first, and earlier passwords keep their order.
fn select_sql(backend: Backend, table: &str, columns: &[Column]) -> String {
    let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    let order = match table {
        "audit_events" => "seq",
        // SQLite's implicit rowid, an identity column on PostgreSQL.
        "password_history" => "rowid",
        _ if backend == Backend::Postgres => "1",
        _ => "rowid",
    };
    format!("SELECT {} FROM {table} ORDER BY {order}", names.join(", "))
}

async fn insert(
    target: &mut AnyConnection,
    table: &str,
    columns: &[Column],
    rows: &[Vec<Value>],
) -> Result<u64, StoreError> {
    let width = columns.len();
    let tuples: Vec<String> = (0..rows.len())
        .map(|r| {
            let marks: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
            format!("({})", marks.join(", "))
        })
        .collect();
    let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES {}",
        names.join(", "),
        tuples.join(", ")
    );
    let mut query = sqlx::query::<Any>(&sql);
    for row in rows {
        for (value, column) in row.iter().zip(columns) {
            query = match (value, column.kind) {
                // A NULL keeps its column's type: PostgreSQL refuses a text NULL for a bigint.
                (Value::Null, Kind::Int) => query.bind(None::<i64>),
                (Value::Null, Kind::Text) => query.bind(None::<String>),
                (Value::Null, Kind::Bytes) => query.bind(None::<Vec<u8>>),
                (Value::Int(v), _) => query.bind(*v),
                (Value::Text(v), _) => query.bind(v.clone()),
                (Value::Bytes(v), _) => query.bind(v.clone()),
            };
        }
    }
    Ok(query.execute(&mut *target).await?.rows_affected())
}

fn decode(row: &sqlx::any::AnyRow, columns: &[Column]) -> Result<Vec<Value>, StoreError> {
    columns
        .iter()
        .enumerate()
        .map(|(i, column)| {
            Ok(match column.kind {
                Kind::Int => row.try_get::<Option<i64>, _>(i)?.map(Value::Int),
                Kind::Text => row.try_get::<Option<String>, _>(i)?.map(Value::Text),
                Kind::Bytes => row.try_get::<Option<Vec<u8>>, _>(i)?.map(Value::Bytes),
            }
            .unwrap_or(Value::Null))
        })
        .collect()
}

/// `table`'s columns as the store declares them (SQLite: INTEGER/TEXT/BLOB; PostgreSQL:
/// bigint/text/bytea).
async fn columns(store: &Store, table: &str) -> Result<Vec<Column>, StoreError> {
    let sql = match store.backend() {
        Backend::Sqlite => "SELECT name, type FROM pragma_table_info($1) ORDER BY cid",
        Backend::Postgres => {
            "SELECT CAST(column_name AS TEXT), CAST(data_type AS TEXT) \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position"
        }
    };
    let declared: Vec<(String, String)> = sqlx::query_as(sql)
        .bind(table)
        .fetch_all(store.reader())
        .await?;
    declared
        .into_iter()
        .map(|(name, declared)| {
            let upper = declared.to_ascii_uppercase();
            let kind = if upper.contains("INT") {
                Kind::Int
            } else if upper.contains("TEXT") {
                Kind::Text
            } else if upper.contains("BLOB") || upper.contains("BYTEA") {
                Kind::Bytes
            } else {
                return Err(StoreError::SchemaMismatch(format!(
                    "{table}.{name} has a type ({declared}) the copy does not know"
                )));
            };
            Ok(Column { name, kind })
        })
        .collect()
}

/// The store's tables are exactly `TABLES`: a table added by a later migration but missing
/// here would otherwise be left behind.
async fn check_tables(store: &Store) -> Result<(), StoreError> {
    let sql = match store.backend() {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
             AND table_name <> '_sqlx_migrations' ORDER BY 1"
        }
    };
    let mut present: Vec<String> = sqlx::query_scalar(sql).fetch_all(store.reader()).await?;
    present.sort();
    let mut expected: Vec<&str> = TABLES.to_vec();
    expected.sort();
    if present != expected {
        return Err(StoreError::SchemaMismatch(format!(
            "the database's tables ({}) are not the ones this release copies ({})",
            present.join(", "),
            expected.join(", ")
        )));
    }
    Ok(())
}
