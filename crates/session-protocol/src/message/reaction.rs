//! Emoji reactions in 1:1 and group conversations (`DataMessage.reaction`). Communities use
//! SOGS's reaction endpoints instead.

use session_identity::SessionId;

use crate::proto::{DataMessage, data_message};

use super::error::ContentError;
use super::field::{optional_session_id, required, required_enum, required_session_id};
use super::profile::Profile;

/// Adding or removing a reaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReactionAction {
    /// Add the emoji.
    React,
    /// Remove it.
    Remove,
}

/// An emoji reaction to a message.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Reaction {
    /// The sent timestamp of the message reacted to, in milliseconds.
    pub target_timestamp_ms: u64,
    /// That message's author.
    pub target_author: SessionId,
    /// The emoji.
    pub emoji: String,
    /// Add or remove.
    pub action: ReactionAction,
    /// The sender's profile (desktop sends reactions as visible messages, profile included).
    pub profile: Option<Profile>,
    /// On the copy sent to our own swarm: the conversation the reaction was sent to.
    pub sync_target: Option<SessionId>,
}

impl Reaction {
    /// A reaction with `emoji` to the message `target_author` sent at `target_timestamp_ms`.
    pub fn new(
        target_timestamp_ms: u64,
        target_author: SessionId,
        emoji: impl Into<String>,
        action: ReactionAction,
    ) -> Self {
        Self {
            target_timestamp_ms,
            target_author,
            emoji: emoji.into(),
            action,
            profile: None,
            sync_target: None,
        }
    }

    pub(super) fn to_proto(&self) -> DataMessage {
        let action = match self.action {
            ReactionAction::React => data_message::reaction::Action::React,
            ReactionAction::Remove => data_message::reaction::Action::Remove,
        };
        let (profile, profile_key) = self.profile.as_ref().map(Profile::to_proto).unzip();
        DataMessage {
            profile_key: profile_key.flatten(),
            reaction: Some(data_message::Reaction {
                id: Some(self.target_timestamp_ms),
                author: Some(self.target_author.to_string()),
                emoji: Some(self.emoji.clone()),
                action: Some(action.into()),
            }),
            profile,
            sync_target: self.sync_target.map(|id| id.to_string()),
            ..DataMessage::default()
        }
    }

    /// Reads the reaction of a `DataMessage` that has one.
    pub(super) fn from_proto(
        message: DataMessage,
        reaction: data_message::Reaction,
    ) -> Result<Self, ContentError> {
        let action = match required_enum(reaction.action, "Reaction.action")? {
            data_message::reaction::Action::React => ReactionAction::React,
            data_message::reaction::Action::Remove => ReactionAction::Remove,
        };
        Ok(Self {
            target_timestamp_ms: required(reaction.id, "Reaction.id")?,
            target_author: required_session_id(reaction.author, "Reaction.author")?,
            emoji: reaction.emoji.unwrap_or_default(),
            action,
            profile: Profile::from_proto(message.profile, message.profile_key.as_deref()),
            sync_target: optional_session_id(message.sync_target, "DataMessage.syncTarget")?,
        })
    }
}
