//! What can go wrong sending or receiving messages.

use session_protocol::OutgoingError;

use crate::configs::ConfigError;
use crate::store::StoreError;

/// A messaging failure. Its messages name accounts and hashes at most, never keys or
/// message contents.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MessagingError {
    /// The network failed (after the swarm client's own retries).
    #[error(transparent)]
    Swarm(#[from] crate::Error),
    /// The persistent store failed; nothing was delivered twice or lost, but polling stops
    /// until it works again.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The message cannot be sent as given (its timestamps disagree, or the recipient is
    /// not a `05` Session ID).
    #[error(transparent)]
    Outgoing(#[from] OutgoingError),
    /// Too few swarm members confirmed a store for it to count as delivered.
    #[error("{confirmed} of {members} swarm members confirmed the store; {needed} needed")]
    Unconfirmed {
        /// Members whose signed result verified.
        confirmed: usize,
        /// Members that reported.
        members: usize,
        /// Confirmations required.
        needed: usize,
    },
    /// The system random generator failed.
    #[error("the system random generator failed")]
    Random,
    /// A blocking store task could not finish (the runtime is shutting down).
    #[error("a store task was cancelled")]
    Cancelled,
    /// The user configs polled with the messages could not be merged or saved.
    #[error(transparent)]
    Config(#[from] ConfigError),
}

impl From<crate::polling::PollError> for MessagingError {
    fn from(error: crate::polling::PollError) -> Self {
        match error {
            crate::polling::PollError::Swarm(error) => Self::Swarm(error),
            crate::polling::PollError::Store(error) => Self::Store(error),
            crate::polling::PollError::Cancelled => Self::Cancelled,
        }
    }
}
