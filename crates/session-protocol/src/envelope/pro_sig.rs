//! The `proSig` of a current envelope: a real Session Pro signature, or a decoy shaped like one.

use core::fmt;

use curve25519_dalek::{EdwardsPoint, Scalar};
use sha2::{Digest, Sha512};

use super::format::PRO_SIG_LEN;

/// Domain separation for the decoy's `R` scalar.
const DECOY_R_DOMAIN: &[u8] = b"session-rs pro decoy R";

/// Domain separation for the decoy's `S` scalar.
const DECOY_S_DOMAIN: &[u8] = b"session-rs pro decoy S";

/// The 64 bytes written to `Envelope.proSig`.
///
/// Every current envelope carries one, so that envelopes of Pro and non-Pro senders look
/// alike: either a Pro signature over the content made with the sender's rotating Pro key, or,
/// without Pro, a decoy.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ProSignature([u8; PRO_SIG_LEN]);

impl ProSignature {
    /// A decoy built from 64 random bytes, shaped like a real signature as libsession's is:
    /// `R = r·B` for a uniformly random scalar `r`, then a uniformly random scalar `S`. Here
    /// `r` and `S` are SHA-512 of a domain tag and `random`, reduced modulo the group order, so
    /// the caller supplies the randomness and the result is deterministic.
    pub fn decoy(random: &[u8; PRO_SIG_LEN]) -> Self {
        let r = Scalar::from_hash(
            Sha512::new()
                .chain_update(DECOY_R_DOMAIN)
                .chain_update(random),
        );
        let s = Scalar::from_hash(
            Sha512::new()
                .chain_update(DECOY_S_DOMAIN)
                .chain_update(random),
        );
        let mut bytes = [0u8; PRO_SIG_LEN];
        let (big_r, big_s) = bytes.split_at_mut(PRO_SIG_LEN / 2);
        big_r.copy_from_slice(EdwardsPoint::mul_base(&r).compress().as_bytes());
        big_s.copy_from_slice(s.as_bytes());
        Self(bytes)
    }

    /// A signature made elsewhere (a real Pro signature, or bytes from a test).
    pub const fn from_bytes(bytes: [u8; PRO_SIG_LEN]) -> Self {
        Self(bytes)
    }

    /// The 64 bytes.
    pub const fn to_bytes(&self) -> [u8; PRO_SIG_LEN] {
        self.0
    }
}

impl fmt::Debug for ProSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProSignature({})", hex::encode(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use curve25519_dalek::edwards::CompressedEdwardsY;

    #[test]
    fn decoy_is_shaped_like_a_signature() {
        for seed in 0u8..16 {
            let sig = ProSignature::decoy(&[seed; PRO_SIG_LEN]).to_bytes();
            let (big_r, big_s) = sig.split_at(32);
            let big_r: [u8; 32] = big_r.try_into().unwrap();
            let point = CompressedEdwardsY(big_r).decompress().unwrap();
            assert!(point.is_torsion_free(), "R is in the prime-order subgroup");
            let big_s: [u8; 32] = big_s.try_into().unwrap();
            assert!(
                bool::from(Scalar::from_canonical_bytes(big_s).is_some()),
                "S is a canonical scalar"
            );
        }
    }

    #[test]
    fn decoy_depends_on_the_randomness() {
        let a = ProSignature::decoy(&[1; PRO_SIG_LEN]);
        let b = ProSignature::decoy(&[2; PRO_SIG_LEN]);
        assert_ne!(a, b);
        assert_eq!(a, ProSignature::decoy(&[1; PRO_SIG_LEN]));
    }
}
