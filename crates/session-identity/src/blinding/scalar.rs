//! Scalar and point arithmetic shared by the blinding schemes.

use curve25519_dalek::Scalar;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use sha2::{Digest, Sha512};

use crate::error::Result;

/// `k·P` for the Ed25519 point `point` (unclamped, as libsodium's `_noclamp` functions).
pub(crate) fn blind_point(k: &Scalar, point: &[u8; 32]) -> Result<[u8; 32]> {
    let point = CompressedEdwardsY(*point)
        .decompress()
        .ok_or(session_crypto::Error::InvalidEd25519PublicKey)?;
    Ok((point * k).compress().to_bytes())
}

/// `s·B` as compressed bytes.
pub(crate) fn base_mul(s: &Scalar) -> [u8; 32] {
    EdwardsPoint::mul_base(s).compress().to_bytes()
}

/// A Schnorr signature that plain Ed25519 verifies against `public`, with a caller-derived
/// nonce `r`: `R = r·B`, `S = r + SHA-512(R || A || M)·a`.
pub(crate) fn sign_with_nonce(
    secret: &Scalar,
    public: &[u8; 32],
    r: &Scalar,
    message: &[u8],
) -> [u8; 64] {
    let big_r = base_mul(r);
    let h = Scalar::from_hash(
        Sha512::new()
            .chain_update(big_r)
            .chain_update(public)
            .chain_update(message),
    );
    let s = r + h * secret;
    let mut signature = [0u8; 64];
    signature[..32].copy_from_slice(&big_r);
    signature[32..].copy_from_slice(s.as_bytes());
    signature
}

/// Flips the sign bit of a compressed point: the other candidate for a blinded key.
pub(crate) fn flip_sign(mut point: [u8; 32]) -> [u8; 32] {
    point[31] ^= 0x80;
    point
}
