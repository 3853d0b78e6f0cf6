//! `message encrypt` and `message decrypt`: 1:1 text messages exactly as clients store them on
//! a swarm, through the library's send and receive pipelines
//! (`session::protocol::outgoing` and `incoming`).
//!
//! With `--eph-seed`, encryption is deterministic. The seed is the sealed box's ephemeral seed
//! (libsodium's `crypto_box_seed_keypair` rule: the secret is the first 32 bytes of its
//! SHA-512), and the 64 random bytes of the current format's `proSig` decoy are derived from
//! it as [`decoy_from_eph_seed`] documents. Without it, both come from the operating system's
//! random number generator.

use serde::Serialize;
use session::crypto::blake2b;
use session::protocol::envelope::EnvelopeFormat;
use session::protocol::message::{Message, MessageKind, VisibleMessage};
use session::protocol::outgoing::{DECOY_LEN, EPHEMERAL_SEED_LEN};
use session::protocol::{incoming, outgoing};
use zeroize::Zeroizing;

use crate::cli::{Format, MessageDecryptArgs, MessageEncryptArgs};
use crate::error::CliError;
use crate::input;

/// The BLAKE2b key that derives the `proSig` decoy bytes from `--eph-seed`.
const DECOY_DOMAIN: &[u8; 24] = b"session-cli proSig decoy";

/// What `message encrypt` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Encrypted {
    /// Standard, padded base64 of the stored bytes (the `WebSocketMessage`): the `data` of the
    /// `store` request.
    data_base64: String,
    /// The protobuf `Content`, before padding and encryption.
    content_hex: String,
    /// The protobuf `Envelope` (the body of the `WebSocketMessage`), holding the encrypted
    /// content.
    envelope_hex: String,
    /// The storage server's hash of the stored message in the recipient's namespace 0.
    hash: String,
}

/// What `message decrypt` prints.
#[derive(Debug, Serialize)]
pub(crate) struct Decrypted {
    /// The sender's Session ID, from the key that signed the message.
    sender: String,
    /// The envelope timestamp in milliseconds (checked against the signed one).
    timestamp: u64,
    /// `"current"` or `"legacy"`: the framing the sender used.
    format: &'static str,
    /// What the message is: `visible`, `reaction`, `read_receipt`, `typing`, ...
    kind: &'static str,
    /// The text of a visible message; absent for other kinds and for visible messages
    /// without text.
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    /// The decrypted, unpadded protobuf `Content`.
    content_hex: String,
}

/// `message encrypt`.
pub(crate) fn encrypt(args: &MessageEncryptArgs) -> Result<Encrypted, CliError> {
    let to = input::standard_session_id("--to", &args.to)?;
    let (eph_seed, decoy) = match &args.eph_seed {
        Some(text) => {
            let seed = input::secret_hex::<EPHEMERAL_SEED_LEN>("--eph-seed", text)?;
            let decoy = decoy_from_eph_seed(&seed);
            (seed, decoy)
        }
        None => fresh_randomness()?,
    };
    let sender = args.source.seed()?.keypair();
    let message = Message::new(VisibleMessage::text(args.text.as_str()), args.timestamp);
    let format = match args.format {
        Format::Current => EnvelopeFormat::Current,
        Format::Legacy => EnvelopeFormat::Legacy,
    };
    let sent = outgoing::encrypt_with_seed(
        &message,
        &sender,
        &to,
        args.timestamp,
        format,
        &eph_seed,
        &decoy,
    )
    .map_err(session::Error::from)?;
    Ok(Encrypted {
        data_base64: sent.data_base64,
        content_hex: hex::encode(sent.content),
        envelope_hex: hex::encode(sent.envelope),
        hash: sent.hash,
    })
}

/// `message decrypt`.
pub(crate) fn decrypt(args: &MessageDecryptArgs) -> Result<Decrypted, CliError> {
    let recipient = args.source.seed()?.keypair();
    let received =
        incoming::decrypt_base64(&recipient, args.data.trim()).map_err(session::Error::from)?;
    let text = match &received.message.kind {
        MessageKind::Visible(visible) => visible.body.clone(),
        _ => None,
    };
    Ok(Decrypted {
        sender: received.sender.to_string(),
        timestamp: received.envelope_timestamp,
        format: received.format.name(),
        kind: received.message.kind.name(),
        text,
        content_hex: hex::encode(&received.content),
    })
}

/// The 64 bytes of `proSig` decoy randomness for a given `--eph-seed`:
/// `BLAKE2b-512(key = "session-cli proSig decoy", message = eph_seed)`.
///
/// The library turns them into the decoy signature (`ProSignature::decoy`). Any fixed
/// derivation would do; a keyed hash keeps the decoy independent of the ephemeral key, which
/// is SHA-512 of the same seed.
pub(crate) fn decoy_from_eph_seed(eph_seed: &[u8; EPHEMERAL_SEED_LEN]) -> [u8; DECOY_LEN] {
    blake2b::hash_keyed::<DECOY_LEN, _>(DECOY_DOMAIN, &[eph_seed.as_slice()])
}

/// A fresh ephemeral seed and decoy, from the operating system (an error, not a panic, if it
/// fails).
fn fresh_randomness() -> Result<(Zeroizing<[u8; EPHEMERAL_SEED_LEN]>, [u8; DECOY_LEN]), CliError> {
    let mut seed = Zeroizing::new([0u8; EPHEMERAL_SEED_LEN]);
    let mut decoy = [0u8; DECOY_LEN];
    getrandom::fill(seed.as_mut_slice())
        .and_then(|()| getrandom::fill(&mut decoy))
        .map_err(|error| {
            CliError::system(format!(
                "the operating system's random number generator failed: {error}"
            ))
        })?;
    Ok((seed, decoy))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoy_is_a_keyed_hash_of_the_seed() {
        let seed = [7u8; 32];
        let decoy = decoy_from_eph_seed(&seed);
        assert_eq!(decoy, decoy_from_eph_seed(&seed));
        assert_ne!(decoy, decoy_from_eph_seed(&[8; 32]));
        assert_ne!(decoy, blake2b::hash::<64>(&[seed.as_slice()]));
    }
}
