//! 03-group control messages (`DataMessage.groupUpdateMessage`), carried through untyped: the
//! groups layer builds and checks them (admin signatures, member auth data).

use crate::proto::{DataMessage, GroupUpdateMessage};

use super::profile::Profile;

/// A group control message: an invite or promotion sent 1:1, or a change sent to the group.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct GroupUpdate {
    /// The protobuf message, as built by the groups layer.
    pub update: GroupUpdateMessage,
    /// The sender's profile.
    pub profile: Option<Profile>,
}

impl GroupUpdate {
    /// Wraps a group update.
    pub fn new(update: GroupUpdateMessage) -> Self {
        Self {
            update,
            profile: None,
        }
    }

    /// Whether this goes 1:1 to a member's own swarm (an invite or a promotion) rather than to
    /// the group.
    pub fn is_direct(&self) -> bool {
        self.update.invite_message.is_some() || self.update.promote_message.is_some()
    }

    pub(super) fn to_proto(&self) -> DataMessage {
        let (profile, profile_key) = self.profile.as_ref().map(Profile::to_proto).unzip();
        DataMessage {
            profile_key: profile_key.flatten(),
            profile,
            group_update_message: Some(self.update.clone()),
            ..DataMessage::default()
        }
    }

    /// Reads the group update of a `DataMessage` that has one.
    pub(super) fn from_proto(message: DataMessage, update: GroupUpdateMessage) -> Self {
        Self {
            update,
            profile: Profile::from_proto(message.profile, message.profile_key.as_deref()),
        }
    }
}
