//! Swarm namespaces, and which one each kind of message is stored in.
//!
//! The values are libsession's `Namespace` enum (`config/namespaces.hpp`, later
//! `namespaces.h`; libsession-util.md section 8) and the clients' use of them (clients.md
//! section 2; desktop `SnodeNamespaces`).

use super::content::Message;
use super::kind::MessageKind;

/// 1:1 messages, sync copies and 1:1 group invites: anyone may store here (libsession
/// `Default`).
pub const DEFAULT: i16 = 0;
/// The user's profile config (libsession `UserProfile`).
pub const USER_PROFILE: i16 = 2;
/// The contacts config (libsession `Contacts`).
pub const CONTACTS: i16 = 3;
/// The conversation-info config (libsession `ConvoInfoVolatile`).
pub const CONVO_INFO_VOLATILE: i16 = 4;
/// The user-groups config (libsession `UserGroups`).
pub const USER_GROUPS: i16 = 5;
/// Messages in a 03 group's swarm (libsession `GroupMessages`).
pub const GROUP_MESSAGES: i16 = 11;
/// A 03 group's key messages (libsession `GroupKeys`).
pub const GROUP_KEYS: i16 = 12;
/// A 03 group's info config (libsession `GroupInfo`).
pub const GROUP_INFO: i16 = 13;
/// A 03 group's members config (libsession `GroupMembers`).
pub const GROUP_MEMBERS: i16 = 14;
/// Group messages that removed members can still read (libsession
/// `RevokedRetrievableGroupMessages`).
pub const REVOKED_RETRIEVABLE_GROUP_MESSAGES: i16 = -11;

impl MessageKind {
    /// The namespace this kind is stored in when sent the way this crate's envelopes send it:
    /// [`DEFAULT`] for everything 1:1 (and for sync copies in our own swarm), except group
    /// updates meant for the group itself, which go to [`GROUP_MESSAGES`]. Group invites and
    /// promotions go 1:1 to the member, so [`DEFAULT`] (clients.md section 8).
    ///
    /// Visible messages sent to a 03 group also go to [`GROUP_MESSAGES`]; that is a choice of
    /// destination, made by the groups layer.
    pub fn namespace(&self) -> i16 {
        match self {
            Self::GroupUpdate(update) if !update.is_direct() => GROUP_MESSAGES,
            _ => DEFAULT,
        }
    }
}

impl Message {
    /// The namespace to store this message in; see [`MessageKind::namespace`].
    pub fn namespace(&self) -> i16 {
        self.kind.namespace()
    }
}
