//! What can go wrong starting or driving a local network.

/// The crate's error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A listener could not be bound or served.
    #[error("network I/O failed: {0}")]
    Io(#[from] std::io::Error),
    /// A self-signed certificate or TLS configuration could not be made.
    #[error("TLS setup failed: {0}")]
    Tls(String),
    /// A node's store failed.
    #[error(transparent)]
    Storage(#[from] crate::storage::StorageError),
    /// The builder was given settings that cannot work (for example more swarms than nodes).
    #[error("invalid local network settings: {0}")]
    Config(&'static str),
    /// No node has that index or key.
    #[error("no such node")]
    NoSuchNode,
}

/// The crate's result.
pub type Result<T, E = Error> = core::result::Result<T, E>;
