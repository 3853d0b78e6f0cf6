//! Blinded DMs through the server's inbox (`sogs.md` §6.6): sealing padded `Content` to a
//! blinded id, and opening inbox/outbox rows, recovering and checking the sender's `05` id.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use prost::Message as _;
use serde::Deserialize;
use session_identity::{Keypair, SessionId};
use session_protocol::blinded;
use session_protocol::padding;
use session_protocol::proto::Content;

use crate::error::{Result, json_error};
use crate::received::{content_text, parse_content};

/// A DM from the inbox or outbox.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct ReceivedDm {
    /// The message id (inbox and outbox ids are separate sequences).
    pub id: u64,
    /// The sender's blinded id.
    pub sender: SessionId,
    /// The recipient's blinded id.
    pub recipient: SessionId,
    /// The sender's real `05` id, recovered from the message and checked against
    /// `sender`; `None` if the message did not decrypt or verify.
    pub sender_session_id: Option<SessionId>,
    /// The decrypted `Content`.
    pub content: Option<Content>,
    /// Its visible text.
    pub text: Option<String>,
    /// Posted, unix seconds.
    pub posted_at: f64,
    /// Expiry, unix seconds.
    pub expires_at: Option<f64>,
}

impl core::fmt::Debug for ReceivedDm {
    // Never the text.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ReceivedDm")
            .field("id", &self.id)
            .field("sender", &self.sender)
            .field("recipient", &self.recipient)
            .field("sender_session_id", &self.sender_session_id)
            .field("decrypted", &self.content.is_some())
            .finish_non_exhaustive()
    }
}

/// An inbox/outbox row as listed.
#[derive(Clone, Deserialize)]
pub struct RawDm {
    /// The message id.
    pub id: u64,
    /// Posted, unix seconds.
    #[serde(default)]
    pub posted_at: f64,
    /// Expiry.
    #[serde(default)]
    pub expires_at: Option<f64>,
    /// Sender's blinded id.
    pub sender: SessionId,
    /// Recipient's blinded id.
    pub recipient: SessionId,
    /// The sealed message, base64.
    #[serde(default)]
    pub message: Option<String>,
}

impl core::fmt::Debug for RawDm {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RawDm")
            .field("id", &self.id)
            .field("sender", &self.sender)
            .field("recipient", &self.recipient)
            .finish_non_exhaustive()
    }
}

/// Decodes an inbox/outbox list; a 304 (nothing newer) is handled by the caller as empty.
///
/// # Errors
///
/// [`crate::Error::Decode`] for anything but a list of DM rows.
pub fn decode_dm_rows(body: &[u8]) -> Result<Vec<RawDm>> {
    if body.is_empty() {
        return Ok(Vec::new());
    }
    serde_json::from_slice(body).map_err(json_error)
}

/// Seals `content` from `sender` to the blinded id `to` on the server `server_pk`, with
/// `nonce` (24 fresh random bytes): `0x00 || XChaCha20-Poly1305(padded || A) || nonce`.
///
/// # Errors
///
/// [`crate::Error::Blinded`] for a recipient that is not a valid `15`/`25` id.
pub fn seal_dm(
    sender: &Keypair,
    server_pk: &[u8; 32],
    to: &SessionId,
    content: &Content,
    nonce: &[u8; 24],
) -> Result<Vec<u8>> {
    let padded = padding::pad(&content.encode_to_vec());
    Ok(blinded::encrypt_for_blinded_recipient_with_nonce(
        sender, server_pk, to, &padded, nonce,
    )?)
}

/// Opens an inbox (we are the recipient) or outbox (we are the sender) row. A row that
/// does not decrypt or verify is still returned, with no content and no sender id.
pub fn open_dm(keypair: &Keypair, server_pk: &[u8; 32], raw: RawDm) -> ReceivedDm {
    let opened = raw
        .message
        .as_deref()
        .and_then(|b64| STANDARD.decode(b64).ok())
        .and_then(|sealed| {
            blinded::decrypt_from_blinded_recipient(
                keypair,
                server_pk,
                &raw.sender,
                &raw.recipient,
                &sealed,
            )
            .ok()
        });
    let (sender_session_id, content) = match opened {
        Some(opened) => (Some(opened.sender), parse_content(&opened.plaintext)),
        None => (None, None),
    };
    ReceivedDm {
        id: raw.id,
        text: content_text(content.as_ref()),
        sender: raw.sender,
        recipient: raw.recipient,
        sender_session_id,
        content,
        posted_at: raw.posted_at,
        expires_at: raw.expires_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use session_crypto::Ed25519Seed;
    use session_identity::blinding::{blind15, blind25};
    use session_protocol::message::{Message, VisibleMessage};

    fn keypair(byte: u8) -> Keypair {
        Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([byte; 32]))
    }

    #[test]
    fn round_trip_inbox_and_outbox_15_and_25() {
        let server = [4u8; 32];
        let (alice, bob) = (keypair(1), keypair(2));
        let content = Message::new(VisibleMessage::text("psst"), 1).to_content();
        for (a, b) in [
            (blind15::id(&alice, &server), blind15::id(&bob, &server)),
            (blind25::id(&alice, &server), blind25::id(&bob, &server)),
        ] {
            let sealed = seal_dm(&alice, &server, &b, &content, &[7; 24]).unwrap();
            let raw = RawDm {
                id: 1,
                posted_at: 2.0,
                expires_at: None,
                sender: a,
                recipient: b,
                message: Some(STANDARD.encode(&sealed)),
            };
            let inbox = open_dm(&bob, &server, raw.clone());
            assert_eq!(inbox.sender_session_id, Some(alice.session_id()));
            assert_eq!(inbox.text.as_deref(), Some("psst"));
            let outbox = open_dm(&alice, &server, raw.clone());
            assert_eq!(outbox.text.as_deref(), Some("psst"));

            // Someone else cannot open it; a tampered one fails.
            assert!(open_dm(&keypair(3), &server, raw.clone()).content.is_none());
            let mut bad = sealed.clone();
            bad[5] ^= 1;
            let tampered = RawDm {
                message: Some(STANDARD.encode(&bad)),
                ..raw
            };
            let opened = open_dm(&bob, &server, tampered);
            assert!(opened.sender_session_id.is_none() && opened.text.is_none());
            assert!(!format!("{opened:?}").contains("psst"));
        }
    }

    #[test]
    fn dm_lists() {
        assert!(decode_dm_rows(b"").unwrap().is_empty());
        let id = format!("15{}", "22".repeat(32));
        let body = format!(
            r#"[{{"id":3,"posted_at":1.0,"expires_at":2.0,"sender":"{id}","recipient":"{id}","message":"AA=="}}]"#
        );
        assert_eq!(decode_dm_rows(body.as_bytes()).unwrap()[0].id, 3);
        assert!(decode_dm_rows(b"{").is_err());
    }
}
