//! Ed25519: verification with libsodium's acceptance rules, and the Schnorr signing step
//! that XEd25519 and community blinding share.

use curve25519_dalek::Scalar;
use curve25519_dalek::edwards::EdwardsPoint;
use ed25519_dalek::{Signature, VerifyingKey};
use sha2::{Digest, Sha512};

use crate::error::{Error, Result};

/// Verifies `signature` over `message` by `public_key`, rejecting small-order keys and
/// non-canonical signatures as libsodium's `crypto_sign_verify_detached` does.
pub fn verify(signature: &[u8; 64], public_key: &[u8; 32], message: &[u8]) -> Result<()> {
    let key = VerifyingKey::from_bytes(public_key).map_err(|_| Error::InvalidEd25519PublicKey)?;
    key.verify_strict(message, &Signature::from_bytes(signature))
        .map_err(|_| Error::InvalidSignature)
}

/// An Ed25519 signature with a caller-chosen secret scalar and nonce: `R = r·B`,
/// `S = r + SHA-512(R || A || M)·a`, verifiable by plain Ed25519 with `public` (= `a·B`).
///
/// For schemes that derive their own nonce (XEd25519, blinded signing). The nonce must be
/// secret and never repeat for a different message under the same key, or the key leaks.
pub fn sign_with_nonce(
    secret: &Scalar,
    public: &[u8; 32],
    nonce: &Scalar,
    message: &[u8],
) -> [u8; 64] {
    let big_r = EdwardsPoint::mul_base(nonce).compress().to_bytes();
    let challenge = Scalar::from_hash(
        Sha512::new()
            .chain_update(big_r)
            .chain_update(public)
            .chain_update(message),
    );
    let s = nonce + challenge * secret;
    let mut signature = [0u8; 64];
    signature[..32].copy_from_slice(&big_r);
    signature[32..].copy_from_slice(s.as_bytes());
    signature
}
