//! Delete for everyone (`UnsendRequest`). Senders send it to the recipient and to their own
//! swarm, and give each one a distinct sent time.

use session_identity::SessionId;

use crate::proto;

use super::error::ContentError;
use super::field::{required, required_session_id};

/// Asks the recipient to delete one of our messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct UnsendRequest {
    /// The sent timestamp of the message to delete, in milliseconds.
    pub target_timestamp_ms: u64,
    /// Its author; receivers ignore the request unless it is the sender.
    pub author: SessionId,
}

impl UnsendRequest {
    /// A request to delete the message `author` sent at `target_timestamp_ms`.
    pub fn new(target_timestamp_ms: u64, author: SessionId) -> Self {
        Self {
            target_timestamp_ms,
            author,
        }
    }

    pub(super) fn to_proto(self) -> proto::UnsendRequest {
        proto::UnsendRequest {
            timestamp: Some(self.target_timestamp_ms),
            author: Some(self.author.to_string()),
        }
    }

    pub(super) fn from_proto(request: proto::UnsendRequest) -> Result<Self, ContentError> {
        Ok(Self {
            target_timestamp_ms: required(request.timestamp, "UnsendRequest.timestamp")?,
            author: required_session_id(request.author, "UnsendRequest.author")?,
        })
    }
}
