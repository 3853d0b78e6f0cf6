//! Receiving a 1:1 message: from what was retrieved from our swarm to a verified, typed
//! [`Message`] and its sender, in one call (`clients.md` §4, "Receiving").
//!
//! ```text
//! data     = base64-decode(stored)                     (crate::envelope::from_base64)
//! envelope = unwrap(data), either framing, reported    (crate::envelope::unwrap)
//! padded   = open and verify envelope.content          (crate::direct::decrypt_incoming)
//! content  = unpad(padded), either padding             (crate::padding::unpad)
//! message  = Message::decode(content)                  (crate::message)
//! check envelope.timestamp against sigTimestamp and a typing indicator's timestamp
//!                                                      (crate::envelope::check_timestamps)
//! ```
//!
//! Every step that fails has its own [`IncomingError`] variant, wrapping the step's error.
//!
//! # What is authenticated
//!
//! The sealed box covers the padded content and the sender's signature, so a change to any
//! byte of it is an error. The envelope timestamp is bound to the signed `sigTimestamp` by the
//! timestamp check, and the envelope type must be `SESSION_MESSAGE`. The rest of the framing
//! carries no meaning for a 1:1 message and is not authenticated by the protocol: the
//! `WebSocketMessage`'s `requestId` and headers, and the envelope's `sourceDevice` and
//! `proSig` (a random decoy unless the sender has Session Pro). Older clients wrote random
//! request IDs and newer ones write fresh decoys, so a receiver that insisted on particular
//! values there would drop genuine messages. A change to those bytes is accepted and cannot
//! change the sender, the timestamp or the message. The verb and path must be one of the two
//! framings exactly (empty, or `PUT /api/v1/message`), so [`Received::format`] cannot be
//! altered into the other one.
//!
//! ```
//! use session_identity::Seed;
//! use session_protocol::envelope::EnvelopeFormat;
//! use session_protocol::message::{Message, MessageKind, VisibleMessage};
//! use session_protocol::{incoming, outgoing};
//!
//! let alice = Seed::from_ed25519_seed(&[1; 32]).keypair();
//! let bob = Seed::from_ed25519_seed(&[2; 32]).keypair();
//! let message = Message::new(VisibleMessage::text("hi"), 1_700_000_000_000);
//! let sent = outgoing::encrypt_with_seed(
//!     &message, &alice, &bob.session_id(), 1_700_000_000_000, EnvelopeFormat::Legacy,
//!     &[7; 32], &[9; 64],
//! )?;
//!
//! let received = incoming::decrypt(&bob, &sent.data)?;
//! assert_eq!(received.sender, alice.session_id());
//! assert_eq!(received.format, EnvelopeFormat::Legacy);
//! assert!(matches!(received.message.kind, MessageKind::Visible(_)));
//!
//! // Sealed to Bob, so Alice cannot read it.
//! assert!(incoming::decrypt(&alice, &sent.data).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use session_identity::{Keypair, SessionId};

use crate::direct::{self, DecryptError};
use crate::envelope::{self, EnvelopeError, EnvelopeFormat, TimestampError};
use crate::message::{ContentError, Message};
use crate::padding::{self, PaddingError};

/// A verified incoming 1:1 message.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Received {
    /// The sender's Session ID, from the key that signed the message.
    pub sender: SessionId,
    /// The sender's Ed25519 public key, which signed the message.
    pub sender_ed25519: [u8; 32],
    /// Which framing the sender used (its verb and path, which must match one exactly).
    pub format: EnvelopeFormat,
    /// The envelope timestamp, in milliseconds. It has been checked against the signed
    /// `Content.sigTimestamp` (see [`envelope::check_timestamps`]).
    pub envelope_timestamp: u64,
    /// The message.
    pub message: Message,
    /// The protobuf `Content` as decrypted and unpadded: what [`Received::message`] was read
    /// from.
    pub content: Vec<u8>,
}

/// Decrypts a message as stored on the swarm, given as its base64 text (the `data` field of
/// a retrieved message: standard alphabet, padded).
///
/// # Errors
///
/// [`IncomingError::Envelope`] for text that is not base64; otherwise as [`decrypt`].
pub fn decrypt_base64(recipient: &Keypair, data_base64: &str) -> Result<Received, IncomingError> {
    decrypt(recipient, &envelope::from_base64(data_base64)?)
}

/// Decrypts a message as stored on the swarm, given as its raw bytes (base64 decoded), for
/// `recipient`.
///
/// # Errors
///
/// One variant per step, in the order they run: [`IncomingError::Envelope`] (not a 1:1
/// envelope in either framing), [`IncomingError::Decrypt`] (not for us, altered, or badly
/// signed), [`IncomingError::Padding`] (not padded content), [`IncomingError::Content`] (not a
/// message this library can read) and [`IncomingError::Timestamp`] (the envelope timestamp
/// disagrees with the signed ones; clients drop such messages).
pub fn decrypt(recipient: &Keypair, data: &[u8]) -> Result<Received, IncomingError> {
    let unwrapped = envelope::unwrap(data)?;
    let opened = direct::decrypt_incoming(recipient, &unwrapped.content)?;
    // Unpadding keeps a prefix: cut the buffer rather than copy it.
    let mut content = opened.plaintext;
    let content_len = padding::unpad(&content)?.len();
    content.truncate(content_len);
    let message = Message::decode(&content)?;
    envelope::check_timestamps(unwrapped.timestamp_ms, &message)?;
    Ok(Received {
        sender: opened.sender,
        sender_ed25519: opened.sender_ed25519,
        format: unwrapped.format,
        envelope_timestamp: unwrapped.timestamp_ms,
        message,
        content,
    })
}

/// Why a stored message could not be received.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IncomingError {
    /// The data is not a 1:1 envelope in either framing (or not base64).
    #[error(transparent)]
    Envelope(#[from] EnvelopeError),
    /// The envelope's content does not decrypt and verify.
    #[error(transparent)]
    Decrypt(#[from] DecryptError),
    /// The decrypted content is not padded.
    #[error("decrypted content: {0}")]
    Padding(#[from] PaddingError),
    /// The content is not a message this library reads.
    #[error(transparent)]
    Content(#[from] ContentError),
    /// The envelope timestamp disagrees with a timestamp inside the message; clients drop
    /// such messages.
    #[error(transparent)]
    Timestamp(#[from] TimestampError),
}
