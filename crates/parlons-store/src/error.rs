//! Errors of the store.

/// What can go wrong talking to the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row does not exist.
    #[error("not found")]
    NotFound,
    /// A unique value is taken (slug, username).
    #[error("already exists: {0}")]
    Conflict(&'static str),
    /// A rule of the data model would break (e.g. a room without owner).
    #[error("not allowed: {0}")]
    Rule(&'static str),
    /// A stored value cannot be read back.
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// Bad configuration (URL).
    #[error("{0}")]
    Config(String),
    /// The database answered an error.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Result of store calls.
pub type Result<T> = std::result::Result<T, StoreError>;

/// Maps a unique-constraint violation to [`StoreError::Conflict`].
pub(crate) fn unique(what: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict(what),
        _ => StoreError::Db(e),
    }
}
