//! The small answers of write calls.

use serde::{Deserialize, Serialize};
use session_identity::SessionId;

/// A message the server accepted (`POST /room/R/message`).
#[derive(Debug, Clone, PartialEq)]
pub struct PostedMessage {
    /// The message id.
    pub id: u64,
    /// Its seqno.
    pub seqno: u64,
    /// When it was posted, unix seconds.
    pub posted: f64,
    /// Whether a filter silently hid it from others.
    pub filtered: bool,
}

/// The result of adding or removing a reaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReactionChange {
    /// False if the reaction was already there (add) or not there (remove).
    pub changed: bool,
    /// The message's seqno after the change.
    pub seqno: u64,
}

/// Who reacted, and when.
#[derive(Debug, Clone, PartialEq)]
pub struct Reactor {
    /// The reactor's id (blinded on blinding servers).
    pub session_id: SessionId,
    /// When, unix seconds.
    pub at: f64,
}

/// An uploaded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadedFile {
    /// The file id (put it in a post's `files` to keep it).
    pub id: u64,
    /// Where it downloads from: `{base}/room/{room}/file/{id}`.
    pub url: String,
}

/// A downloaded file.
#[derive(Clone, PartialEq, Eq)]
pub struct DownloadedFile {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// The filename from `Content-Disposition`, if any.
    pub filename: Option<String>,
}

impl core::fmt::Debug for DownloadedFile {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DownloadedFile")
            .field("len", &self.bytes.len())
            .field("filename", &self.filename)
            .finish()
    }
}

/// A DM the server accepted (`POST /inbox/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentDm {
    /// The message id.
    pub id: u64,
    /// When it was posted, unix seconds.
    pub posted_at: f64,
    /// When it expires, unix seconds.
    #[serde(default)]
    pub expires_at: Option<f64>,
}

/// `DELETE /rooms/all/{sid}`: how many posts went, in total and per room.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DeletedEverywhere {
    /// All rooms together.
    pub total: u64,
    /// By room token.
    #[serde(default)]
    pub rooms: std::collections::BTreeMap<String, u64>,
}
