//! A dump of every row of every table, to prove a refused request changed nothing. The audit
//! log (which records refusals), the session store, the failed-authentication counters (which
//! count refusals) and "last used" bookkeeping are left out: they change on requests by design.

use std::collections::BTreeMap;

use super::TestIam;
use ferriam::server::store::Backend;

/// Table → its rows (each row as the database's quoting of every column), in a stable order.
pub type Snapshot = BTreeMap<String, Vec<String>>;

const SKIPPED_TABLES: &[&str] = &[
    "audit_events",
    "sessions",
    "signin_throttle",
    "signin_known_sources",
    "_sqlx_migrations",
];

pub async fn snapshot(t: &TestIam) -> Snapshot {
    let db = t.iam.store().reader();
    let postgres = t.iam.store().backend() == Backend::Postgres;
    let tables = if postgres {
        postgres_tables(db).await
    } else {
        sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .fetch_all(db)
        .await
        .unwrap()
    };
    let mut snapshot = Snapshot::new();
    for table in tables
        .into_iter()
        .filter(|t| !SKIPPED_TABLES.contains(&t.as_str()))
    {
        let columns: Vec<String> = if postgres {
            sqlx::query_scalar(
                "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            )
        } else {
            sqlx::query_scalar("SELECT name FROM pragma_table_info($1) ORDER BY cid")
        }
        .bind(&table)
        .fetch_all(db)
        .await
        .unwrap();
        let quote = if postgres { "quote_nullable" } else { "quote" };
        let quoted: Vec<String> = columns
            .iter()
            .filter(|c| !c.contains("last_used"))
            .map(|c| format!("{quote}(\"{c}\")"))
            .collect();
        // PostgreSQL has no rowid: its rows are compared in text order.
        let order = if postgres { "1" } else { "rowid" };
        // Identifiers come from the schema itself, never from test input.
        let sql = format!(
            "SELECT {} FROM \"{table}\" ORDER BY {order}",
            quoted.join(" || '|' || ")
        );
        let rows: Vec<String> = sqlx::query_scalar(&sql).fetch_all(db).await.unwrap();
        snapshot.insert(table, rows);
    }
    snapshot
}

/// The tables of a PostgreSQL database, by name.
pub async fn postgres_tables(db: &sqlx::AnyPool) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
    )
    .fetch_all(db)
    .await
    .unwrap()
}

/// The tables whose rows differ, with the rows on either side.
pub fn differences(before: &Snapshot, after: &Snapshot) -> Vec<String> {
    let mut out = Vec::new();
    for (table, rows) in after {
        let old = before.get(table);
        if old != Some(rows) {
            out.push(format!("{table}: {old:?} -> {rows:?}"));
        }
    }
    out
}
