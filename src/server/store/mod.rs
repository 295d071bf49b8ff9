//! The store: sqlx over the `Any` driver, so one set of portable queries serves SQLite (the
//! embedded default, in WAL mode) and PostgreSQL (several instances on one database). Nothing
//! outside the service layer calls it.

pub mod access_keys;
pub mod accounts;
pub mod attachments;
pub mod audit;
pub mod audit_chain;
pub mod backup;
pub mod console_signins;
pub mod copy;
pub mod entity_table;
pub mod error;
pub mod groups;
pub mod inline;
pub mod instance_profiles;
pub mod login_profiles;
pub mod mfa;
pub mod name_range;
pub mod oidc_providers;
pub mod password_policies;
pub mod policies;
pub mod principals;
pub mod roles;
pub mod saml_assertions;
pub mod saml_providers;
pub mod sealed_values;
pub mod sessions;
pub mod signin_tokens;
pub mod sts_sessions;
pub mod summary;
pub mod tags;
pub mod throttle;
pub mod users;
pub mod workload_tokens;

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

/// Which database a store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Database handles: writes through `writer`, reads through `reader`.
///
/// INVARIANT: write transactions run one at a time, whichever instance opens them. SQLite has
/// one writer connection; on PostgreSQL every transaction from `begin` first takes one advisory
/// lock (`WRITE_LOCK`), held until it commits or rolls back. So the checks a transaction makes
/// before it writes (a limit, a taken name, a one-use code, the audit chain's head) still hold
/// when it commits, as they do on SQLite — see the README's list of them.
#[derive(Clone, Debug)]
pub struct Store {
    backend: Backend,
    reader: AnyPool,
    writer: AnyPool,
}

/// The advisory lock every PostgreSQL write transaction holds (an arbitrary 64-bit key that
/// spells "ferriamw").
const WRITE_LOCK: i64 = 0x6665_7272_6961_6d77;

static INSTALL_DRIVERS: Once = Once::new();

impl Store {
    /// Opens `sqlite:…` or `postgres://…` (`postgresql://…`).
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        INSTALL_DRIVERS.call_once(sqlx::any::install_default_drivers);
        match url.split(':').next().unwrap_or("") {
            "sqlite" => Self::open_sqlite(url).await,
            "postgres" | "postgresql" => Self::open_postgres(url).await,
            scheme => Err(StoreError::UnsupportedUrl(scheme.to_string())),
        }
    }

    async fn open_sqlite(url: &str) -> Result<Self, StoreError> {
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
        Ok(Self {
            backend: Backend::Sqlite,
            reader,
            writer,
        })
    }

    /// Writers queue on the write lock, so a few connections keep it busy; readers get their
    /// own pool and never wait behind a writer.
    async fn open_postgres(url: &str) -> Result<Self, StoreError> {
        let options = AnyConnectOptions::from_str(url)?;
        let pool = |max| {
            AnyPoolOptions::new()
                .max_connections(max)
                .min_connections(1)
                .acquire_timeout(Duration::from_secs(5))
                .idle_timeout(Duration::from_secs(600))
                // sqlx pings every connection it takes back; one taken again soon after is
                // alive, and a round trip before each query would halve the reads a request
                // can make. One idle for longer (the server may have restarted or failed over
                // meanwhile) is pinged first, and dropped if it does not answer.
                .test_before_acquire(false)
                .before_acquire(|conn, meta| {
                    Box::pin(async move {
                        if meta.idle_for > POSTGRES_PING_AFTER_IDLE {
                            sqlx::Connection::ping(conn).await?;
                        }
                        Ok(true)
                    })
                })
        };
        let writer = pool(POSTGRES_WRITERS).connect_with(options.clone()).await?;
        let reader = pool(POSTGRES_READERS).connect_with(options).await?;
        Ok(Self {
            backend: Backend::Postgres,
            reader,
            writer,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies the backend's migrations; refuses a database whose schema is newer than this
    /// build (a migration it does not know was applied).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("migrations/postgres"),
        };
        migrator
            .run(&self.writer)
            .await
            .map_err(|error| match error {
                sqlx::migrate::MigrateError::VersionMissing(version) => {
                    StoreError::SchemaMismatch(format!(
                    "the database's schema is newer than this release: migration {version} was \
                     applied by a later Ferriam; run that release or a newer one"
                ))
                }
                other => other.into(),
            })?;
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

    /// The newest migration applied.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        let version: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
            .fetch_one(&self.reader)
            .await?;
        Ok(version.unwrap_or(0))
    }

    /// For queries that only read.
    pub fn reader(&self) -> &AnyPool {
        &self.reader
    }

    /// A write transaction: commit to keep, drop to roll back. It holds the write lock (see
    /// `Store`) from here to its end.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        let mut tx = self.writer.begin().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT 1 FROM pg_advisory_xact_lock($1)")
                .bind(WRITE_LOCK)
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx)
    }

    /// For single-statement writes that need no transaction.
    pub fn writer(&self) -> &AnyPool {
        &self.writer
    }

    /// Each pool's connections in use and idle, for `/metrics`.
    pub fn pool_use(&self) -> [PoolUse; 2] {
        let read = |name, pool: &AnyPool| {
            let idle = pool.num_idle() as u32;
            PoolUse {
                name,
                in_use: pool.size().saturating_sub(idle),
                idle,
            }
        };
        [read("reader", &self.reader), read("writer", &self.writer)]
    }

    /// `GET /readyz`: the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.reader).await?;
        Ok(())
    }
}

/// One pool's connections.
pub struct PoolUse {
    pub name: &'static str,
    pub in_use: u32,
    pub idle: u32,
}

/// Whether any of `values` can never have been stored: PostgreSQL's text holds no NUL
/// character and Ferriam stores none on either backend, so a lookup by such a value (caller
/// input) finds nothing without asking the database, which on PostgreSQL would refuse it.
pub fn never_stored(values: &[&str]) -> bool {
    values.iter().any(|value| value.contains('\0'))
}

const POSTGRES_WRITERS: u32 = 4;
const POSTGRES_PING_AFTER_IDLE: Duration = Duration::from_secs(1);
const POSTGRES_READERS: u32 = 16;

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
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Io(format!("cannot prepare the database directory: {e}"))
            })?;
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
