//! The store: sqlx over the `Any` driver, so one set of portable queries serves SQLite (the
//! default, in WAL mode) and, later, PostgreSQL. Nothing outside the service layer calls it.

pub mod access_keys;
pub mod accounts;
pub mod attachments;
pub mod audit;
pub mod audit_chain;
pub mod entity_table;
pub mod error;
pub mod groups;
pub mod inline;
pub mod login_profiles;
pub mod mfa;
pub mod name_range;
pub mod password_policies;
pub mod policies;
pub mod principals;
pub mod roles;
pub mod sealed_values;
pub mod sessions;
pub mod sts_sessions;
pub mod summary;
pub mod tags;
pub mod throttle;
pub mod users;

use std::str::FromStr;
use std::sync::Once;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

pub use error::StoreError;

/// The `owner` of the root user's credentials (access keys, MFA devices); IAM users' are
/// their user IDs.
pub const ROOT_OWNER: &str = "root";

pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// Database handles. SQLite allows one writer at a time, so writes go through a pool of one
/// connection (no SQLITE_BUSY between our own writers) and reads through several.
#[derive(Clone, Debug)]
pub struct Store {
    reader: AnyPool,
    writer: AnyPool,
}

static INSTALL_DRIVERS: Once = Once::new();

impl Store {
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        INSTALL_DRIVERS.call_once(sqlx::any::install_default_drivers);
        if !url.starts_with("sqlite:") {
            return Err(StoreError::UnsupportedUrl(
                url.split(':').next().unwrap_or("").to_string(),
            ));
        }
        let url = sqlite_url_creating_file(url)?;
        let options = AnyConnectOptions::from_str(&url)?;
        let writer = AnyPoolOptions::new()
            .max_connections(1)
            // A SQLite connection is a local file handle, not a socket that can drop: pinging
            // it before every use (sqlx's default) doubles the trips to its worker thread.
            .test_before_acquire(false)
            .after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(SQLITE_PRAGMAS).await?;
                    Ok(())
                })
            })
            .connect_with(options.clone())
            .await?;
        // Switch to WAL (persistent in the file) before any reader connects.
        sqlx::query("PRAGMA journal_mode = WAL")
            .execute(&writer)
            .await?;
        let reader = AnyPoolOptions::new()
            .max_connections(8)
            .min_connections(1)
            .idle_timeout(Duration::from_secs(600))
            .test_before_acquire(false)
            .after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute(SQLITE_PRAGMAS).await?;
                    conn.execute("PRAGMA query_only = ON").await?;
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Self { reader, writer })
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        sqlx::migrate!("migrations/sqlite")
            .run(&self.writer)
            .await?;
        let mut tx = self.begin().await?;
        let sealed = audit_chain::seal_unsealed(&mut tx).await?;
        let upgraded = principals::name_trusted_principals_by_id(&mut tx).await?;
        tx.commit().await?;
        if upgraded > 0 {
            tracing::info!(
                roles = upgraded,
                "trust policies now name their users and roles by unique ID"
            );
        }
        if sealed > 0 {
            tracing::info!(
                records = sealed,
                "sealed audit records written before the hash chain"
            );
        }
        Ok(())
    }

    /// For queries that only read.
    pub fn reader(&self) -> &AnyPool {
        &self.reader
    }

    /// A write transaction: commit to keep, drop to roll back.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        Ok(self.writer.begin().await?)
    }

    /// For single-statement writes that need no transaction.
    pub fn writer(&self) -> &AnyPool {
        &self.writer
    }

    /// `GET /readyz`: the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.reader).await?;
        Ok(())
    }
}

// busy_timeout covers readers meeting a checkpoint; synchronous FULL makes every commit
// durable before it is acknowledged.
const SQLITE_PRAGMAS: &str = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; \
    PRAGMA synchronous = FULL;";

/// Adds `mode=rwc` (create the file if missing) and creates the parent directory.
fn sqlite_url_creating_file(url: &str) -> Result<String, StoreError> {
    let path_part = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if !path_part.is_empty() && path_part != ":memory:" {
        if let Some(dir) = std::path::Path::new(path_part)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Io(e.to_string()))?;
        }
    }
    if url.contains("mode=") {
        Ok(url.to_string())
    } else if url.contains('?') {
        Ok(format!("{url}&mode=rwc"))
    } else {
        Ok(format!("{url}?mode=rwc"))
    }
}
