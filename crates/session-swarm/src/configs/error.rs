//! What can go wrong syncing the user configs.

use crate::store::StoreError;

/// A config sync failure. Its messages name namespaces and counts, never config contents or
/// keys.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The network failed (after the swarm client's own retries).
    #[error(transparent)]
    Swarm(#[from] crate::Error),
    /// The store failed; the configs in memory are ahead of the saved dumps until the next
    /// change is saved.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A config refused a change or could not be pushed or loaded.
    #[error(transparent)]
    Config(#[from] session_config::Error),
    /// Too few swarm members confirmed the store of a config message; the config stays
    /// unconfirmed and is pushed again.
    #[error(
        "namespace {namespace}: {confirmed} of {members} swarm members confirmed; {needed} needed"
    )]
    Unconfirmed {
        /// The config's namespace.
        namespace: i16,
        /// Members whose signed result verified.
        confirmed: usize,
        /// Members that reported.
        members: usize,
        /// Confirmations required.
        needed: usize,
    },
    /// A blocking store task could not finish (the runtime is shutting down).
    #[error("a store task was cancelled")]
    Cancelled,
}

impl From<crate::polling::PollError> for ConfigError {
    fn from(error: crate::polling::PollError) -> Self {
        match error {
            crate::polling::PollError::Swarm(error) => Self::Swarm(error),
            crate::polling::PollError::Store(error) => Self::Store(error),
            crate::polling::PollError::Cancelled => Self::Cancelled,
        }
    }
}
