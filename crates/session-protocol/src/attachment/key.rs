//! The 64-byte key of the default attachment scheme.

use rand_core::CryptoRng;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::error::AttachmentError;

/// Length of an [`AttachmentKey`].
pub const KEY_LEN: usize = 64;

/// The key `AttachmentPointer.key` carries for the default scheme: a 32-byte AES-256 key
/// followed by a 32-byte HMAC-SHA256 key. Wiped on drop, redacted in `Debug`, compared in
/// constant time.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct AttachmentKey {
    aes: [u8; 32],
    mac: [u8; 32],
}

impl AttachmentKey {
    /// Wraps raw key bytes.
    pub fn from_bytes(mut bytes: [u8; KEY_LEN]) -> Self {
        let mut key = Self {
            aes: [0; 32],
            mac: [0; 32],
        };
        let (aes, mac) = bytes.split_at(32);
        key.aes.copy_from_slice(aes);
        key.mac.copy_from_slice(mac);
        bytes.zeroize();
        key
    }

    /// Reads the key from a pointer's `key` field.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, AttachmentError> {
        let bytes: [u8; KEY_LEN] = bytes.try_into().map_err(|_| AttachmentError::KeyLength {
            expected: KEY_LEN,
            found: bytes.len(),
        })?;
        Ok(Self::from_bytes(bytes))
    }

    /// A fresh random key.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut key = Self {
            aes: [0; 32],
            mac: [0; 32],
        };
        rng.fill_bytes(&mut key.aes);
        rng.fill_bytes(&mut key.mac);
        key
    }

    /// All 64 bytes, as `AttachmentPointer.key` holds them (a copy, wiped when dropped).
    pub fn to_bytes(&self) -> Zeroizing<[u8; KEY_LEN]> {
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        bytes[..32].copy_from_slice(&self.aes);
        bytes[32..].copy_from_slice(&self.mac);
        bytes
    }

    /// The AES-256 half.
    pub(crate) const fn aes_key(&self) -> &[u8; 32] {
        &self.aes
    }

    /// The HMAC-SHA256 half.
    pub(crate) const fn mac_key(&self) -> &[u8; 32] {
        &self.mac
    }
}

impl core::fmt::Debug for AttachmentKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("AttachmentKey(<redacted>)")
    }
}

impl ConstantTimeEq for AttachmentKey {
    fn ct_eq(&self, other: &Self) -> subtle::Choice {
        self.aes.ct_eq(&other.aes) & self.mac.ct_eq(&other.mac)
    }
}

impl PartialEq for AttachmentKey {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for AttachmentKey {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_and_length() {
        let mut bytes = [1u8; KEY_LEN];
        bytes[32..].fill(2);
        let key = AttachmentKey::from_bytes(bytes);
        assert_eq!(key.aes_key(), &[1; 32]);
        assert_eq!(key.mac_key(), &[2; 32]);
        assert_eq!(format!("{key:?}"), "AttachmentKey(<redacted>)");
        assert_eq!(
            AttachmentKey::from_slice(&[0; 32]),
            Err(AttachmentError::KeyLength {
                expected: 64,
                found: 32
            })
        );
        assert_eq!(AttachmentKey::from_slice(&bytes).unwrap(), key);
        assert_eq!(*key.to_bytes(), bytes);
    }
}
