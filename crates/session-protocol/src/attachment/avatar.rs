//! Profile avatars as the clients have long encrypted them: AES-256-GCM under the 32-byte
//! profile key (the `profileKey` sent with messages), laid out as
//! `iv (12) || ciphertext || tag (16)`, with no associated data.
//!
//! Reference: session-desktop `ts/util/crypto/profileEncrypter.ts` (commit
//! `af6fdefd5baf3355bdf4d9b05865f80145b20a9a`): `PROFILE_IV_LENGTH = 12`,
//! `PROFILE_TAG_LENGTH = 128` bits, decryption refuses inputs shorter than `12 + 16 + 1`.
//! Newer libsession-based clients can instead upload avatars with the deterministic scheme
//! ([`super::deterministic`], domain `ProfilePicture`).
//!
//! ```
//! use session_crypto::SymmetricKey;
//! use session_protocol::attachment::avatar;
//!
//! let profile_key = SymmetricKey::from_bytes([9; 32]);
//! let sealed = avatar::encrypt(&mut rand::rng(), &profile_key, b"png bytes")?;
//! assert_eq!(sealed.len(), 12 + 9 + 16);
//! assert_eq!(avatar::decrypt(&profile_key, &sealed)?, b"png bytes");
//! # Ok::<(), session_protocol::attachment::AttachmentError>(())
//! ```

use rand_core::CryptoRng;
use session_crypto::{SymmetricKey, aead};

use super::error::AttachmentError;

/// IV length.
pub const IV_LEN: usize = aead::AES_GCM_NONCE_LEN;
/// Tag length.
pub const TAG_LEN: usize = aead::TAG_LEN;
/// The shortest input [`decrypt`] accepts (desktop's bound: one byte of avatar).
pub const MIN_LEN: usize = IV_LEN + TAG_LEN + 1;
/// AES-GCM's plaintext limit, `2^36 - 32` bytes.
const GCM_MAX: u64 = (1 << 36) - 32;

/// Reads a profile key from `DataMessage.profileKey` bytes.
pub fn profile_key(bytes: &[u8]) -> Result<SymmetricKey, AttachmentError> {
    let bytes: [u8; 32] = bytes.try_into().map_err(|_| AttachmentError::KeyLength {
        expected: 32,
        found: bytes.len(),
    })?;
    Ok(SymmetricKey::from_bytes(bytes))
}

/// Encrypts an avatar with a random IV.
pub fn encrypt<R: CryptoRng + ?Sized>(
    rng: &mut R,
    profile_key: &SymmetricKey,
    avatar: &[u8],
) -> Result<Vec<u8>, AttachmentError> {
    let mut iv = [0u8; IV_LEN];
    rng.fill_bytes(&mut iv);
    encrypt_with_iv(profile_key, &iv, avatar)
}

/// Encrypts an avatar with the given IV (deterministic; for tests and known answers).
pub fn encrypt_with_iv(
    profile_key: &SymmetricKey,
    iv: &[u8; IV_LEN],
    avatar: &[u8],
) -> Result<Vec<u8>, AttachmentError> {
    let mut out = Vec::with_capacity(IV_LEN + avatar.len() + TAG_LEN);
    out.extend_from_slice(avatar);
    aead::aes256gcm_encrypt_in_place(profile_key, iv, &[], &mut out).map_err(|_| {
        AttachmentError::TooLarge {
            size: avatar.len(),
            max: usize::try_from(GCM_MAX).unwrap_or(usize::MAX),
        }
    })?;
    out.splice(0..0, iv.iter().copied());
    Ok(out)
}

/// Decrypts a downloaded avatar.
pub fn decrypt(profile_key: &SymmetricKey, data: &[u8]) -> Result<Vec<u8>, AttachmentError> {
    if data.len() < MIN_LEN {
        return Err(AttachmentError::TooShort {
            minimum: MIN_LEN,
            found: data.len(),
        });
    }
    let (iv, sealed) = data.split_at(IV_LEN);
    let mut nonce = [0u8; IV_LEN];
    nonce.copy_from_slice(iv);
    aead::aes256gcm_decrypt(profile_key, &nonce, &[], sealed)
        .map_err(|_| AttachmentError::AvatarAuthentication)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_and_failures() {
        let key = SymmetricKey::from_bytes([1; 32]);
        let sealed = encrypt_with_iv(&key, &[2; 12], b"x").unwrap();
        assert_eq!(sealed.len(), MIN_LEN);
        assert_eq!(&sealed[..12], &[2; 12]);
        assert_eq!(decrypt(&key, &sealed).unwrap(), b"x");
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x80;
            assert_eq!(
                decrypt(&key, &bad),
                Err(AttachmentError::AvatarAuthentication)
            );
        }
        let other = SymmetricKey::from_bytes([3; 32]);
        assert_eq!(
            decrypt(&other, &sealed),
            Err(AttachmentError::AvatarAuthentication)
        );
        assert_eq!(
            decrypt(&key, &sealed[..MIN_LEN - 1]),
            Err(AttachmentError::TooShort {
                minimum: MIN_LEN,
                found: MIN_LEN - 1
            })
        );
        assert_eq!(
            profile_key(&[0; 31]).unwrap_err(),
            AttachmentError::KeyLength {
                expected: 32,
                found: 31
            }
        );
    }
}
