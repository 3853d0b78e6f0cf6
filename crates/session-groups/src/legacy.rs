//! Legacy closed groups (pre-v2, libsession-util.md §13): decryption of old messages only.
//!
//! A legacy group had `05`-style X25519 "encryption key pairs" (several over time). A message
//! is `Envelope{CLOSED_GROUP_MESSAGE, source = group ID, content}` in a `WebSocketMessage`,
//! and `content` is the 1:1 construction to the group key: a sealed box of
//! `padded Content || sender Ed25519 || signature(padded || sender || group X25519)`.

use prost::Message as _;
use session_crypto::{X25519Secret, convert, ed25519, sealed_box};
use session_identity::{IdPrefix, SessionId};
use session_protocol::padding;
use session_protocol::proto::{Envelope, WebSocketMessage, envelope};

use crate::error::LegacyError;

/// The smallest sealed message: box overhead, sender key, signature.
const MIN_LEN: usize = sealed_box::OVERHEAD + 32 + 64;

/// One of a legacy group's X25519 encryption key pairs.
#[derive(Clone, Debug)]
pub struct LegacyKeypair {
    secret: X25519Secret,
    public: [u8; 32],
}

impl LegacyKeypair {
    /// From the secret (UserGroups `C.k`); the public key is derived.
    pub fn new(secret: X25519Secret) -> Self {
        let public = secret.public_key();
        Self { secret, public }
    }

    /// The public key.
    pub const fn public_key(&self) -> &[u8; 32] {
        &self.public
    }
}

/// A decrypted legacy group message.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LegacyMessage {
    /// The sender's Session ID.
    pub sender: SessionId,
    /// The unpadded `Content` bytes.
    pub content: Vec<u8>,
    /// The envelope timestamp, when read from an envelope.
    pub timestamp_ms: Option<u64>,
}

/// Decrypts a legacy group `content` with the first key pair that opens it.
///
/// # Errors
///
/// [`LegacyError::NoKeyPairOpens`] when none does; then the sender and padding checks.
pub fn decrypt_content(
    keypairs: &[LegacyKeypair],
    content: &[u8],
) -> Result<LegacyMessage, LegacyError> {
    if content.len() < MIN_LEN {
        return Err(LegacyError::TooShort(content.len()));
    }
    let (pair, mut inner) = keypairs
        .iter()
        .find_map(|pair| {
            sealed_box::open_with_public_key(&pair.secret, &pair.public, content)
                .ok()
                .map(|inner| (pair, inner))
        })
        .ok_or(LegacyError::NoKeyPairOpens)?;
    let msg_len = inner
        .len()
        .checked_sub(96)
        .ok_or(LegacyError::TooShort(content.len()))?;
    let mut sender_ed25519 = [0u8; 32];
    sender_ed25519.copy_from_slice(&inner[msg_len..msg_len + 32]);
    let mut signature = [0u8; 64];
    signature.copy_from_slice(&inner[msg_len + 32..]);
    inner.truncate(msg_len + 32);
    inner.extend_from_slice(&pair.public);
    ed25519::verify(&signature, &sender_ed25519, &inner).map_err(|_| LegacyError::BadSignature)?;
    let sender_x25519 =
        convert::ed25519_pk_to_x25519(&sender_ed25519).map_err(|_| LegacyError::InvalidSender)?;
    let content = padding::unpad(&inner[..msg_len])?.to_vec();
    Ok(LegacyMessage {
        sender: SessionId::new(IdPrefix::Standard, sender_x25519),
        content,
        timestamp_ms: None,
    })
}

/// Reads a stored legacy group message (a `WebSocketMessage` around the envelope, or a bare
/// envelope) of `group` and decrypts it.
///
/// # Errors
///
/// [`LegacyError::Envelope`] for framing that is not a legacy group envelope of `group`, then
/// as [`decrypt_content`].
pub fn decrypt_stored(
    group: &SessionId,
    keypairs: &[LegacyKeypair],
    stored: &[u8],
) -> Result<LegacyMessage, LegacyError> {
    let body = WebSocketMessage::decode(stored)
        .ok()
        .and_then(|m| m.request)
        .and_then(|r| r.body);
    let envelope = Envelope::decode(body.as_deref().unwrap_or(stored))
        .map_err(|_| LegacyError::Envelope("not an Envelope protobuf"))?;
    if envelope.r#type != Some(envelope::Type::ClosedGroupMessage.into()) {
        return Err(LegacyError::Envelope("type is not CLOSED_GROUP_MESSAGE"));
    }
    match envelope.source.as_deref() {
        Some(source) if source.parse::<SessionId>().ok() == Some(*group) => {}
        _ => return Err(LegacyError::Envelope("source is not this group")),
    }
    let content = envelope
        .content
        .ok_or(LegacyError::Envelope("no content"))?;
    let mut message = decrypt_content(keypairs, &content)?;
    message.timestamp_ms = envelope.timestamp;
    Ok(message)
}
