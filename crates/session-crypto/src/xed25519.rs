//! XEd25519: Ed25519-verifiable signatures made with an X25519 key, as libsession signs them
//! (the nonce is BLAKE2b-512 personalised with `"xed25519signatur"` where Signal's spec uses
//! SHA-512, so signatures interoperate with libsession's verifier and plain Ed25519).

use curve25519_dalek::Scalar;
use curve25519_dalek::edwards::EdwardsPoint;
use rand_core::CryptoRng;
use subtle::{Choice, ConditionallyNegatable};
use zeroize::Zeroizing;

use crate::error::Result;
use crate::x25519::X25519Secret;

const NONCE_PERSONAL: &[u8; 16] = b"xed25519signatur";

/// The Ed25519 public key (sign bit 0) that XEd25519 signatures of `x25519_pk` verify with.
pub fn public_key(x25519_pk: &[u8; 32]) -> Result<[u8; 32]> {
    crate::convert::x25519_pk_to_ed25519(x25519_pk, 0)
}

/// Signs `message` with an X25519 secret; `rng` supplies the 64 random nonce bytes.
pub fn sign<R: CryptoRng + ?Sized>(rng: &mut R, secret: &X25519Secret, message: &[u8]) -> [u8; 64] {
    let mut random = Zeroizing::new([0u8; 64]);
    rng.fill_bytes(random.as_mut());
    sign_with_random(secret, message, &random)
}

/// Signs with caller-supplied nonce randomness (deterministic; for tests).
pub fn sign_with_random(secret: &X25519Secret, message: &[u8], random: &[u8; 64]) -> [u8; 64] {
    let x = Zeroizing::new(Scalar::from_bytes_mod_order(*secret.expose_secret()));
    let mut public = EdwardsPoint::mul_base(&x).compress().to_bytes();
    // Use the scalar whose public point has sign bit 0, then publish that point.
    let mut a = x.clone();
    a.conditional_negate(Choice::from(public[31] >> 7));
    public[31] &= 0x7f;

    let nonce_hash = Zeroizing::new(crate::blake2b::hash_personal::<64>(
        NONCE_PERSONAL,
        &[a.as_bytes(), message, random],
    ));
    let r = Zeroizing::new(Scalar::from_bytes_mod_order_wide(&nonce_hash));
    crate::ed25519::sign_with_nonce(&a, &public, &r, message)
}

/// Verifies an XEd25519 signature against the signer's X25519 public key.
pub fn verify(signature: &[u8; 64], x25519_pk: &[u8; 32], message: &[u8]) -> Result<()> {
    let ed25519_pk = public_key(x25519_pk)?;
    crate::ed25519::verify(signature, &ed25519_pk, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_verifies_and_depends_on_randomness() {
        let secret = X25519Secret::from_bytes([42; 32]);
        let pk = secret.public_key();
        let a = sign_with_random(&secret, b"msg", &[1; 64]);
        let b = sign_with_random(&secret, b"msg", &[2; 64]);
        assert_ne!(a, b);
        verify(&a, &pk, b"msg").unwrap();
        verify(&b, &pk, b"msg").unwrap();
        assert_eq!(
            verify(&a, &pk, b"other"),
            Err(crate::Error::InvalidSignature)
        );
    }
}
