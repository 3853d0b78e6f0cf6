//! Sending a 1:1 message: from a typed [`Message`] to exactly what an official client stores
//! on the recipient's swarm, in one call (`clients.md` §4 steps 1 to 6).
//!
//! ```text
//! content = Message lowered to Content, sigTimestamp = timestamp       (crate::message)
//! padded  = pad(content): current layout for the current format,       (crate::padding)
//!           legacy layout (160k - 1) for the legacy format
//! sealed  = sign-then-seal(padded, sender, recipient)                  (crate::direct)
//! data    = WebSocketMessage{request{body = Envelope{timestamp, content = sealed, ...}}}
//!                                                                      (crate::envelope)
//! stored  = base64(data); hash = the storage server's hash of data     (crate::hash)
//! ```
//!
//! Each format is sent with the padding its senders used: libsession pads and frames the
//! current way, while the clients that write the legacy framing (desktop before October
//! 2025, session.js, session-python) pad to `160k - 1` (`clients.md` §4 step 2). Receivers
//! unpad both alike, so the pairing only matters for byte-for-byte agreement with those
//! senders.
//!
//! [`encrypt`] draws its randomness from the caller's generator; [`encrypt_with_seed`] takes
//! it as bytes, so the same inputs always give the same output (for tests and reproducible
//! tools). The randomness is the ephemeral key of the sealed box (as a seed, expanded like
//! libsodium's `crypto_box_seed_keypair`) and, for the current format only, the 64 bytes of
//! the `proSig` decoy ([`ProSignature::decoy`]).
//!
//! ```
//! use session_identity::Seed;
//! use session_protocol::envelope::EnvelopeFormat;
//! use session_protocol::message::{Message, VisibleMessage};
//! use session_protocol::{incoming, outgoing};
//!
//! let alice = Seed::from_ed25519_seed(&[1; 32]).keypair();
//! let bob = Seed::from_ed25519_seed(&[2; 32]).keypair();
//! let now_ms = 1_700_000_000_000;
//! let message = Message::new(VisibleMessage::text("hi"), now_ms);
//! let sent = outgoing::encrypt_with_seed(
//!     &message, &alice, &bob.session_id(), now_ms, EnvelopeFormat::Current,
//!     &[7; 32], &[9; 64],
//! )?;
//! assert_eq!(sent.namespace, 0);
//! assert_eq!(sent.hash.len(), 43);
//!
//! let received = incoming::decrypt_base64(&bob, &sent.data_base64)?;
//! assert_eq!(received.sender, alice.session_id());
//! assert_eq!(received.message, message);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::time::Duration;

use prost::Message as _;
use rand_core::CryptoRng;
use session_identity::{Keypair, SessionId};
use zeroize::Zeroizing;

use crate::direct::{self, EncryptError};
use crate::envelope::{self, EnvelopeFormat, PRO_SIG_LEN, ProSignature, TimestampError};
use crate::hash::compute_message_hash;
use crate::message::Message;
use crate::padding::PaddingFormat;
use crate::proto::WebSocketMessage;

/// Length of the ephemeral seed [`encrypt_with_seed`] takes.
pub const EPHEMERAL_SEED_LEN: usize = 32;

/// Length of the decoy randomness [`encrypt_with_seed`] takes (the current format's
/// `proSig`).
pub const DECOY_LEN: usize = PRO_SIG_LEN;

/// A message ready to store on the recipient's swarm, and each layer of it.
///
/// The layers, innermost first: [`OutgoingMessage::content`] (the serialised `Content`,
/// before padding), [`OutgoingMessage::envelope`] (the serialised `Envelope` holding the
/// sealed, padded content), and [`OutgoingMessage::data`] (the serialised `WebSocketMessage`
/// holding the envelope: the bytes stored on the swarm). [`OutgoingMessage::data_base64`] is
/// `data` as the `store` request carries it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct OutgoingMessage {
    /// The protobuf `Content`, unpadded: what the recipient decrypts, unpads and reads.
    pub content: Vec<u8>,
    /// The protobuf `Envelope`: type `SESSION_MESSAGE`, the timestamp and the sealed box
    /// (plus `sourceDevice` and `proSig` in the current format). It is the body of the
    /// `WebSocketMessage` in [`OutgoingMessage::data`], byte for byte.
    pub envelope: Vec<u8>,
    /// The protobuf `WebSocketMessage` around the envelope: exactly the bytes stored on the
    /// swarm (after base64 decoding), and what the storage server hashes.
    pub data: Vec<u8>,
    /// [`OutgoingMessage::data`] in standard, padded base64: the `data` of the `store`
    /// request.
    pub data_base64: String,
    /// The hash the storage server will give the stored message
    /// ([`compute_message_hash`] of the recipient, [`OutgoingMessage::namespace`] and
    /// [`OutgoingMessage::data`]).
    pub hash: String,
    /// How long to store it for ([`Message::ttl`]).
    pub ttl: Duration,
    /// Where to store it in the recipient's swarm ([`Message::namespace`]).
    pub namespace: i16,
    /// The framing used.
    pub format: EnvelopeFormat,
    /// The envelope timestamp, which is also `Content.sigTimestamp`, in milliseconds.
    pub timestamp_ms: u64,
}

/// Encrypts `message` from `sender` to `recipient` (a `05` ID) at `timestamp_ms`, in
/// `format`, with fresh randomness from `rng`.
///
/// It draws the [`EPHEMERAL_SEED_LEN`]-byte ephemeral seed and then the [`DECOY_LEN`] decoy
/// bytes (drawn in both formats, used by the current one) from `rng`, and is otherwise
/// [`encrypt_with_seed`].
///
/// # Errors
///
/// As [`encrypt_with_seed`].
pub fn encrypt<R: CryptoRng + ?Sized>(
    rng: &mut R,
    message: &Message,
    sender: &Keypair,
    recipient: &SessionId,
    timestamp_ms: u64,
    format: EnvelopeFormat,
) -> Result<OutgoingMessage, OutgoingError> {
    let mut ephemeral_seed = Zeroizing::new([0u8; EPHEMERAL_SEED_LEN]);
    rng.fill_bytes(ephemeral_seed.as_mut());
    let mut decoy = [0u8; DECOY_LEN];
    rng.fill_bytes(&mut decoy);
    encrypt_with_seed(
        message,
        sender,
        recipient,
        timestamp_ms,
        format,
        &ephemeral_seed,
        &decoy,
    )
}

/// Encrypts `message` from `sender` to `recipient` (a `05` ID) at `timestamp_ms`, in
/// `format`, deterministically: the same arguments always give the same bytes.
///
/// - `timestamp_ms` is the envelope timestamp and is written as `Content.sigTimestamp` (left
///   out when 0, as [`Message::to_content`] does). `message.sent_at_ms` must be the same
///   value, or 0 to take this one.
/// - `ephemeral_seed` seeds the sealed box's ephemeral key as libsodium's
///   `crypto_box_seed_keypair` does: the secret is the first 32 bytes of its SHA-512
///   ([`direct::encrypt_for_recipient_with_ephemeral_seed`]). Whoever knows it can decrypt
///   the message: treat it as a secret and never use it twice.
/// - `decoy` is the randomness of the current format's `proSig` decoy
///   ([`ProSignature::decoy`]); the legacy format has no `proSig` and ignores it.
///
/// # Errors
///
/// - [`OutgoingError::Timestamp`] if the message carries a timestamp that disagrees with
///   `timestamp_ms` (a non-zero `sent_at_ms`, or a typing indicator's own timestamp): the
///   recipient would drop it ([`envelope::check_timestamps`]);
/// - [`OutgoingError::Encrypt`] if `recipient` is not a usable `05` ID.
pub fn encrypt_with_seed(
    message: &Message,
    sender: &Keypair,
    recipient: &SessionId,
    timestamp_ms: u64,
    format: EnvelopeFormat,
    ephemeral_seed: &[u8; EPHEMERAL_SEED_LEN],
    decoy: &[u8; DECOY_LEN],
) -> Result<OutgoingMessage, OutgoingError> {
    // Refuse what the recipient would drop, before doing any work.
    envelope::check_timestamps(timestamp_ms, message)?;
    let mut content = message.to_content();
    content.sig_timestamp = (timestamp_ms != 0).then_some(timestamp_ms);
    let content = content.encode_to_vec();

    let padded = padding_for(format).pad(&content);
    let sealed = direct::encrypt_for_recipient_with_ephemeral_seed(
        sender,
        recipient,
        &padded,
        ephemeral_seed,
    )?;
    let data = match format {
        EnvelopeFormat::Current => {
            envelope::wrap(&sealed, timestamp_ms, &ProSignature::decoy(decoy))
        }
        EnvelopeFormat::Legacy => envelope::wrap_legacy(&sealed, timestamp_ms),
    };
    let namespace = message.namespace();
    Ok(OutgoingMessage {
        content,
        envelope: envelope_of(&data),
        data_base64: envelope::to_base64(&data),
        hash: compute_message_hash(recipient, namespace, &data),
        data,
        ttl: message.ttl(),
        namespace,
        format,
        timestamp_ms,
    })
}

/// The padding each framing's senders use: see the [module documentation](self).
pub const fn padding_for(format: EnvelopeFormat) -> PaddingFormat {
    match format {
        EnvelopeFormat::Current => PaddingFormat::Current,
        EnvelopeFormat::Legacy => PaddingFormat::Legacy,
    }
}

/// The `Envelope` bytes inside a `WebSocketMessage` that [`envelope::wrap`] or
/// [`envelope::wrap_legacy`] just wrote.
///
/// Both always write a request with a body, so the empty fallback is never taken; it
/// stands in for a panic that this function has no reason to risk.
fn envelope_of(data: &[u8]) -> Vec<u8> {
    WebSocketMessage::decode(data)
        .ok()
        .and_then(|framed| framed.request)
        .and_then(|request| request.body)
        .unwrap_or_default()
}

/// Why a message could not be prepared for sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OutgoingError {
    /// A timestamp inside the message disagrees with the envelope timestamp, so the
    /// recipient would drop the message.
    #[error("the message would be dropped: {0}")]
    Timestamp(#[from] TimestampError),
    /// The message could not be encrypted to the recipient.
    #[error(transparent)]
    Encrypt(#[from] EncryptError),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::{TypingAction, VisibleMessage};
    use session_identity::Seed;

    fn keys(byte: u8) -> Keypair {
        Seed::from_ed25519_seed(&[byte; 32]).keypair()
    }

    #[test]
    fn envelope_is_the_body_of_data() {
        let (alice, bob) = (keys(1), keys(2));
        for format in [EnvelopeFormat::Current, EnvelopeFormat::Legacy] {
            let message = Message::new(VisibleMessage::text("hi"), 5);
            let sent = encrypt_with_seed(
                &message,
                &alice,
                &bob.session_id(),
                5,
                format,
                &[3; 32],
                &[4; 64],
            )
            .unwrap();
            assert!(!sent.envelope.is_empty());
            assert!(
                sent.data
                    .ends_with(&[&sent.envelope[..], &[0x20, 0x00]].concat())
            );
        }
    }

    #[test]
    fn refuses_what_the_recipient_drops() {
        let (alice, bob) = (keys(1), keys(2));
        let to = bob.session_id();
        let seed = [3; 32];
        let decoy = [4; 64];
        let format = EnvelopeFormat::Current;
        let stale = Message::new(VisibleMessage::text("hi"), 4);
        assert_eq!(
            encrypt_with_seed(&stale, &alice, &to, 5, format, &seed, &decoy),
            Err(OutgoingError::Timestamp(
                TimestampError::SigTimestampMismatch {
                    envelope_ms: 5,
                    content_ms: 4
                }
            ))
        );
        let mut typing = Message::typing(TypingAction::Started, 4);
        typing.sent_at_ms = 0;
        assert!(matches!(
            encrypt_with_seed(&typing, &alice, &to, 5, format, &seed, &decoy),
            Err(OutgoingError::Timestamp(
                TimestampError::TypingTimestampMismatch { .. }
            ))
        ));
        // A message without its own timestamp takes the envelope's.
        let unstamped = Message::new(VisibleMessage::text("hi"), 0);
        let sent = encrypt_with_seed(&unstamped, &alice, &to, 5, format, &seed, &decoy).unwrap();
        assert_eq!(
            Message::decode(&sent.content).unwrap(),
            Message::new(VisibleMessage::text("hi"), 5)
        );
    }

    #[test]
    fn only_05_recipients() {
        let alice = keys(1);
        let group = alice.group_id();
        let message = Message::new(VisibleMessage::text("hi"), 5);
        assert!(matches!(
            encrypt_with_seed(
                &message,
                &alice,
                &group,
                5,
                EnvelopeFormat::Current,
                &[3; 32],
                &[4; 64]
            ),
            Err(OutgoingError::Encrypt(
                EncryptError::WrongRecipientPrefix { .. }
            ))
        ));
    }
}
