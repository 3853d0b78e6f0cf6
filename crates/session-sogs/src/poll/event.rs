//! What a poll reports.

use std::collections::BTreeMap;

use crate::dm::ReceivedDm;
use crate::received::{CommunityMessage, Reaction};
use crate::types::Room;

/// One thing a poll found.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum PollEvent {
    /// A new or edited message.
    Message {
        /// The room token.
        room: String,
        /// The message.
        message: CommunityMessage,
    },
    /// A message's reactions changed.
    Reactions {
        /// The room token.
        room: String,
        /// The message id.
        id: u64,
        /// The new seqno.
        seqno: u64,
        /// All its reactions now.
        reactions: BTreeMap<String, Reaction>,
    },
    /// A message was deleted.
    Deleted {
        /// The room token.
        room: String,
        /// The message id.
        id: u64,
        /// The deletion's seqno.
        seqno: u64,
    },
    /// The room's details changed (name, description, image, pins, moderators).
    RoomInfo {
        /// The room token.
        room: String,
        /// The room.
        info: Box<Room>,
    },
    /// A DM arrived in the inbox.
    Dm(ReceivedDm),
    /// A DM we sent (perhaps from another device) is in the outbox.
    OutboxDm(ReceivedDm),
}
