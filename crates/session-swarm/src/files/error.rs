//! What can go wrong moving files to and from a file server.

use session_protocol::attachment::AttachmentError;

/// A file transfer failure. Messages name file ids and statuses at most, never keys or file
/// contents.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FileError {
    /// The server could not be reached (after the transport's own retries).
    #[error(transparent)]
    Network(#[from] crate::Error),
    /// The server has no such file (never uploaded, or expired). Not worth retrying.
    #[error("the file server has no such file")]
    NotFound,
    /// The server refused the request with another status.
    #[error("the file server answered {status}: {body}")]
    Status {
        /// The HTTP status.
        status: u16,
        /// The start of the body, as text.
        body: String,
    },
    /// A 2xx answer without the fields the file server sends.
    #[error("malformed file server answer: {0}")]
    Malformed(String),
    /// A file URL or id that names no file this client can fetch.
    #[error("invalid file URL: {0}")]
    InvalidUrl(String),
    /// A file server URL or key that cannot be used.
    #[error("invalid file server: {0}")]
    InvalidServer(String),
    /// Nothing to upload: the file server refuses empty files.
    #[error("cannot upload an empty file")]
    Empty,
    /// More bytes than the file server (and an onion request) accepts.
    #[error("{size} bytes exceed the {max}-byte upload limit")]
    TooLarge {
        /// Bytes given.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// An attachment pointer without a field download needs.
    #[error("the attachment pointer has no {0}")]
    IncompletePointer(&'static str),
    /// Encryption or decryption failed: a tampered or truncated file, a wrong digest, key
    /// or size (each its own [`AttachmentError`] variant).
    #[error(transparent)]
    Attachment(#[from] AttachmentError),
    /// The system random generator failed, so nothing was encrypted.
    #[error("the system random generator failed")]
    Random,
}
