//! Typing indicators (`TypingMessage`), 1:1 only.

use crate::proto::{TypingMessage, typing_message};

use super::error::ContentError;
use super::field::{required, required_enum};

/// Started or stopped typing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TypingAction {
    /// The sender started typing.
    Started,
    /// The sender stopped.
    Stopped,
}

/// A typing indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct TypingIndicator {
    /// Started or stopped.
    pub action: TypingAction,
    /// When it was sent, in milliseconds. Senders use the message's creation time, and
    /// receivers drop the indicator unless it equals the envelope timestamp (see
    /// [`crate::envelope::check_timestamps`]).
    pub timestamp_ms: u64,
}

impl TypingIndicator {
    /// An indicator sent at `timestamp_ms` (the same value as the message's sent time).
    pub fn new(action: TypingAction, timestamp_ms: u64) -> Self {
        Self {
            action,
            timestamp_ms,
        }
    }

    pub(super) fn to_proto(self) -> TypingMessage {
        let action = match self.action {
            TypingAction::Started => typing_message::Action::Started,
            TypingAction::Stopped => typing_message::Action::Stopped,
        };
        TypingMessage {
            timestamp: Some(self.timestamp_ms),
            action: Some(action.into()),
        }
    }

    pub(super) fn from_proto(typing: TypingMessage) -> Result<Self, ContentError> {
        let action = match required_enum(typing.action, "TypingMessage.action")? {
            typing_message::Action::Started => TypingAction::Started,
            typing_message::Action::Stopped => TypingAction::Stopped,
        };
        Ok(Self {
            action,
            timestamp_ms: required(typing.timestamp, "TypingMessage.timestamp")?,
        })
    }
}
