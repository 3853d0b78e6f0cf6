//! Scalar and point arithmetic shared by the blinding schemes.

use curve25519_dalek::Scalar;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use zeroize::Zeroizing;

use crate::error::Result;

/// `k·P` for the Ed25519 point `point` (unclamped, as libsodium's `_noclamp` functions).
pub(crate) fn blind_point(k: &Scalar, point: &[u8; 32]) -> Result<[u8; 32]> {
    let point = CompressedEdwardsY(*point)
        .decompress()
        .ok_or(session_crypto::Error::InvalidEd25519PublicKey)?;
    Ok((point * k).compress().to_bytes())
}

/// The blinded public key `(k·a)·B` of the account scalar `a` under the factor `k`.
pub(crate) fn blinded_public(k: &Scalar, a: &Scalar) -> [u8; 32] {
    base_mul(&Zeroizing::new(k * a))
}

/// `s·B` as compressed bytes.
pub(crate) fn base_mul(s: &Scalar) -> [u8; 32] {
    EdwardsPoint::mul_base(s).compress().to_bytes()
}

/// Flips the sign bit of a compressed point: the other candidate for a blinded key.
pub(crate) fn flip_sign(mut point: [u8; 32]) -> [u8; 32] {
    point[31] ^= 0x80;
    point
}
