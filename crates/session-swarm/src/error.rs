//! What can go wrong talking to the swarms.

/// The crate's error. Its messages name nodes and accounts at most, never keys or data.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A response did not have the shape the storage server gives it.
    #[error("malformed response: {0}")]
    Malformed(String),
    /// The node answered with a status the caller has to handle.
    #[error("the node answered {status}: {body}")]
    Status {
        /// The RPC status.
        status: u16,
        /// The body, as text.
        body: String,
    },
    /// A swarm member's signature over its result did not verify.
    #[error("swarm member {member} signed its result wrongly")]
    BadMemberSignature {
        /// The member's Ed25519 key, hex.
        member: String,
    },
    /// The request could not be sent or answered (connection, TLS, timeout).
    #[error("transport failed: {0}")]
    Transport(String),
    /// An onion request failed along the path or at the destination.
    #[error(transparent)]
    Onion(#[from] session_onion::Failure),
    /// An onion request could not be built.
    #[error(transparent)]
    OnionBuild(#[from] session_onion::Error),
    /// The client was configured with settings that cannot work.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The request did not complete within its deadline (retries included).
    #[error("timed out after {limit_ms} ms")]
    Timeout {
        /// The deadline that passed, in milliseconds.
        limit_ms: u64,
    },
    /// No onion path could be built from the node pool; refresh the pool and try again.
    #[error("no onion path is available")]
    NoPath,
    /// A storage request could not be built as asked (the server would refuse it).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// A `batch` or `sequence` had no subrequests or more than 20.
    #[error("a batch holds 1 to 20 subrequests, not {count}")]
    BatchSize {
        /// How many were given.
        count: usize,
    },
    /// A store was answered, but no swarm member's signed result verified: the message
    /// cannot be counted as delivered.
    #[error("no swarm member confirmed the store ({members} reported)")]
    NotStored {
        /// How many members reported (failed, unverifiable or malformed).
        members: usize,
    },
    /// No node is known to send the request to (empty pool or swarm).
    #[error("no node is available")]
    NoNodes,
}

/// The crate's result.
pub type Result<T, E = Error> = core::result::Result<T, E>;
