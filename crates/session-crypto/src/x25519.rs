//! X25519 keys and Diffie-Hellman.

use rand_core::CryptoRng;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Size of X25519 keys and shared secrets.
pub const KEY_LEN: usize = 32;

/// An X25519 secret scalar, stored clamped exactly as libsodium exports it.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct X25519Secret([u8; KEY_LEN]);

impl X25519Secret {
    /// Wraps secret bytes, clamping them (`b[0] &= 248; b[31] &= 127; b[31] |= 64`) so the
    /// stored form matches libsodium's; the Diffie-Hellman result is the same either way.
    pub fn from_bytes(mut bytes: [u8; KEY_LEN]) -> Self {
        clamp(&mut bytes);
        let secret = Self(bytes);
        bytes.zeroize();
        secret
    }

    /// A fresh random secret.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut bytes = [0u8; KEY_LEN];
        rng.fill_bytes(&mut bytes);
        Self::from_bytes(bytes)
    }

    /// The clamped secret bytes; keep the borrow short and never log it.
    pub const fn expose_secret(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    /// The matching public key, by fixed-base multiplication: the same bytes as the X25519
    /// ladder on the base point, about three times faster (x25519-dalek derives its own public
    /// keys this way).
    pub fn public_key(&self) -> [u8; KEY_LEN] {
        curve25519_dalek::MontgomeryPoint::mul_base_clamped(self.0).to_bytes()
    }

    /// Raw X25519 with `their_public`. Like libsodium's `crypto_scalarmult`, it fails on an
    /// all-zero result (a small-order public key).
    pub fn diffie_hellman(&self, their_public: &[u8; KEY_LEN]) -> crate::Result<SharedSecret> {
        let shared = x25519_dalek::x25519(self.0, *their_public);
        if bool::from(shared.ct_eq(&[0u8; KEY_LEN])) {
            return Err(crate::Error::InvalidX25519PublicKey);
        }
        Ok(SharedSecret(shared))
    }
}

impl core::fmt::Debug for X25519Secret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("X25519Secret(<redacted>)")
    }
}

impl ConstantTimeEq for X25519Secret {
    fn ct_eq(&self, other: &Self) -> subtle::Choice {
        self.0.ct_eq(&other.0)
    }
}

impl PartialEq for X25519Secret {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for X25519Secret {}

/// The output of an X25519 Diffie-Hellman.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct SharedSecret([u8; KEY_LEN]);

impl SharedSecret {
    pub(crate) const fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self(bytes)
    }

    /// The shared bytes; keep the borrow short and never log it.
    pub const fn expose_secret(&self) -> &[u8; KEY_LEN] {
        &self.0
    }
}

impl core::fmt::Debug for SharedSecret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SharedSecret(<redacted>)")
    }
}

/// Clamps an X25519 scalar in place, as libsodium does.
pub(crate) fn clamp(bytes: &mut [u8; KEY_LEN]) {
    bytes[0] &= 248;
    bytes[31] &= 127;
    bytes[31] |= 64;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_base_public_key_equals_the_ladder() {
        for byte in [0u8, 1, 9, 0x42, 0xff] {
            let secret = X25519Secret::from_bytes([byte; KEY_LEN]);
            let ladder = x25519_dalek::x25519(
                *secret.expose_secret(),
                x25519_dalek::X25519_BASEPOINT_BYTES,
            );
            assert_eq!(secret.public_key(), ladder);
        }
    }
}
