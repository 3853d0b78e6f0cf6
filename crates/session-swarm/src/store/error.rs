//! What can go wrong reading or writing persisted state.

/// A store failure. Messages name tables, limits and versions, never stored contents
/// (blobs may be group keys or config dumps).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database refused or failed an operation (I/O, locking, a constraint). Nothing
    /// of the failed batch was written.
    #[error("database error: {0}")]
    Database(String),
    /// The database was written by a newer version of this library; opening it could lose
    /// data that version relies on, so it is left untouched.
    #[error("database schema version {found} is newer than the supported {supported}")]
    SchemaTooNew {
        /// The `user_version` found in the file.
        found: u32,
        /// The newest version this library can read.
        supported: u32,
    },
    /// A stored value does not decode (wrong length, out of range): the file was altered
    /// outside this library or damaged.
    #[error("corrupt stored data in {0}")]
    Corrupt(&'static str),
    /// A write was refused before anything was written (e.g. an empty hash).
    #[error("invalid write: {0}")]
    Invalid(&'static str),
}

impl From<rusqlite::Error> for StoreError {
    // rusqlite's messages describe the failure and the SQL, not bound values, so they are
    // safe to keep; the type itself stays private so rusqlite is not part of the API.
    fn from(error: rusqlite::Error) -> Self {
        Self::Database(error.to_string())
    }
}
