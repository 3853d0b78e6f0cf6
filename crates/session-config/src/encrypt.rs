//! Config encryption and padding (libsession-util.md §11.4): deterministic XChaCha20-Poly1305
//! so that identical configs encrypt identically, with the nonce appended, and zero padding at
//! the front in size bands.
//!
//! ```text
//! key   = BLAKE2b-32(key_base(32) || u64_be(plaintext length) || domain)
//! nonce = BLAKE2b-24(key = "libsessionutil-config-encrypted-" || domain, plaintext)
//! out   = XChaCha20-Poly1305(key, nonce, plaintext) || nonce
//! ```

use session_crypto::{SymmetricKey, aead, blake2b};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// Bytes encryption adds: 16 (tag) + 24 (nonce).
pub const ENCRYPT_OVERHEAD: usize = aead::TAG_LEN + aead::XCHACHA_NONCE_LEN;

/// Longest encryption domain.
pub const MAX_DOMAIN_LEN: usize = 24;

const NONCE_KEY_PREFIX: &[u8; 32] = b"libsessionutil-config-encrypted-";

fn check_domain(domain: &str) -> Result<()> {
    if domain.is_empty() || domain.len() > MAX_DOMAIN_LEN {
        return Err(Error::InvalidDomain(domain.len()));
    }
    Ok(())
}

fn derive_key(key_base: &[u8; 32], len: usize, domain: &str) -> SymmetricKey {
    let len = (len as u64).to_be_bytes();
    let key = Zeroizing::new(blake2b::hash::<32>(&[key_base, &len, domain.as_bytes()]));
    SymmetricKey::from_bytes(*key)
}

/// The deterministic nonce of `plaintext` in `domain`.
pub fn nonce(plaintext: &[u8], domain: &str) -> Result<[u8; 24]> {
    check_domain(domain)?;
    let mut key = Vec::with_capacity(NONCE_KEY_PREFIX.len() + domain.len());
    key.extend_from_slice(NONCE_KEY_PREFIX);
    key.extend_from_slice(domain.as_bytes());
    blake2b::hash_with::<24>(&key, &[], &[], &[plaintext]).map_err(|_| Error::InvalidDomain(0))
}

/// Encrypts `plaintext` with a key derived from `key_base` and `domain` (1..=24 bytes).
pub fn encrypt(plaintext: &[u8], key_base: &[u8; 32], domain: &str) -> Result<Vec<u8>> {
    let nonce = nonce(plaintext, domain)?;
    let key = derive_key(key_base, plaintext.len(), domain);
    let mut out = aead::xchacha20poly1305_encrypt(&key, &nonce, &[], plaintext)
        .map_err(|_| Error::TooLarge(plaintext.len()))?;
    out.extend_from_slice(&nonce);
    Ok(out)
}

/// Decrypts what [`encrypt`] produced.
///
/// # Errors
///
/// [`Error::CiphertextTooShort`] below 40 bytes, [`Error::DecryptionFailed`] for a wrong key
/// or domain or altered bytes.
pub fn decrypt(ciphertext: &[u8], key_base: &[u8; 32], domain: &str) -> Result<Vec<u8>> {
    check_domain(domain)?;
    let Some(body_len) = ciphertext.len().checked_sub(aead::XCHACHA_NONCE_LEN) else {
        return Err(Error::CiphertextTooShort(ciphertext.len()));
    };
    if ciphertext.len() < ENCRYPT_OVERHEAD {
        return Err(Error::CiphertextTooShort(ciphertext.len()));
    }
    let (body, nonce) = ciphertext.split_at(body_len);
    let nonce: [u8; 24] = nonce.try_into().map_err(|_| Error::DecryptionFailed)?;
    let key = derive_key(key_base, body_len - aead::TAG_LEN, domain);
    aead::xchacha20poly1305_decrypt(&key, &nonce, &[], body).map_err(|_| Error::DecryptionFailed)
}

/// The size a message of `size` bytes is padded to so that `padded + overhead` fills whole
/// chunks: 256-byte chunks below 5120 bytes (counting the overhead), 1024 below 20480, 2048
/// below 40960, else 5120.
pub fn padded_size(size: usize, overhead: usize) -> usize {
    let total = size.saturating_add(overhead);
    let chunk = if total < 5120 {
        256
    } else if total < 20480 {
        1024
    } else if total < 40960 {
        2048
    } else {
        5120
    };
    total.div_ceil(chunk).saturating_mul(chunk) - overhead
}

/// Pads `message` with zero bytes at the front to [`padded_size`] with the encryption overhead.
pub fn pad_message(message: &mut Vec<u8>) {
    let target = padded_size(message.len(), ENCRYPT_OVERHEAD);
    let pad = target - message.len();
    message.splice(0..0, core::iter::repeat_n(0u8, pad));
}

/// Strips front zero padding.
pub fn strip_padding(message: &[u8]) -> &[u8] {
    let start = message
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(message.len());
    &message[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_failures() {
        let key = [7u8; 32];
        let ct = encrypt(b"hello", &key, "UserProfile").unwrap();
        assert_eq!(ct.len(), 5 + ENCRYPT_OVERHEAD);
        assert_eq!(decrypt(&ct, &key, "UserProfile").unwrap(), b"hello");
        assert_eq!(decrypt(&ct, &key, "Contacts"), Err(Error::DecryptionFailed));
        assert_eq!(
            decrypt(&ct[..39], &key, "Contacts"),
            Err(Error::CiphertextTooShort(39))
        );
        assert_eq!(encrypt(b"x", &key, ""), Err(Error::InvalidDomain(0)));
        assert_eq!(
            encrypt(b"x", &key, &"x".repeat(25)),
            Err(Error::InvalidDomain(25))
        );
    }

    #[test]
    fn padding_goes_in_front() {
        let mut m = b"d1:#i0e1:&de1:<le1:=dee".to_vec();
        pad_message(&mut m);
        assert_eq!(m.len(), 216);
        assert_eq!(strip_padding(&m), b"d1:#i0e1:&de1:<le1:=dee");
    }
}
