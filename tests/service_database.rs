//! Moving an installation: `db copy` from a populated SQLite file into a new database (the
//! PostgreSQL server when the tests run on one) leaves every row equal, secrets still open under
//! the same master key, the audit chain verifying and extending; a non-empty target is refused
//! untouched. `backup` writes a SQLite file that opens as the same installation.

mod common;

use common::installation::{assert_works_as_handed, populated_sqlite};
use common::*;
use ferriam::server::service::iam::Settings;
use ferriam::server::store::copy::{self, TABLES};
use ferriam::server::store::{backup, Store, StoreError};

/// An empty installation beside `source`, sharing its master key and clock.
async fn empty_target(source: &TestIam) -> TestIam {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database_url(dir.path()).await;
    test_iam_at(dir, &url, source.clock.clone(), Settings::default()).await
}

async fn sorted_rows(store: &Store, table: &str) -> Vec<Vec<copy::Value>> {
    let mut rows = copy::rows(store, table).await.unwrap();
    rows.sort();
    rows
}

#[tokio::test]
async fn a_copy_holds_every_row_and_works_as_the_installation_did() {
    let (source, handed) = populated_sqlite().await;
    let target = empty_target(&source).await;

    let report = copy::copy(source.iam.store(), target.iam.store(), true)
        .await
        .unwrap();
    assert_eq!(report.len(), TABLES.len());
    for table in TABLES {
        let rows = sorted_rows(source.iam.store(), table).await;
        assert!(!rows.is_empty(), "the fixture fills {table}");
        assert_eq!(
            rows,
            sorted_rows(target.iam.store(), table).await,
            "{table}"
        );
    }

    assert_works_as_handed(&target, &handed).await;
}

#[tokio::test]
async fn a_target_holding_any_row_is_refused_and_left_as_it_was() {
    let (source, _) = populated_sqlite().await;
    let target = empty_target(&source).await;
    account(&target, OTHER_ACCOUNT).await;
    target.iam.audit().flush().await;
    let before = snapshot::snapshot(&target).await;

    let refused = copy::copy(source.iam.store(), target.iam.store(), true).await;
    assert!(
        matches!(&refused, Err(StoreError::TargetNotEmpty(table)) if table == "accounts"),
        "{refused:?}"
    );
    assert!(snapshot::differences(&before, &snapshot::snapshot(&target).await).is_empty());
}

#[tokio::test]
async fn sessions_are_copied_only_when_asked() {
    let (source, _) = populated_sqlite().await;
    let target = empty_target(&source).await;

    let report = copy::copy(source.iam.store(), target.iam.store(), false)
        .await
        .unwrap();
    let copied: Vec<&str> = report.iter().map(|(table, _)| *table).collect();
    for table in copy::SESSION_TABLES {
        assert!(!copied.contains(table));
        assert!(sorted_rows(target.iam.store(), table).await.is_empty());
    }
    assert_eq!(
        sorted_rows(source.iam.store(), "access_keys").await,
        sorted_rows(target.iam.store(), "access_keys").await
    );
}

#[tokio::test]
async fn a_backup_taken_while_serving_opens_as_the_same_installation() {
    let (source, handed) = populated_sqlite().await;
    let file = source.dir.path().join("backup.db");

    backup::to_file(source.iam.store(), &file).await.unwrap();
    let refused = backup::to_file(source.iam.store(), &file).await;
    assert!(matches!(refused, Err(StoreError::Io(_))), "{refused:?}");

    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", file.display());
    let restored = test_iam_at(dir, &url, source.clock.clone(), Settings::default()).await;
    for table in TABLES {
        assert_eq!(
            sorted_rows(source.iam.store(), table).await,
            sorted_rows(restored.iam.store(), table).await,
            "{table}"
        );
    }
    assert_works_as_handed(&restored, &handed).await;
}
