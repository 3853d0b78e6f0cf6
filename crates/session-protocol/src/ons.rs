//! Decryption of Session name-service (ONS) lookups, as libsession's `decrypt_ons_response`
//! (`libsession-util.md` §6.3): oxend returns the Session ID a name maps to, encrypted with a
//! key only someone who knows the name can derive.
//!
//! - Current records (since the HF16 network upgrade) come with a 24-byte nonce:
//!   `key = BLAKE2b-32(key = BLAKE2b-32(name), name)`, then XChaCha20-Poly1305
//!   (`ciphertext || tag`, no associated data).
//! - Older records have no nonce: `key = Argon2id v1.3(name, salt = 16 zero bytes,
//!   3 passes, 256 MiB, 1 lane)` (libsodium's `crypto_pwhash` at its "moderate" limits),
//!   then XSalsa20-Poly1305 (`crypto_secretbox_open_easy`: `tag || ciphertext`) with an
//!   all-zero nonce. Deriving that key takes 256 MiB of memory and about a second.
//!
//! Either way the plaintext is the 33 bytes of the Session ID. The name must already be
//! lower-case, as ONS stores it; it is used exactly as given.

use argon2::{Algorithm, Argon2, Params, Version};
use session_crypto::aead::{self, TAG_LEN, XCHACHA_NONCE_LEN};
use session_crypto::{SymmetricKey, blake2b, secretbox};
use session_identity::{SessionId, SessionIdError};
use zeroize::Zeroizing;

/// Argon2 memory cost of the older records, in KiB (libsodium's `MEMLIMIT_MODERATE`,
/// 256 MiB).
const LEGACY_MEMORY_KIB: u32 = 256 * 1024;
/// Argon2 passes of the older records (libsodium's `OPSLIMIT_MODERATE`).
const LEGACY_PASSES: u32 = 3;

/// Decrypts the encrypted value of an ONS record for the lower-case `name`: with the record's
/// `nonce` for current records, without one (`None`) for records from before HF16.
pub fn decrypt_ons_response(
    name: &str,
    ciphertext: &[u8],
    nonce: Option<&[u8]>,
) -> Result<SessionId, OnsError> {
    if ciphertext.len() < TAG_LEN {
        return Err(OnsError::Truncated {
            len: ciphertext.len(),
        });
    }
    let plaintext = match nonce {
        Some(nonce) => {
            let nonce: &[u8; XCHACHA_NONCE_LEN] = nonce
                .try_into()
                .map_err(|_| OnsError::NonceLength { found: nonce.len() })?;
            let name_hash = Zeroizing::new(blake2b::hash::<32>(&[name.as_bytes()]));
            let key = SymmetricKey::from_bytes(blake2b::hash_keyed::<32, 32>(
                &name_hash,
                &[name.as_bytes()],
            ));
            aead::xchacha20poly1305_decrypt(&key, nonce, &[], ciphertext)
                .map_err(|_| OnsError::DecryptionFailed)?
        }
        None => {
            let key = legacy_key(name)?;
            secretbox::open(&key, &[0; secretbox::NONCE_LEN], ciphertext)
                .map_err(|_| OnsError::DecryptionFailed)?
        }
    };
    SessionId::from_bytes(&plaintext).map_err(OnsError::InvalidSessionId)
}

/// The pre-HF16 key: Argon2id of the name with libsodium's moderate limits.
fn legacy_key(name: &str) -> Result<SymmetricKey, OnsError> {
    let params = Params::new(LEGACY_MEMORY_KIB, LEGACY_PASSES, 1, Some(32))
        .map_err(|_| OnsError::KeyDerivationFailed)?;
    let mut key = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(name.as_bytes(), &[0; 16], key.as_mut())
        .map_err(|_| OnsError::KeyDerivationFailed)?;
    Ok(SymmetricKey::from_bytes(*key))
}

/// Why an ONS record could not be decrypted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OnsError {
    /// Shorter than a tag (16 bytes).
    #[error("ONS ciphertext too short: {len} bytes, at least 16 needed")]
    Truncated {
        /// The length given.
        len: usize,
    },
    /// A nonce that is not 24 bytes long.
    #[error("an ONS nonce is 24 bytes, got {found}")]
    NonceLength {
        /// The length given.
        found: usize,
    },
    /// The legacy key could not be derived (Argon2 could not get its 256 MiB).
    #[error("could not derive the legacy ONS key")]
    KeyDerivationFailed,
    /// The tag does not verify: another name, or an altered record.
    #[error("ONS decryption failed")]
    DecryptionFailed,
    /// The decrypted value is not a Session ID.
    #[error("the decrypted ONS value is not a Session ID: {0}")]
    InvalidSessionId(SessionIdError),
}
