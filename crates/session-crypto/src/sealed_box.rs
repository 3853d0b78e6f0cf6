//! Anonymous sealed boxes, byte-compatible with libsodium's `crypto_box_seal` and
//! `crypto_box_seal_open`: `ephemeral_pk(32) || poly1305_tag(16) || xsalsa20_ciphertext`.
//!
//! Written here on [`crate::secretbox`] and X25519 because `crypto_box` still sits on the
//! previous RustCrypto generation (see `rust-deps.md`, finding 2).
//!
//! [`seal_in_place`] seals into a buffer the caller has already filled, and
//! [`open_with_public_key`] skips deriving the recipient's public key when the caller keeps it,
//! as the 1:1 message layer does.

use rand_core::CryptoRng;

use crate::error::{Error, Result};
use crate::secret::SymmetricKey;
use crate::secretbox::{self, TAG_LEN};
use crate::x25519::{KEY_LEN, X25519Secret};

/// Bytes a sealed box adds to its message.
pub const OVERHEAD: usize = KEY_LEN + TAG_LEN;

/// Seals `message` to `recipient` with a fresh ephemeral key.
pub fn seal<R: CryptoRng + ?Sized>(
    rng: &mut R,
    recipient: &[u8; KEY_LEN],
    message: &[u8],
) -> Result<Vec<u8>> {
    seal_with_ephemeral(&X25519Secret::generate(rng), recipient, message)
}

/// Seals with a caller-chosen ephemeral secret: deterministic, for tests and for protocols
/// that derive the ephemeral key (never reuse one across messages).
pub fn seal_with_ephemeral(
    ephemeral: &X25519Secret,
    recipient: &[u8; KEY_LEN],
    message: &[u8],
) -> Result<Vec<u8>> {
    let mut sealed = Vec::with_capacity(OVERHEAD + message.len());
    sealed.extend_from_slice(&[0u8; OVERHEAD]);
    sealed.extend_from_slice(message);
    seal_in_place(ephemeral, recipient, &mut sealed)?;
    Ok(sealed)
}

/// [`seal_with_ephemeral`] without a copy: `buffer` holds [`OVERHEAD`] bytes of room followed
/// by the message. The room receives the ephemeral key and the tag, and the message is
/// encrypted where it lies, so `buffer` ends up holding the sealed box.
///
/// A buffer shorter than [`OVERHEAD`] is refused with [`Error::CiphertextTooShort`]; a
/// small-order `recipient` with [`Error::InvalidX25519PublicKey`] (the buffer's contents are
/// then unspecified).
pub fn seal_in_place(
    ephemeral: &X25519Secret,
    recipient: &[u8; KEY_LEN],
    buffer: &mut [u8],
) -> Result<()> {
    let found = buffer.len();
    let (header, body) =
        buffer
            .split_first_chunk_mut::<OVERHEAD>()
            .ok_or(Error::CiphertextTooShort {
                minimum: OVERHEAD,
                found,
            })?;
    let ephemeral_pk = ephemeral.public_key();
    let nonce = seal_nonce(&ephemeral_pk, recipient);
    let key = box_key(ephemeral, recipient)?;
    let tag = secretbox::seal_in_place_detached(&key, &nonce, body);
    let (pk_room, tag_room) = header.split_at_mut(KEY_LEN);
    pk_room.copy_from_slice(&ephemeral_pk);
    tag_room.copy_from_slice(&tag);
    Ok(())
}

/// Opens a sealed box addressed to `recipient`.
pub fn open(recipient: &X25519Secret, sealed: &[u8]) -> Result<Vec<u8>> {
    open_with_public_key(recipient, &recipient.public_key(), sealed)
}

/// [`open`] with the recipient's public key supplied, as libsodium's `crypto_box_seal_open`
/// takes it, instead of derived from the secret: that saves a scalar multiplication, about a
/// third of the work. A public key that is not the secret's makes every box fail to open
/// ([`Error::DecryptionFailed`]).
pub fn open_with_public_key(
    recipient: &X25519Secret,
    recipient_pk: &[u8; KEY_LEN],
    sealed: &[u8],
) -> Result<Vec<u8>> {
    let too_short = Error::CiphertextTooShort {
        minimum: OVERHEAD,
        found: sealed.len(),
    };
    let (ephemeral_pk, rest) = sealed.split_first_chunk::<KEY_LEN>().ok_or(too_short)?;
    let (tag, ciphertext) = rest.split_first_chunk::<TAG_LEN>().ok_or(too_short)?;
    let nonce = seal_nonce(ephemeral_pk, recipient_pk);
    let key = box_key(recipient, ephemeral_pk).map_err(|_| Error::DecryptionFailed)?;
    let mut plaintext = ciphertext.to_vec();
    secretbox::open_in_place_detached(&key, &nonce, tag, &mut plaintext)?;
    Ok(plaintext)
}

/// `crypto_box_seal` nonce: BLAKE2b-24(ephemeral_pk || recipient_pk).
fn seal_nonce(ephemeral_pk: &[u8; KEY_LEN], recipient: &[u8; KEY_LEN]) -> [u8; 24] {
    crate::blake2b::hash::<24>(&[ephemeral_pk, recipient])
}

/// `crypto_box_beforenm`: HSalsa20 of the X25519 shared secret with a zero input.
fn box_key(secret: &X25519Secret, public: &[u8; KEY_LEN]) -> Result<SymmetricKey> {
    let shared = secret.diffie_hellman(public)?;
    let key = salsa20::hsalsa::<salsa20::cipher::consts::U10>(
        shared.expose_secret().into(),
        &Default::default(),
    );
    Ok(SymmetricKey::from_bytes(key.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_truncation_and_tampering() {
        let recipient = X25519Secret::from_bytes([7; 32]);
        let ephemeral = X25519Secret::from_bytes([9; 32]);
        let sealed = seal_with_ephemeral(&ephemeral, &recipient.public_key(), b"hi").unwrap();
        assert_eq!(sealed.len(), OVERHEAD + 2);
        assert_eq!(open(&recipient, &sealed).unwrap(), b"hi");
        for len in 0..OVERHEAD {
            assert!(matches!(
                open(&recipient, &sealed[..len]),
                Err(Error::CiphertextTooShort { .. })
            ));
        }
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 1;
            assert!(open(&recipient, &bad).is_err(), "flip at {i}");
        }
        let other = X25519Secret::from_bytes([8; 32]);
        assert_eq!(open(&other, &sealed), Err(Error::DecryptionFailed));
        assert_eq!(
            open_with_public_key(&recipient, &other.public_key(), &sealed),
            Err(Error::DecryptionFailed)
        );
    }

    #[test]
    fn in_place_matches_copying() {
        let recipient = X25519Secret::from_bytes([7; 32]);
        for seed in 0..16u8 {
            let ephemeral = X25519Secret::from_bytes([seed.wrapping_mul(37); 32]);
            let message = vec![seed; usize::from(seed) * 11];
            let sealed =
                seal_with_ephemeral(&ephemeral, &recipient.public_key(), &message).unwrap();
            let mut buffer = vec![0xff; OVERHEAD];
            buffer.extend_from_slice(&message);
            seal_in_place(&ephemeral, &recipient.public_key(), &mut buffer).unwrap();
            assert_eq!(buffer, sealed);
            assert_eq!(
                open_with_public_key(&recipient, &recipient.public_key(), &sealed).unwrap(),
                message
            );
        }
        let ephemeral = X25519Secret::from_bytes([9; 32]);
        for len in 0..OVERHEAD {
            assert_eq!(
                seal_in_place(&ephemeral, &recipient.public_key(), &mut vec![0; len]),
                Err(Error::CiphertextTooShort {
                    minimum: OVERHEAD,
                    found: len
                })
            );
        }
        assert_eq!(
            seal_in_place(&ephemeral, &[0; KEY_LEN], &mut [0; OVERHEAD]),
            Err(Error::InvalidX25519PublicKey)
        );
    }
}
