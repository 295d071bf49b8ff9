//! Store errors, with the one distinction the service layer needs: a unique-key collision.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL scheme {0:?} (Ferriam serves sqlite: and postgres:)")]
    UnsupportedUrl(String),
    #[error("the newest audit record is not sealed; restart to seal it")]
    UnsealedAudit,
    #[error("{0}")]
    Io(String),
    #[error("the target database is not empty (table {0} has rows); copy into a new database")]
    TargetNotEmpty(String),
    #[error("{0}")]
    SchemaMismatch(String),
    #[error("{0}")]
    Unsupported(String),
    #[error("stored data does not read: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// True when an INSERT or UPDATE hit a UNIQUE constraint.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Sqlx(sqlx::Error::Database(error)) => error.is_unique_violation(),
            _ => false,
        }
    }
}
