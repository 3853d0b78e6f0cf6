//! Plain Ed25519 verification with libsodium's acceptance rules.

use ed25519_dalek::{Signature, VerifyingKey};

use crate::error::{Error, Result};

/// Verifies `signature` over `message` by `public_key`, rejecting small-order keys and
/// non-canonical signatures as libsodium's `crypto_sign_verify_detached` does.
pub fn verify(signature: &[u8; 64], public_key: &[u8; 32], message: &[u8]) -> Result<()> {
    let key = VerifyingKey::from_bytes(public_key).map_err(|_| Error::InvalidEd25519PublicKey)?;
    key.verify_strict(message, &Signature::from_bytes(signature))
        .map_err(|_| Error::InvalidSignature)
}
