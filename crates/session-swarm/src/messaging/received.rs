//! A message as the messenger hands it to the application.

use session_identity::SessionId;
use session_protocol::Message;
use session_protocol::message::MessageKind;

/// A received, decrypted, signature-verified message.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct IncomingMessage {
    /// Who signed it.
    pub sender: SessionId,
    /// Its hash on the swarm (what `delete` and `expire` name it by).
    pub hash: String,
    /// The namespace it was polled from.
    pub namespace: i16,
    /// When the sender sent it (the signed envelope timestamp), ms.
    pub sent_at_ms: u64,
    /// When the swarm stored it, ms.
    pub stored_at_ms: u64,
    /// When the swarm drops it, ms.
    pub expires_at_ms: u64,
    /// The message.
    pub message: Message,
}

impl IncomingMessage {
    /// For a sync copy (a message one of our own devices sent), the conversation it was
    /// sent to.
    pub fn sync_target(&self) -> Option<&SessionId> {
        match &self.message.kind {
            MessageKind::Visible(visible) => visible.sync_target.as_ref(),
            MessageKind::Reaction(reaction) => reaction.sync_target.as_ref(),
            _ => None,
        }
    }

    /// The text of a visible message, if it has one.
    pub fn text(&self) -> Option<&str> {
        match &self.message.kind {
            MessageKind::Visible(visible) => visible.body.as_deref(),
            _ => None,
        }
    }
}
