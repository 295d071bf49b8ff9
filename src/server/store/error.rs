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
    #[error("cannot prepare the database directory: {0}")]
    Io(String),
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
