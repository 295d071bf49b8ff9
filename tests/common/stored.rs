//! Every byte the database holds, to prove a secret is never stored in the clear: SQLite's files
//! (the write-ahead log checkpointed first), or PostgreSQL's rows, every column as text and every
//! binary column as its raw bytes.

use sqlx::Row;

use super::TestIam;
use ferriam::server::store::Backend;

pub async fn stored_bytes(t: &TestIam) -> Vec<u8> {
    let store = t.iam.store();
    t.iam.audit().flush().await;
    match store.backend() {
        Backend::Sqlite => {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(store.writer())
                .await
                .unwrap();
            let mut bytes = Vec::new();
            for file in std::fs::read_dir(t.dir.path()).unwrap() {
                let path = file.unwrap().path();
                if path.is_file() {
                    bytes.extend(std::fs::read(path).unwrap());
                }
            }
            bytes
        }
        Backend::Postgres => {
            let db = store.reader();
            let mut bytes = Vec::new();
            for table in super::snapshot::postgres_tables(db).await {
                // Identifiers come from the schema itself, never from test input.
                let rows = sqlx::query(&format!("SELECT CAST(t AS TEXT) FROM \"{table}\" t"))
                    .fetch_all(db)
                    .await
                    .unwrap();
                for row in rows {
                    bytes.extend(row.get::<String, _>(0).into_bytes());
                }
                let binary: Vec<String> = sqlx::query_scalar(
                    "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name = $1 \
                     AND data_type = 'bytea'",
                )
                .bind(&table)
                .fetch_all(db)
                .await
                .unwrap();
                for column in binary {
                    let values: Vec<Option<Vec<u8>>> =
                        sqlx::query_scalar(&format!("SELECT \"{column}\" FROM \"{table}\""))
                            .fetch_all(db)
                            .await
                            .unwrap();
                    bytes.extend(values.into_iter().flatten().flatten());
                }
            }
            bytes
        }
    }
}
