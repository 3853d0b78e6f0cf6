//! Room objects (`/rooms`, `/room/R`, `pollInfo.details`) and poll info.

use serde::{Deserialize, Serialize};
use session_identity::SessionId;

/// A pinned message in a room.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PinnedMessage {
    /// The message id.
    pub id: u64,
    /// When it was pinned, unix seconds.
    pub pinned_at: f64,
    /// Who pinned it (may be the server's own `ff` pseudo user, so kept as text).
    pub pinned_by: String,
}

/// A room as the server describes it to the caller. Permission fields are the caller's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Room {
    /// The room token.
    pub token: String,
    /// Display name.
    pub name: String,
    /// Description, if any.
    #[serde(default)]
    pub description: Option<String>,
    /// Metadata change counter (name, description, image, pins, mods).
    pub info_updates: u64,
    /// The room's latest seqno.
    pub message_sequence: u64,
    /// Creation time, unix seconds.
    #[serde(default)]
    pub created: f64,
    /// Users active within `active_users_cutoff`.
    #[serde(default)]
    pub active_users: u64,
    /// The activity window, seconds.
    #[serde(default)]
    pub active_users_cutoff: u64,
    /// The room image's file id.
    #[serde(default)]
    pub image_id: Option<u64>,
    /// Pinned messages, in pin order.
    #[serde(default)]
    pub pinned_messages: Vec<PinnedMessage>,
    /// Visible moderators.
    #[serde(default)]
    pub moderators: Vec<SessionId>,
    /// Visible admins.
    #[serde(default)]
    pub admins: Vec<SessionId>,
    /// Hidden moderators (shown to moderators only).
    #[serde(default)]
    pub hidden_moderators: Vec<SessionId>,
    /// Hidden admins (shown to moderators only).
    #[serde(default)]
    pub hidden_admins: Vec<SessionId>,
    /// Whether the caller may read.
    #[serde(default)]
    pub read: bool,
    /// Whether the caller may post.
    #[serde(default)]
    pub write: bool,
    /// Whether the caller may upload.
    #[serde(default)]
    pub upload: bool,
    /// Whether the caller moderates the room.
    #[serde(default)]
    pub moderator: bool,
    /// Whether the caller administers the room.
    #[serde(default)]
    pub admin: bool,
    /// Whether the caller is a global moderator.
    #[serde(default)]
    pub global_moderator: bool,
    /// Whether the caller is a global admin.
    #[serde(default)]
    pub global_admin: bool,
    /// Default read permission (moderators only).
    #[serde(default)]
    pub default_read: Option<bool>,
    /// Default accessibility (moderators only).
    #[serde(default)]
    pub default_accessible: Option<bool>,
    /// Default write permission (moderators only).
    #[serde(default)]
    pub default_write: Option<bool>,
    /// Default upload permission (moderators only).
    #[serde(default)]
    pub default_upload: Option<bool>,
}

/// `GET /room/R/pollInfo/{info_updates}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PollInfo {
    /// The room token.
    pub token: String,
    /// Active users.
    #[serde(default)]
    pub active_users: u64,
    /// Whether the caller may read.
    #[serde(default)]
    pub read: bool,
    /// Whether the caller may post.
    #[serde(default)]
    pub write: bool,
    /// Whether the caller may upload.
    #[serde(default)]
    pub upload: bool,
    /// Whether the caller moderates the room.
    #[serde(default)]
    pub moderator: bool,
    /// Whether the caller administers the room.
    #[serde(default)]
    pub admin: bool,
    /// The full room, present iff its `info_updates` differs from the one asked with.
    #[serde(default)]
    pub details: Option<Room>,
}
