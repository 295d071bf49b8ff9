//! Upgrades keep data: a database written by the previous release — its schema and rows, kept as
//! SQL in tests/data/upgrade/ (SQLite's `.dump`, PostgreSQL's `pg_dump`) — opens with this
//! release, migrates, and holds every row as it was, every secret opening, the audit chain
//! verifying; a database migrated by a newer release is refused, untouched.

mod common;

use std::collections::BTreeMap;

use common::installation::{assert_works_as_handed, populated_sqlite, Handed};
use common::*;
use ferriam::server::clock::Clock;
use ferriam::server::service::iam::Settings;
use ferriam::server::store::copy::{self, TABLES};
use ferriam::server::store::{Backend, Store, StoreError};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/upgrade");

/// What the fixture holds: per table its row count and a digest of its rows, and what it
/// handed out.
#[derive(Debug, Serialize, Deserialize)]
struct Manifest {
    /// The fixture's newest migration on each backend.
    schema_versions: BTreeMap<String, i64>,
    tables: BTreeMap<String, (usize, String)>,
    handed: Handed,
}

fn backend_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

fn dump_file(backend: Backend) -> String {
    format!("{FIXTURES}/{}.sql", backend_name(backend))
}

/// Each table's row count and digest; of only the columns in `only` where it names the table.
async fn tables(
    store: &Store,
    only: &BTreeMap<String, Vec<String>>,
) -> BTreeMap<String, (usize, String)> {
    let mut out = BTreeMap::new();
    for table in TABLES {
        let columns = only.get(*table).map(Vec::as_slice);
        let mut rows = copy::rows_of(store, table, columns).await.unwrap();
        rows.sort();
        let digest = hex::encode(Sha256::digest(format!("{rows:?}")));
        out.insert(table.to_string(), (rows.len(), digest));
    }
    out
}

#[tokio::test]
async fn a_database_from_the_previous_release_migrates_with_every_row_and_secret() {
    let manifest: Manifest = serde_json::from_str(
        &std::fs::read_to_string(format!("{FIXTURES}/manifest.json")).unwrap(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    let store = Store::open(&url).await.unwrap();
    // psql's meta-commands (pg_dump's `\restrict`) are not SQL.
    let dump: String = std::fs::read_to_string(dump_file(store.backend()))
        .unwrap()
        .lines()
        .filter(|line| !line.starts_with('\\'))
        .collect::<Vec<_>>()
        .join("\n");
    sqlx::raw_sql(&dump).execute(store.writer()).await.unwrap();
    let old_version = store.schema_version().await.unwrap();
    assert_eq!(
        Some(&old_version),
        manifest.schema_versions.get(backend_name(store.backend()))
    );
    // The previous release's columns: what it stored must be there, whatever was added since.
    let mut old_columns = BTreeMap::new();
    for table in TABLES {
        let names = copy::column_names(&store, table).await.unwrap();
        if !names.is_empty() {
            old_columns.insert(table.to_string(), names);
        }
    }
    drop(store);

    let t = test_iam_at(dir, &url, Clock::manual(START_MILLIS), Settings::default()).await;
    assert!(t.iam.store().schema_version().await.unwrap() >= old_version);
    // Every table the previous release had keeps its rows; tables added since start empty.
    let mut now = tables(t.iam.store(), &old_columns).await;
    let added: BTreeMap<String, (usize, String)> = now
        .iter()
        .filter(|(name, _)| !manifest.tables.contains_key(*name))
        .map(|(name, rows)| (name.clone(), rows.clone()))
        .collect();
    now.retain(|name, _| manifest.tables.contains_key(name));
    assert_eq!(now, manifest.tables);
    assert!(added.values().all(|(rows, _)| *rows == 0), "{added:?}");
    assert_works_as_handed(&t, &manifest.handed).await;
}

#[tokio::test]
async fn a_database_migrated_by_a_newer_release_is_refused_untouched() {
    let (t, _) = with_root().await;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(9_999_i64)
    .bind("from a later release")
    .bind(true)
    .bind(vec![0_u8; 48])
    .bind(0_i64)
    .execute(t.iam.store().writer())
    .await
    .unwrap();
    let before = snapshot::snapshot(&t).await;

    let refused = t.iam.store().migrate().await;
    let Err(StoreError::SchemaMismatch(message)) = refused else {
        panic!("refused: {refused:?}");
    };
    assert!(message.contains("newer than this release"), "{message}");
    assert!(message.contains("9999"), "{message}");
    assert!(snapshot::differences(&before, &snapshot::snapshot(&t).await).is_empty());
}

/// Writes tests/data/upgrade/ from this release. Run it (on SQLite and with
/// FERRIAM_TEST_POSTGRES set; it needs the sqlite3 and pg_dump commands) when a release is cut,
/// before the next release's migrations land, so the test above opens that release's data.
#[tokio::test]
#[ignore = "writes the fixtures; run by hand when a release is cut"]
async fn write_the_upgrade_fixtures() {
    let server = postgres_server().expect("FERRIAM_TEST_POSTGRES for the PostgreSQL dump");
    let (source, handed) = populated_sqlite().await;
    let sqlite_file = source.dir.path().join("source.db");
    std::fs::create_dir_all(FIXTURES).unwrap();
    let dumped = std::process::Command::new("sqlite3")
        .arg(&sqlite_file)
        .arg(".dump")
        .output()
        .unwrap();
    assert!(dumped.status.success());
    std::fs::write(dump_file(Backend::Sqlite), &dumped.stdout).unwrap();

    let url = fresh_postgres_database(&server).await;
    let target = Store::open(&url).await.unwrap();
    target.migrate().await.unwrap();
    copy::copy(source.iam.store(), &target, true).await.unwrap();
    let dumped = std::process::Command::new("pg_dump")
        .args(["--inserts", "--no-owner", "--no-privileges", &url])
        .output()
        .unwrap();
    assert!(dumped.status.success());
    std::fs::write(dump_file(Backend::Postgres), &dumped.stdout).unwrap();

    let manifest = Manifest {
        schema_versions: BTreeMap::from([
            (
                "sqlite".to_string(),
                source.iam.store().schema_version().await.unwrap(),
            ),
            (
                "postgres".to_string(),
                target.schema_version().await.unwrap(),
            ),
        ]),
        tables: tables(source.iam.store(), &BTreeMap::new()).await,
        handed,
    };
    std::fs::write(
        format!("{FIXTURES}/manifest.json"),
        serde_json::to_string_pretty(&manifest).unwrap() + "\n",
    )
    .unwrap();
}
