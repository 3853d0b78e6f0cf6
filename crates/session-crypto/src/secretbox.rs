//! `crypto_secretbox` (XSalsa20-Poly1305), byte-compatible with libsodium's
//! `crypto_secretbox_easy` / `crypto_secretbox_open_easy` (`tag(16) || ciphertext`) and their
//! detached forms.
//!
//! The first 32 bytes of the XSalsa20 stream key Poly1305; the message is encrypted with the
//! stream from byte 32 on, and the tag covers the ciphertext. Sealed boxes
//! ([`crate::sealed_box`]) and the older ONS records are built on it.
//!
//! ```
//! use session_crypto::{SymmetricKey, secretbox};
//!
//! let key = SymmetricKey::from_bytes([7; 32]);
//! let boxed = secretbox::seal(&key, &[1; secretbox::NONCE_LEN], b"hi");
//! assert_eq!(boxed.len(), secretbox::TAG_LEN + 2);
//! assert_eq!(secretbox::open(&key, &[1; secretbox::NONCE_LEN], &boxed)?, b"hi");
//! # Ok::<(), session_crypto::Error>(())
//! ```

use poly1305::Poly1305;
use poly1305::universal_hash::KeyInit;
use salsa20::XSalsa20;
use salsa20::cipher::{KeyIvInit, StreamCipher};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::secret::SymmetricKey;

/// Nonce length.
pub const NONCE_LEN: usize = 24;
/// Poly1305 tag length.
pub const TAG_LEN: usize = 16;

/// Encrypts `message`; returns `tag || ciphertext` (`crypto_secretbox_easy`).
pub fn seal(key: &SymmetricKey, nonce: &[u8; NONCE_LEN], message: &[u8]) -> Vec<u8> {
    let mut boxed = Vec::with_capacity(TAG_LEN + message.len());
    boxed.extend_from_slice(&[0; TAG_LEN]);
    boxed.extend_from_slice(message);
    let (tag, body) = boxed.split_at_mut(TAG_LEN);
    tag.copy_from_slice(&seal_in_place_detached(key, nonce, body));
    boxed
}

/// Checks and decrypts `tag || ciphertext` (`crypto_secretbox_open_easy`).
pub fn open(key: &SymmetricKey, nonce: &[u8; NONCE_LEN], boxed: &[u8]) -> Result<Vec<u8>> {
    let (tag, ciphertext) =
        boxed
            .split_first_chunk::<TAG_LEN>()
            .ok_or(Error::CiphertextTooShort {
                minimum: TAG_LEN,
                found: boxed.len(),
            })?;
    let mut plaintext = ciphertext.to_vec();
    open_in_place_detached(key, nonce, tag, &mut plaintext)?;
    Ok(plaintext)
}

/// Encrypts `buffer` in place and returns its tag (`crypto_secretbox_detached`).
pub fn seal_in_place_detached(
    key: &SymmetricKey,
    nonce: &[u8; NONCE_LEN],
    buffer: &mut [u8],
) -> [u8; TAG_LEN] {
    let (mut cipher, mac_key) = cipher(key, nonce);
    cipher.apply_keystream(buffer);
    Poly1305::new((&*mac_key).into())
        .compute_unpadded(buffer)
        .into()
}

/// Checks `tag` over the ciphertext in `buffer` in constant time, then decrypts it in place
/// (`crypto_secretbox_open_detached`). On failure `buffer` is left as it was.
pub fn open_in_place_detached(
    key: &SymmetricKey,
    nonce: &[u8; NONCE_LEN],
    tag: &[u8; TAG_LEN],
    buffer: &mut [u8],
) -> Result<()> {
    let (mut cipher, mac_key) = cipher(key, nonce);
    let expected: [u8; TAG_LEN] = Poly1305::new((&*mac_key).into())
        .compute_unpadded(buffer)
        .into();
    if !bool::from(expected.ct_eq(tag)) {
        return Err(Error::DecryptionFailed);
    }
    cipher.apply_keystream(buffer);
    Ok(())
}

/// The XSalsa20 stream positioned after its first 32 bytes, and those bytes (the Poly1305
/// key).
fn cipher(key: &SymmetricKey, nonce: &[u8; NONCE_LEN]) -> (XSalsa20, Zeroizing<[u8; 32]>) {
    let mut cipher = XSalsa20::new(key.expose_secret().into(), nonce.into());
    let mut mac_key = Zeroizing::new([0u8; 32]);
    cipher.apply_keystream(mac_key.as_mut());
    (cipher, mac_key)
}

#[cfg(test)]
mod tests {
    use super::*;

    // NaCl's `tests/secretbox.c` (also libsodium's `test/default/secretbox.c`): "firstkey",
    // its nonce, a 131-byte message and `tag || ciphertext`.
    const KEY: &str = "1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389";
    const NONCE: &str = "69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37";
    const MESSAGE: &str = concat!(
        "be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffce5ecbaaf33bd751a1ac7",
        "28d45e6c61296cdc3c01233561f41db66cce314adb310e3be8250c46f06dceea3a7fa1348057e2f6556a",
        "d6b1318a024a838f21af1fde048977eb48f59ffd4924ca1c60902e52f0a089bc76897040e082f9377638",
        "48645e0705",
    );
    const BOXED: &str = concat!(
        "f3ffc7703f9400e52a7dfb4b3d3305d98e993b9f48681273c29650ba32fc76ce48332ea7164d96a4476f",
        "b8c531a1186ac0dfc17c98dce87b4da7f011ec48c97271d2c20f9b928fe2270d6fb863d51738b48eeee3",
        "14a7cc8ab932164548e526ae90224368517acfeabd6bb3732bc0e9da99832b61ca01b6de56244a9e88d5",
        "f9b37973f622a43d14a6599b1f654cb45a74e355a5",
    );
    // The tag of the empty message under the same key and nonce.
    const EMPTY_TAG: &str = "2539121d8e234e652d651fa4c8cff880";

    fn key_and_nonce() -> (SymmetricKey, [u8; NONCE_LEN]) {
        let mut key = [0u8; 32];
        let mut nonce = [0u8; NONCE_LEN];
        hex::decode_to_slice(KEY, &mut key).unwrap();
        hex::decode_to_slice(NONCE, &mut nonce).unwrap();
        (SymmetricKey::from_bytes(key), nonce)
    }

    #[test]
    fn nacl_known_answer() {
        let (key, nonce) = key_and_nonce();
        let message = hex::decode(MESSAGE).unwrap();
        let boxed = seal(&key, &nonce, &message);
        assert_eq!(hex::encode(&boxed), BOXED);
        assert_eq!(open(&key, &nonce, &boxed).unwrap(), message);
        assert_eq!(hex::encode(seal(&key, &nonce, b"")), EMPTY_TAG);
        assert_eq!(
            open(&key, &nonce, &hex::decode(EMPTY_TAG).unwrap()).unwrap(),
            b""
        );
    }

    #[test]
    fn rejects_truncation_and_tampering() {
        let (key, nonce) = key_and_nonce();
        let boxed = seal(&key, &nonce, b"attack at dawn");
        for len in 0..TAG_LEN {
            assert_eq!(
                open(&key, &nonce, &boxed[..len]),
                Err(Error::CiphertextTooShort {
                    minimum: TAG_LEN,
                    found: len
                })
            );
        }
        for i in 0..boxed.len() {
            let mut bad = boxed.clone();
            bad[i] ^= 1;
            assert_eq!(open(&key, &nonce, &bad), Err(Error::DecryptionFailed));
        }
        let mut other = nonce;
        other[23] ^= 1;
        assert_eq!(open(&key, &other, &boxed), Err(Error::DecryptionFailed));

        // A failed detached open leaves the buffer untouched.
        let mut body = boxed[TAG_LEN..].to_vec();
        let bad_tag = [0u8; TAG_LEN];
        assert!(open_in_place_detached(&key, &nonce, &bad_tag, &mut body).is_err());
        assert_eq!(body, &boxed[TAG_LEN..]);
    }
}
