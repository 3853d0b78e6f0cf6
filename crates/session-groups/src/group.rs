//! Creating a group: a fresh Ed25519 seed, its key pair, and the `03` group ID.

use rand_core::CryptoRng;
use session_crypto::Ed25519Seed;
use session_identity::{Keypair, SessionId};
use zeroize::Zeroizing;

/// A group's identity as its creator (and every admin) holds it: the seed and key pair. The
/// seed is the group's master secret, so `Debug` shows the ID only.
#[derive(Clone)]
pub struct GroupIdentity {
    keypair: Keypair,
}

impl GroupIdentity {
    /// A new group from 32 fresh random bytes.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut seed = Zeroizing::new([0u8; 32]);
        rng.fill_bytes(seed.as_mut());
        Self::from_seed(&Ed25519Seed::from_bytes(*seed))
    }

    /// The group of a known seed (from UserGroups `K`, or a promotion).
    pub fn from_seed(seed: &Ed25519Seed) -> Self {
        Self {
            keypair: Keypair::from_ed25519_seed(seed),
        }
    }

    /// The group's `03` ID: the prefix and the Ed25519 public key.
    pub fn id(&self) -> SessionId {
        self.keypair.group_id()
    }

    /// The Ed25519 public key (the ID without its prefix).
    pub fn public_key(&self) -> &[u8; 32] {
        self.keypair.ed25519_public()
    }

    /// The seed, which admins store and promotions carry.
    pub fn seed(&self) -> Ed25519Seed {
        self.keypair.ed25519_seed()
    }

    /// The group key pair, which signs key messages, configs and swarm requests.
    pub fn keypair(&self) -> &Keypair {
        &self.keypair
    }
}

impl core::fmt::Debug for GroupIdentity {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("GroupIdentity")
            .field("id", &self.id())
            .finish_non_exhaustive()
    }
}
