//! Decryption of push-notification payloads, as libsession's `decrypt_push_notification`
//! (`libsession-util.md` §6.3): the push server encrypts each notification with the
//! device's 32-byte notification key.
//!
//! ```text
//! payload   = nonce(24) || XChaCha20-Poly1305(plaintext || 0x00*, nonce, key; no AD)
//! plaintext = the decryption with every trailing zero byte removed
//! ```
//!
//! The trailing zeros are padding the server may add. Stripping them is libsession's rule,
//! which also removes zero bytes that ended the real plaintext (a bencoded notification
//! always ends in `e`, so this does not arise in practice).

use session_crypto::SymmetricKey;
use session_crypto::aead::{self, TAG_LEN, XCHACHA_NONCE_LEN};

/// Length of a notification key.
pub const KEY_LEN: usize = 32;

/// Decrypts a push-notification `payload` with the device's notification key `enc_key`
/// (32 bytes; taken as a slice because that is how the key arrives from storage).
pub fn decrypt_push_notification(payload: &[u8], enc_key: &[u8]) -> Result<Vec<u8>, PushError> {
    if payload.len() < XCHACHA_NONCE_LEN + TAG_LEN {
        return Err(PushError::Truncated { len: payload.len() });
    }
    let Some((nonce, sealed)) = payload.split_first_chunk::<XCHACHA_NONCE_LEN>() else {
        return Err(PushError::Truncated { len: payload.len() });
    };
    let key: &[u8; KEY_LEN] = enc_key.try_into().map_err(|_| PushError::KeyLength {
        found: enc_key.len(),
    })?;
    let key = SymmetricKey::from_bytes(*key);
    let mut plaintext = aead::xchacha20poly1305_decrypt(&key, nonce, &[], sealed)
        .map_err(|_| PushError::DecryptionFailed)?;
    let end = plaintext
        .iter()
        .rposition(|&byte| byte != 0)
        .map_or(0, |last| last + 1);
    plaintext.truncate(end);
    Ok(plaintext)
}

/// Why a push notification could not be decrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PushError {
    /// The key is not 32 bytes long.
    #[error("a notification key is 32 bytes, got {found}")]
    KeyLength {
        /// The length given.
        found: usize,
    },
    /// Shorter than a nonce and a tag (40 bytes).
    #[error("payload too short: {len} bytes, at least 40 needed")]
    Truncated {
        /// The length given.
        len: usize,
    },
    /// The tag does not verify: the wrong key, or an altered payload.
    #[error("push notification decryption failed")]
    DecryptionFailed,
}
