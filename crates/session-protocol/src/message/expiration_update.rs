//! Disappearing-messages setting changes (a `DataMessage` with the `EXPIRATION_TIMER_UPDATE`
//! flag). The new setting itself travels in the Content's `expirationType` and
//! `expirationTimer`, that is in [`super::Message::disappearing`].

use session_identity::SessionId;

use crate::proto::{DataMessage, data_message};

use super::error::ContentError;
use super::field::optional_session_id;

/// The `flags` value of an expiration-timer update.
pub(super) const EXPIRATION_TIMER_UPDATE_FLAG: u32 =
    data_message::Flags::ExpirationTimerUpdate as u32;

/// Announces a new disappearing-messages setting for the conversation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ExpirationTimerUpdate {
    /// On the copy sent to our own swarm: the conversation whose setting changed.
    pub sync_target: Option<SessionId>,
}

impl ExpirationTimerUpdate {
    /// An update; put the new setting in the message's `disappearing` field.
    pub fn new() -> Self {
        Self::default()
    }

    pub(super) fn to_proto(self) -> DataMessage {
        DataMessage {
            flags: Some(EXPIRATION_TIMER_UPDATE_FLAG),
            sync_target: self.sync_target.map(|id| id.to_string()),
            ..DataMessage::default()
        }
    }

    pub(super) fn from_proto(message: DataMessage) -> Result<Self, ContentError> {
        Ok(Self {
            sync_target: optional_session_id(message.sync_target, "DataMessage.syncTarget")?,
        })
    }
}
