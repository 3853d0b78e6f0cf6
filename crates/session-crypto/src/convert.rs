//! Conversions between Ed25519 and X25519 keys, matching libsodium's
//! `crypto_sign_ed25519_pk_to_curve25519` and `crypto_sign_ed25519_sk_to_curve25519`.

use curve25519_dalek::edwards::CompressedEdwardsY;
use curve25519_dalek::montgomery::MontgomeryPoint;
use sha2::{Digest, Sha512};
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::secret::Ed25519Seed;
use crate::x25519::X25519Secret;

/// Ed25519 public key -> X25519 public key (`u = (1 + y) / (1 - y)`).
///
/// Like libsodium, it refuses bytes that are not a point, points of small order and points
/// outside the prime-order subgroup.
pub fn ed25519_pk_to_x25519(ed25519_pk: &[u8; 32]) -> Result<[u8; 32]> {
    let point = CompressedEdwardsY(*ed25519_pk)
        .decompress()
        .ok_or(Error::InvalidEd25519PublicKey)?;
    if point.is_small_order() || !point.is_torsion_free() {
        return Err(Error::InvalidEd25519PublicKey);
    }
    Ok(point.to_montgomery().to_bytes())
}

/// Ed25519 seed -> X25519 secret: `SHA-512(seed)[0..32]`, clamped. This is also the Ed25519
/// signing scalar `a`, which blinding builds on.
pub fn ed25519_seed_to_x25519(seed: &Ed25519Seed) -> X25519Secret {
    let digest = Zeroizing::new(Sha512::digest(seed.expose_secret()));
    let mut scalar = Zeroizing::new([0u8; 32]);
    scalar.copy_from_slice(&digest[..32]);
    X25519Secret::from_bytes(*scalar)
}

/// X25519 public key -> the Ed25519 point with the chosen sign bit (`y = (u - 1) / (u + 1)`).
///
/// The sign is lost in the Ed25519 -> X25519 direction; XEd25519 and blinding take sign 0.
pub fn x25519_pk_to_ed25519(x25519_pk: &[u8; 32], sign: u8) -> Result<[u8; 32]> {
    MontgomeryPoint(*x25519_pk)
        .to_edwards(sign & 1)
        .map(|point| point.compress().to_bytes())
        .ok_or(Error::InvalidX25519PublicKey)
}
