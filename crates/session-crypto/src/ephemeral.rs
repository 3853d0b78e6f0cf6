//! Ephemeral X25519 agreements with many peers at once, about twice as fast as a key
//! generation plus a Montgomery ladder per peer.
//!
//! Onion requests make one fresh key pair per layer and one Diffie-Hellman with each node, so
//! X25519 dominates small requests. Three things make it cheaper here, all giving the exact bytes
//! of libsodium's `crypto_scalarmult`:
//!
//! - a [`PeerKey`] decodes a node's public key to an Edwards point once, so each agreement is a
//!   constant-time Edwards multiplication (dalek's vectorised backend where the CPU has one)
//!   instead of the ladder;
//! - the ephemeral public keys come from the precomputed base-point table;
//! - every result leaves projective coordinates through a single batched field inversion.
//!
//! Public keys that have no Edwards point (the curve's twist) fall back to the ladder, so any
//! 32 bytes behave as they do in libsodium, small-order keys included: they are refused.

use curve25519_dalek::edwards::EdwardsPoint;
use curve25519_dalek::montgomery::MontgomeryPoint;
use rand_core::CryptoRng;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, Result};
use crate::x25519::{KEY_LEN, SharedSecret};

/// A peer's X25519 public key, decoded once for repeated agreements.
#[derive(Clone, Copy)]
pub struct PeerKey {
    bytes: [u8; KEY_LEN],
    edwards: Option<EdwardsPoint>,
}

impl PeerKey {
    /// Decodes `bytes` (never fails: keys without an Edwards point take the ladder).
    pub fn new(bytes: [u8; KEY_LEN]) -> Self {
        Self {
            bytes,
            edwards: MontgomeryPoint(bytes).to_edwards(0),
        }
    }

    /// The public key as given.
    pub const fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.bytes
    }
}

impl From<[u8; KEY_LEN]> for PeerKey {
    fn from(bytes: [u8; KEY_LEN]) -> Self {
        Self::new(bytes)
    }
}

impl PartialEq for PeerKey {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}

impl Eq for PeerKey {}

impl core::fmt::Debug for PeerKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "PeerKey({})", Hex(&self.bytes))
    }
}

struct Hex<'a>(&'a [u8]);

impl core::fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
    }
}

/// One fresh key pair's public half and its Diffie-Hellman result with one peer; the secret
/// half is wiped as soon as the agreement is made.
#[derive(Debug)]
pub struct EphemeralAgreement {
    public_key: [u8; KEY_LEN],
    shared_secret: SharedSecret,
}

impl EphemeralAgreement {
    /// The ephemeral public key to send to the peer.
    pub const fn public_key(&self) -> &[u8; KEY_LEN] {
        &self.public_key
    }

    /// `X25519(ephemeral secret, peer)`.
    pub const fn shared_secret(&self) -> &SharedSecret {
        &self.shared_secret
    }
}

/// A fresh ephemeral key pair per peer, and its agreement with that peer, in `peers`' order.
///
/// Fails with [`Error::InvalidX25519PublicKey`] if any peer key gives an all-zero result, as
/// libsodium's `crypto_scalarmult` does.
pub fn agree_ephemeral<R: CryptoRng + ?Sized>(
    rng: &mut R,
    peers: &[&PeerKey],
) -> Result<Vec<EphemeralAgreement>> {
    // Points are laid out as [public_0, shared_0, public_1, shared_1, ...] so that one batched
    // inversion serves all of them.
    let mut points = Zeroizing::new(Vec::with_capacity(2 * peers.len()));
    let mut ladder_results = Zeroizing::new(vec![None; peers.len()]);
    let mut secret = Zeroizing::new([0u8; KEY_LEN]);
    for (peer, ladder_result) in peers.iter().zip(ladder_results.iter_mut()) {
        rng.fill_bytes(secret.as_mut());
        points.push(EdwardsPoint::mul_base_clamped(*secret));
        match peer.edwards {
            Some(point) => points.push(point.mul_clamped(*secret)),
            None => {
                *ladder_result = Some(x25519_dalek::x25519(*secret, peer.bytes));
                points.push(EdwardsPoint::default());
            }
        }
    }
    let mut montgomery = Zeroizing::new(EdwardsPoint::to_montgomery_batch(&points));
    let agreements = montgomery
        .chunks_exact(2)
        .zip(ladder_results.iter())
        .map(|(pair, ladder_result)| {
            let shared = ladder_result.unwrap_or(pair[1].to_bytes());
            if bool::from(shared.ct_eq(&[0u8; KEY_LEN])) {
                return Err(Error::InvalidX25519PublicKey);
            }
            Ok(EphemeralAgreement {
                public_key: pair[0].to_bytes(),
                shared_secret: SharedSecret::from_bytes(shared),
            })
        })
        .collect();
    montgomery.iter_mut().for_each(Zeroize::zeroize);
    agreements
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha20Rng;

    /// Replays the RNG to recover each ephemeral secret and checks both halves against the
    /// ladder, for peers on the curve, on the twist and of small order.
    fn check_against_ladder(peer_bytes: [u8; KEY_LEN], seed: u64) {
        let peer = PeerKey::new(peer_bytes);
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let result = agree_ephemeral(&mut rng, &[&peer, &peer]);
        let mut replay = ChaCha20Rng::seed_from_u64(seed);
        let mut expected = Vec::new();
        for _ in 0..2 {
            let mut secret = [0u8; KEY_LEN];
            rand_core::Rng::fill_bytes(&mut replay, &mut secret);
            let public = x25519_dalek::x25519(secret, x25519_dalek::X25519_BASEPOINT_BYTES);
            expected.push((public, x25519_dalek::x25519(secret, peer_bytes)));
        }
        if expected.iter().any(|(_, shared)| *shared == [0u8; KEY_LEN]) {
            assert_eq!(result.err(), Some(Error::InvalidX25519PublicKey));
            return;
        }
        let agreements = result.unwrap();
        for (agreement, (public, shared)) in agreements.iter().zip(&expected) {
            assert_eq!(agreement.public_key(), public);
            assert_eq!(agreement.shared_secret().expose_secret(), shared);
        }
    }

    #[test]
    fn matches_the_ladder_for_curve_twist_and_small_order_keys() {
        let on_curve = MontgomeryPoint::mul_base_clamped([5; 32]).to_bytes();
        let mut minus_one = [0xff; 32];
        minus_one[0] = 0xec;
        minus_one[31] = 0x7f;
        let small_order = [0u8; 32];
        let mut twist = [0u8; 32];
        twist[0] = 2; // u = 2 is not on the curve: x^3 + A x^2 + x is a non-square.
        assert!(PeerKey::new(twist).edwards.is_none());
        for (i, peer) in [on_curve, minus_one, small_order, twist, [0xff; 32]]
            .into_iter()
            .enumerate()
        {
            check_against_ladder(peer, i as u64);
        }
    }

    proptest::proptest! {
        #[test]
        fn matches_the_ladder_for_any_bytes(peer in proptest::array::uniform32(0u8..), seed: u64) {
            check_against_ladder(peer, seed);
        }
    }
}
