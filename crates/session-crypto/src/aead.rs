//! XChaCha20-Poly1305 and AES-256-GCM, byte-compatible with libsodium's
//! `crypto_aead_xchacha20poly1305_ietf` and `crypto_aead_aes256gcm`: the ciphertext is
//! `ciphertext || tag(16)`; nonces are passed separately because each Session format puts
//! them somewhere else.

use aes_gcm::Aes256Gcm;
use chacha20poly1305::XChaCha20Poly1305;
use chacha20poly1305::aead::consts::{U16, U32};
use chacha20poly1305::aead::{AeadInOut, KeyInit, KeySizeUser, Nonce};

use crate::error::{Error, Result};
use crate::secret::SymmetricKey;

/// Length of the authentication tag both AEADs append.
pub const TAG_LEN: usize = 16;
/// XChaCha20-Poly1305 nonce length.
pub const XCHACHA_NONCE_LEN: usize = 24;
/// AES-256-GCM nonce (IV) length used by Session.
pub const AES_GCM_NONCE_LEN: usize = 12;

/// Encrypts `plaintext` with XChaCha20-Poly1305; returns `ciphertext || tag`.
pub fn xchacha20poly1305_encrypt(
    key: &SymmetricKey,
    nonce: &[u8; XCHACHA_NONCE_LEN],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>> {
    encrypt::<XChaCha20Poly1305>(key, nonce.into(), aad, plaintext)
}

/// Encrypts the buffer in place with XChaCha20-Poly1305 and appends the tag.
pub fn xchacha20poly1305_encrypt_in_place(
    key: &SymmetricKey,
    nonce: &[u8; XCHACHA_NONCE_LEN],
    aad: &[u8],
    buffer: &mut Vec<u8>,
) -> Result<()> {
    encrypt_in_place::<XChaCha20Poly1305>(key, nonce.into(), aad, buffer)
}

/// Decrypts XChaCha20-Poly1305 `ciphertext || tag`.
pub fn xchacha20poly1305_decrypt(
    key: &SymmetricKey,
    nonce: &[u8; XCHACHA_NONCE_LEN],
    aad: &[u8],
    ciphertext: &[u8],
) -> Result<Vec<u8>> {
    decrypt::<XChaCha20Poly1305>(key, nonce.into(), aad, ciphertext)
}

/// Decrypts `ciphertext || tag` in place, leaving the plaintext in the buffer.
pub fn xchacha20poly1305_decrypt_in_place(
    key: &SymmetricKey,
    nonce: &[u8; XCHACHA_NONCE_LEN],
    aad: &[u8],
    buffer: &mut Vec<u8>,
) -> Result<()> {
    decrypt_in_place::<XChaCha20Poly1305>(key, nonce.into(), aad, buffer)
}

/// Encrypts `plaintext` with AES-256-GCM; returns `ciphertext || tag`.
pub fn aes256gcm_encrypt(
    key: &SymmetricKey,
    nonce: &[u8; AES_GCM_NONCE_LEN],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>> {
    encrypt::<Aes256Gcm>(key, nonce.into(), aad, plaintext)
}

/// Encrypts the buffer in place with AES-256-GCM and appends the tag.
pub fn aes256gcm_encrypt_in_place(
    key: &SymmetricKey,
    nonce: &[u8; AES_GCM_NONCE_LEN],
    aad: &[u8],
    buffer: &mut Vec<u8>,
) -> Result<()> {
    encrypt_in_place::<Aes256Gcm>(key, nonce.into(), aad, buffer)
}

/// Decrypts AES-256-GCM `ciphertext || tag`.
pub fn aes256gcm_decrypt(
    key: &SymmetricKey,
    nonce: &[u8; AES_GCM_NONCE_LEN],
    aad: &[u8],
    ciphertext: &[u8],
) -> Result<Vec<u8>> {
    decrypt::<Aes256Gcm>(key, nonce.into(), aad, ciphertext)
}

/// Decrypts AES-256-GCM `ciphertext || tag` in place, leaving the plaintext in the buffer.
pub fn aes256gcm_decrypt_in_place(
    key: &SymmetricKey,
    nonce: &[u8; AES_GCM_NONCE_LEN],
    aad: &[u8],
    buffer: &mut Vec<u8>,
) -> Result<()> {
    decrypt_in_place::<Aes256Gcm>(key, nonce.into(), aad, buffer)
}

/// Encrypts `buffer` where it lies with XChaCha20-Poly1305 and returns the tag, for formats
/// that place the tag themselves.
pub fn xchacha20poly1305_encrypt_detached(
    key: &SymmetricKey,
    nonce: &[u8; XCHACHA_NONCE_LEN],
    aad: &[u8],
    buffer: &mut [u8],
) -> Result<[u8; TAG_LEN]> {
    encrypt_detached::<XChaCha20Poly1305>(key, nonce.into(), aad, buffer)
}

/// Decrypts `buffer` where it lies with XChaCha20-Poly1305 against a separate `tag`. On failure
/// the buffer is left as it was.
pub fn xchacha20poly1305_decrypt_detached(
    key: &SymmetricKey,
    nonce: &[u8; XCHACHA_NONCE_LEN],
    aad: &[u8],
    buffer: &mut [u8],
    tag: &[u8; TAG_LEN],
) -> Result<()> {
    decrypt_detached::<XChaCha20Poly1305>(key, nonce.into(), aad, buffer, tag)
}

/// Encrypts `buffer` where it lies with AES-256-GCM and returns the tag.
pub fn aes256gcm_encrypt_detached(
    key: &SymmetricKey,
    nonce: &[u8; AES_GCM_NONCE_LEN],
    aad: &[u8],
    buffer: &mut [u8],
) -> Result<[u8; TAG_LEN]> {
    encrypt_detached::<Aes256Gcm>(key, nonce.into(), aad, buffer)
}

/// Decrypts `buffer` where it lies with AES-256-GCM against a separate `tag`. On failure the
/// buffer is left as it was.
pub fn aes256gcm_decrypt_detached(
    key: &SymmetricKey,
    nonce: &[u8; AES_GCM_NONCE_LEN],
    aad: &[u8],
    buffer: &mut [u8],
    tag: &[u8; TAG_LEN],
) -> Result<()> {
    decrypt_detached::<Aes256Gcm>(key, nonce.into(), aad, buffer, tag)
}

fn encrypt_detached<A: Aead256>(
    key: &SymmetricKey,
    nonce: &Nonce<A>,
    aad: &[u8],
    buffer: &mut [u8],
) -> Result<[u8; TAG_LEN]> {
    let tag = cipher::<A>(key)
        .encrypt_inout_detached(nonce, aad, buffer.into())
        .map_err(|_| Error::EncryptionFailed)?;
    let mut out = [0u8; TAG_LEN];
    out.copy_from_slice(&tag);
    Ok(out)
}

fn decrypt_detached<A: Aead256>(
    key: &SymmetricKey,
    nonce: &Nonce<A>,
    aad: &[u8],
    buffer: &mut [u8],
    tag: &[u8; TAG_LEN],
) -> Result<()> {
    cipher::<A>(key)
        .decrypt_inout_detached(nonce, aad, buffer.into(), tag.into())
        .map_err(|_| Error::DecryptionFailed)
}

fn encrypt<A: Aead256>(
    key: &SymmetricKey,
    nonce: &Nonce<A>,
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>> {
    let mut buffer = Vec::with_capacity(plaintext.len() + TAG_LEN);
    buffer.extend_from_slice(plaintext);
    encrypt_in_place::<A>(key, nonce, aad, &mut buffer)?;
    Ok(buffer)
}

fn encrypt_in_place<A: Aead256>(
    key: &SymmetricKey,
    nonce: &Nonce<A>,
    aad: &[u8],
    buffer: &mut Vec<u8>,
) -> Result<()> {
    cipher::<A>(key)
        .encrypt_in_place(nonce, aad, buffer)
        .map_err(|_| Error::EncryptionFailed)
}

fn decrypt<A: Aead256>(
    key: &SymmetricKey,
    nonce: &Nonce<A>,
    aad: &[u8],
    ciphertext: &[u8],
) -> Result<Vec<u8>> {
    let mut buffer = ciphertext.to_vec();
    decrypt_in_place::<A>(key, nonce, aad, &mut buffer)?;
    Ok(buffer)
}

fn decrypt_in_place<A: Aead256>(
    key: &SymmetricKey,
    nonce: &Nonce<A>,
    aad: &[u8],
    buffer: &mut Vec<u8>,
) -> Result<()> {
    if buffer.len() < TAG_LEN {
        return Err(Error::CiphertextTooShort {
            minimum: TAG_LEN,
            found: buffer.len(),
        });
    }
    cipher::<A>(key)
        .decrypt_in_place(nonce, aad, buffer)
        .map_err(|_| Error::DecryptionFailed)
}

/// An AEAD with a 256-bit key, as both of Session's are.
trait Aead256: AeadInOut<TagSize = U16> + KeyInit + KeySizeUser<KeySize = U32> {}
impl<A: AeadInOut<TagSize = U16> + KeyInit + KeySizeUser<KeySize = U32>> Aead256 for A {}

fn cipher<A: Aead256>(key: &SymmetricKey) -> A {
    A::new(key.expose_secret().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_tampering() {
        let key = SymmetricKey::from_bytes([3; 32]);
        let ct = xchacha20poly1305_encrypt(&key, &[1; 24], b"ad", b"hello").unwrap();
        assert_eq!(ct.len(), 5 + TAG_LEN);
        assert_eq!(
            xchacha20poly1305_decrypt(&key, &[1; 24], b"ad", &ct).unwrap(),
            b"hello"
        );
        assert_eq!(
            xchacha20poly1305_decrypt(&key, &[1; 24], b"xx", &ct),
            Err(Error::DecryptionFailed)
        );
        let ct = aes256gcm_encrypt(&key, &[1; 12], b"", b"hello").unwrap();
        assert_eq!(
            aes256gcm_decrypt(&key, &[1; 12], b"", &ct).unwrap(),
            b"hello"
        );
        let mut bad = ct.clone();
        bad[0] ^= 1;
        assert_eq!(
            aes256gcm_decrypt(&key, &[1; 12], b"", &bad),
            Err(Error::DecryptionFailed)
        );
        assert!(matches!(
            aes256gcm_decrypt(&key, &[1; 12], b"", &ct[..15]),
            Err(Error::CiphertextTooShort { .. })
        ));
    }
}
