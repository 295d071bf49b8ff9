//! `ferriam backup`: a consistent copy of a SQLite database taken while it serves (`VACUUM
//! INTO` reads one snapshot, so writers go on). PostgreSQL has its own tools for this.

use std::path::Path;

use super::{Backend, Store, StoreError};

/// Writes the whole database to `path`, a new file: restoring is putting it in place of the
/// database file while the server is stopped.
pub async fn to_file(store: &Store, path: &Path) -> Result<(), StoreError> {
    if store.backend() == Backend::Postgres {
        return Err(StoreError::Unsupported(
            "ferriam backup copies a SQLite database; back up PostgreSQL with pg_dump or \
             pg_basebackup"
                .to_string(),
        ));
    }
    if path.exists() {
        return Err(StoreError::Io(format!(
            "{} already exists; a backup never overwrites a file",
            path.display()
        )));
    }
    let Some(target) = path.to_str() else {
        return Err(StoreError::Io(format!(
            "{} is not a UTF-8 path",
            path.display()
        )));
    };
    // The writer connection: readers are query-only, which SQLite holds to refuse VACUUM.
    // VACUUM INTO only reads this database, so the serving process's writers go on.
    let written = sqlx::query("VACUUM INTO $1")
        .bind(target)
        .execute(store.writer())
        .await;
    if let Err(error) = written {
        // Leave no partial file that could pass for a backup.
        let _ = std::fs::remove_file(path);
        return Err(error.into());
    }
    Ok(())
}
