//! Anonymous sealed boxes, byte-compatible with libsodium's `crypto_box_seal` and
//! `crypto_box_seal_open`: `ephemeral_pk(32) || poly1305_tag(16) || xsalsa20_ciphertext`.
//!
//! Written here on salsa20/poly1305/x25519 because `crypto_box` still sits on the previous
//! RustCrypto generation (see `rust-deps.md`, finding 2).

use poly1305::Poly1305;
use poly1305::universal_hash::KeyInit;
use rand_core::CryptoRng;
use salsa20::XSalsa20;
use salsa20::cipher::{KeyIvInit, StreamCipher};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::x25519::{KEY_LEN, X25519Secret};

/// Bytes a sealed box adds to its message.
pub const OVERHEAD: usize = KEY_LEN + TAG_LEN;
const TAG_LEN: usize = 16;

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
    let ephemeral_pk = ephemeral.public_key();
    let nonce = seal_nonce(&ephemeral_pk, recipient);
    let key = box_key(ephemeral, recipient)?;

    let mut out = Vec::with_capacity(OVERHEAD + message.len());
    out.extend_from_slice(&ephemeral_pk);
    out.extend_from_slice(&[0u8; TAG_LEN]);
    out.extend_from_slice(message);
    let (head, body) = out.split_at_mut(OVERHEAD);
    let tag = secretbox_encrypt(&key, &nonce, body);
    head[KEY_LEN..].copy_from_slice(&tag);
    Ok(out)
}

/// Opens a sealed box addressed to `recipient`.
pub fn open(recipient: &X25519Secret, sealed: &[u8]) -> Result<Vec<u8>> {
    let (ephemeral_pk, rest) =
        sealed
            .split_first_chunk::<KEY_LEN>()
            .ok_or(Error::CiphertextTooShort {
                minimum: OVERHEAD,
                found: sealed.len(),
            })?;
    let (tag, ciphertext) =
        rest.split_first_chunk::<TAG_LEN>()
            .ok_or(Error::CiphertextTooShort {
                minimum: OVERHEAD,
                found: sealed.len(),
            })?;
    let nonce = seal_nonce(ephemeral_pk, &recipient.public_key());
    let key = box_key(recipient, ephemeral_pk).map_err(|_| Error::DecryptionFailed)?;
    let mut plaintext = ciphertext.to_vec();
    secretbox_decrypt(&key, &nonce, tag, &mut plaintext)?;
    Ok(plaintext)
}

/// `crypto_box_seal` nonce: BLAKE2b-24(ephemeral_pk || recipient_pk).
fn seal_nonce(ephemeral_pk: &[u8; KEY_LEN], recipient: &[u8; KEY_LEN]) -> [u8; 24] {
    crate::blake2b::hash::<24>(&[ephemeral_pk, recipient])
}

/// `crypto_box_beforenm`: HSalsa20 of the X25519 shared secret with a zero input.
fn box_key(secret: &X25519Secret, public: &[u8; KEY_LEN]) -> Result<Zeroizing<[u8; 32]>> {
    let shared = secret.diffie_hellman(public)?;
    let key = salsa20::hsalsa::<salsa20::cipher::consts::U10>(
        shared.expose_secret().into(),
        &Default::default(),
    );
    Ok(Zeroizing::new(key.into()))
}

/// `crypto_secretbox` (XSalsa20-Poly1305): encrypts in place and returns the tag.
fn secretbox_encrypt(key: &[u8; 32], nonce: &[u8; 24], buffer: &mut [u8]) -> [u8; TAG_LEN] {
    let (mut cipher, mac_key) = secretbox_cipher(key, nonce);
    cipher.apply_keystream(buffer);
    Poly1305::new((&*mac_key).into())
        .compute_unpadded(buffer)
        .into()
}

/// `crypto_secretbox_open`: checks the tag in constant time, then decrypts in place.
fn secretbox_decrypt(
    key: &[u8; 32],
    nonce: &[u8; 24],
    tag: &[u8; TAG_LEN],
    buffer: &mut [u8],
) -> Result<()> {
    let (mut cipher, mac_key) = secretbox_cipher(key, nonce);
    let expected: [u8; TAG_LEN] = Poly1305::new((&*mac_key).into())
        .compute_unpadded(buffer)
        .into();
    if !bool::from(expected.ct_eq(tag)) {
        return Err(Error::DecryptionFailed);
    }
    cipher.apply_keystream(buffer);
    Ok(())
}

/// The XSalsa20 stream positioned after the first 32 bytes, which key Poly1305.
fn secretbox_cipher(key: &[u8; 32], nonce: &[u8; 24]) -> (XSalsa20, Zeroizing<[u8; 32]>) {
    let mut cipher = XSalsa20::new(key.into(), nonce.into());
    let mut mac_key = Zeroizing::new([0u8; 32]);
    cipher.apply_keystream(mac_key.as_mut());
    (cipher, mac_key)
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
    }
}
