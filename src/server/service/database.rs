//! The operator's database commands: apply migrations, copy an installation into a new
//! database, back up a serving SQLite file. No caller but the operator's terminal reaches them.

use std::path::Path;

use super::iam::{open_database, open_store};
use super::ServiceError;
use crate::server::config::Config;
use crate::server::store::{backup, copy};

/// Applies this release's migrations to the configured database; returns its schema version.
pub async fn migrate(config: &Config) -> Result<i64, ServiceError> {
    let store = open_store(config).await?;
    Ok(store.schema_version().await?)
}

/// Copies every row from the database at `from` into the new, empty one at `to` (migrated
/// first); console and STS sessions only `with_sessions`.
pub async fn copy(
    from: &str,
    to: &str,
    with_sessions: bool,
) -> Result<copy::CopyReport, ServiceError> {
    let source = open_database(from).await?;
    let target = open_database(to).await?;
    Ok(copy::copy(&source, &target, with_sessions).await?)
}

/// Writes a consistent copy of the configured SQLite database to `path`, a new file.
pub async fn backup(config: &Config, path: &Path) -> Result<(), ServiceError> {
    let store = open_store(config).await?;
    Ok(backup::to_file(&store, path).await?)
}
