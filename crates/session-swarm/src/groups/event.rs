//! What the groups driver hands the application.

use session_groups::control::GroupUpdate;
use session_identity::SessionId;
use session_protocol::Message;
use session_protocol::message::MessageKind;

/// A message posted to a group (namespace 11), decrypted and its sender's signature
/// verified.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct GroupMessage {
    /// The group.
    pub group: SessionId,
    /// Who signed it (recovered from the encryption, never from the envelope).
    pub sender: SessionId,
    /// Its hash in the group's swarm.
    pub hash: String,
    /// When the sender sent it (the envelope timestamp), ms.
    pub sent_at_ms: u64,
    /// When the swarm drops it, ms.
    pub expires_at_ms: u64,
    /// The message.
    pub message: Message,
}

impl GroupMessage {
    /// The text of a visible message, if it has one.
    pub fn text(&self) -> Option<&str> {
        match &self.message.kind {
            MessageKind::Visible(visible) => visible.body.as_deref(),
            _ => None,
        }
    }
}

/// Something that happened in one of our groups.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum GroupEvent {
    /// An admin invited us (a verified invite came 1:1).
    Invited {
        /// The group.
        group: SessionId,
        /// Its name, as the invite gives it.
        name: String,
        /// Who sent the invite.
        by: SessionId,
    },
    /// We are in the group now and poll it: an invite was accepted, or another device of
    /// ours joined it (the UserGroups config brought it).
    Joined {
        /// The group.
        group: SessionId,
    },
    /// We became an admin (a promotion came 1:1 with the group seed).
    Promoted {
        /// The group.
        group: SessionId,
    },
    /// A message posted to the group (boxed: it is by far the largest event).
    Message(Box<GroupMessage>),
    /// A control message posted to the group (member changes, info changes, departures),
    /// its admin signature verified where it needs one.
    Update {
        /// The group.
        group: SessionId,
        /// Who posted it.
        sender: SessionId,
        /// Its sent timestamp, ms.
        sent_at_ms: u64,
        /// What it says (boxed: invites carry auth data).
        update: Box<GroupUpdate>,
    },
    /// The group's Info config changed (name, description, ...).
    InfoChanged {
        /// The group.
        group: SessionId,
        /// The name now.
        name: Option<String>,
    },
    /// The group's Members config changed.
    MembersChanged {
        /// The group.
        group: SessionId,
    },
    /// A new key generation arrived (a rekey after a removal, or a supplement).
    KeysChanged {
        /// The group.
        group: SessionId,
        /// The newest generation.
        generation: i64,
    },
    /// An admin destroyed the group.
    Destroyed {
        /// The group.
        group: SessionId,
    },
    /// We were removed: the group's notice in namespace -11 names us. The group is no
    /// longer polled.
    Kicked {
        /// The group.
        group: SessionId,
    },
}

/// A message the group's swarm confirmed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SentGroupMessage {
    /// Its hash in the group's swarm.
    pub hash: String,
    /// Its sent timestamp (the envelope's), ms.
    pub timestamp_ms: u64,
}

/// A group as [`Groups::list`](crate::messaging::Groups::list) describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct GroupSummary {
    /// The group's `03` ID.
    pub id: SessionId,
    /// Its name.
    pub name: String,
    /// Whether we are an admin.
    pub admin: bool,
    /// Invited, not yet accepted.
    pub invited: bool,
    /// Removed from it.
    pub kicked: bool,
    /// How many members the Members config lists.
    pub members: usize,
}

/// What sending invites did.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct InviteReport {
    /// The group.
    pub group: SessionId,
    /// The members whose invite could not be delivered (they are in the Members config;
    /// invite them again).
    pub failed: Vec<SessionId>,
}
