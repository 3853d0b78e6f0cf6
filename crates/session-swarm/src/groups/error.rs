//! What can go wrong running closed groups.

use session_identity::SessionId;

use crate::configs::ConfigError;
use crate::store::StoreError;

/// A closed-group failure. Its messages name groups, members and counts, never keys or
/// message contents.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GroupError {
    /// The network failed (after the swarm client's own retries).
    #[error(transparent)]
    Swarm(#[from] crate::Error),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The user configs (where joined groups are recorded) failed.
    #[error(transparent)]
    Configs(#[from] ConfigError),
    /// A UserGroups entry could not be made (an ID that is not a group's).
    #[error(transparent)]
    Config(#[from] session_config::Error),
    /// The group state refused an operation or a message (a forged invite, a name too
    /// long, a key message that does not load).
    #[error(transparent)]
    Group(#[from] session_groups::GroupError),
    /// A group message could not be encrypted or decrypted.
    #[error(transparent)]
    Message(#[from] session_groups::MessageError),
    /// Subaccount auth data could not be made or used.
    #[error(transparent)]
    Subaccount(#[from] session_groups::SubaccountError),
    /// A control message is invalid (a bad admin signature, bad auth data).
    #[error(transparent)]
    Control(#[from] session_groups::ControlError),
    /// A 1:1 message (an invite, a promotion) could not be sent.
    #[error("sending to {to} failed: {reason}")]
    Direct {
        /// The recipient.
        to: SessionId,
        /// Why (the messenger's error, as text).
        reason: String,
    },
    /// We are not in this group.
    #[error("not in group {0}")]
    UnknownGroup(SessionId),
    /// The operation needs the group's admin key.
    #[error("this needs the admin key of group {0}")]
    NotAdmin(SessionId),
    /// We were removed from the group (or it was destroyed).
    #[error("removed from group {0}")]
    Removed(SessionId),
    /// A group holds at most 100 members, admins included.
    #[error("a group holds at most {max} members, not {count}")]
    TooManyMembers {
        /// The size asked for.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A member that is not a `05` Session ID, or a group that is not `03`.
    #[error("{0} cannot be used here")]
    WrongPrefix(SessionId),
    /// Too few swarm members confirmed a store.
    #[error("{confirmed} of {members} swarm members confirmed the store; {needed} needed")]
    Unconfirmed {
        /// Members whose signed result verified.
        confirmed: usize,
        /// Members that reported.
        members: usize,
        /// Confirmations required.
        needed: usize,
    },
    /// A saved group state does not decode.
    #[error("corrupt saved state of a group: {0}")]
    Corrupt(&'static str),
    /// The system random generator failed.
    #[error("the system random generator failed")]
    Random,
    /// A blocking store task could not finish (the runtime is shutting down).
    #[error("a store task was cancelled")]
    Cancelled,
}

impl From<crate::polling::PollError> for GroupError {
    fn from(error: crate::polling::PollError) -> Self {
        match error {
            crate::polling::PollError::Swarm(error) => Self::Swarm(error),
            crate::polling::PollError::Store(error) => Self::Store(error),
            crate::polling::PollError::Cancelled => Self::Cancelled,
        }
    }
}
