//! What goes to a group's namespace 11: the whole `Envelope` (type `CLOSED_GROUP_MESSAGE`,
//! `sourceDevice` 1, the sent timestamp, the unpadded `Content`, a 64-byte `proSig`),
//! encrypted as a group message (libsession's `encode_for_group`).

use prost::Message as _;
use rand_core::CryptoRng;
use session_identity::{Keypair, SessionId};
use session_protocol::ProSignature;
use session_protocol::envelope::{PRO_SIG_LEN, SOURCE_DEVICE};
use session_protocol::proto::{Envelope, envelope};

use crate::constants::DEFAULT_PADDING;
use crate::error::MessageError;
use crate::message;
use crate::secret::GroupKey;

/// A decrypted group envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct GroupEnvelope {
    /// The sender recovered from the encryption (never from the envelope).
    pub sender: SessionId,
    /// The sender's Ed25519 key.
    pub sender_ed25519: [u8; 32],
    /// The envelope's timestamp, milliseconds (the signature timestamp of control messages).
    pub timestamp_ms: u64,
    /// The `Content` bytes. Current senders do not pad them; older ones did, which
    /// `session_protocol::padding::unpad` tolerates.
    pub content: Vec<u8>,
    /// The Pro signature or decoy, when present.
    pub pro_sig: Option<[u8; PRO_SIG_LEN]>,
}

/// Encrypts `content` from `sender` for the group, as sent to namespace 11.
///
/// # Errors
///
/// As [`message::encrypt`].
pub fn encrypt<R: CryptoRng + ?Sized>(
    rng: &mut R,
    sender: &Keypair,
    group_pk: &[u8; 32],
    key: &GroupKey,
    content: &[u8],
    sent_timestamp_ms: u64,
    pro_sig: &ProSignature,
) -> Result<Vec<u8>, MessageError> {
    let envelope = Envelope {
        r#type: Some(envelope::Type::ClosedGroupMessage.into()),
        source: None,
        timestamp: Some(sent_timestamp_ms),
        source_device: Some(SOURCE_DEVICE),
        content: Some(content.to_vec()),
        server_timestamp: None,
        pro_sig: Some(pro_sig.to_bytes().to_vec()),
    };
    message::encrypt(
        rng,
        sender,
        group_pk,
        key,
        &envelope.encode_to_vec(),
        true,
        DEFAULT_PADDING,
    )
}

/// Decrypts a namespace-11 message with the first of `keys` that works and reads its
/// envelope.
///
/// # Errors
///
/// As [`message::decrypt`], then [`MessageError::Envelope`] for an envelope that is not a
/// group envelope with a timestamp and content.
pub fn decrypt<'k>(
    keys: impl IntoIterator<Item = &'k GroupKey>,
    group_pk: &[u8; 32],
    ciphertext: &[u8],
) -> Result<GroupEnvelope, MessageError> {
    let decrypted = message::decrypt(keys, group_pk, ciphertext)?;
    let envelope = Envelope::decode(decrypted.plaintext.as_slice())
        .map_err(|_| MessageError::Envelope("not an Envelope protobuf"))?;
    if envelope.r#type != Some(envelope::Type::ClosedGroupMessage.into()) {
        return Err(MessageError::Envelope("type is not CLOSED_GROUP_MESSAGE"));
    }
    let timestamp_ms = envelope
        .timestamp
        .ok_or(MessageError::Envelope("no timestamp"))?;
    let content = envelope
        .content
        .ok_or(MessageError::Envelope("no content"))?;
    let pro_sig = envelope
        .pro_sig
        .map(|sig| {
            <[u8; PRO_SIG_LEN]>::try_from(sig.as_slice())
                .map_err(|_| MessageError::Envelope("proSig is not 64 bytes"))
        })
        .transpose()?;
    Ok(GroupEnvelope {
        sender: decrypted.sender,
        sender_ed25519: decrypted.sender_ed25519,
        timestamp_ms,
        content,
        pro_sig,
    })
}
