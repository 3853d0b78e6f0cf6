//! An account's keys: Ed25519 for signing, X25519 (derived from it) for encryption.

use ed25519_dalek::{Signer, SigningKey};
use session_crypto::{Ed25519Seed, X25519Secret, convert};
use zeroize::Zeroizing;

use crate::session_id::{IdPrefix, SessionId};

/// An Ed25519 signing key and the X25519 key derived from it, as libsodium derives it
/// (`crypto_sign_ed25519_sk_to_curve25519`). Secrets are wiped on drop; `Debug` shows the
/// public keys only.
#[derive(Clone)]
pub struct Keypair {
    signing: SigningKey,
    x25519: X25519Secret,
    ed25519_public: [u8; 32],
    x25519_public: [u8; 32],
}

impl Keypair {
    /// Derives the keys of a 32-byte Ed25519 seed.
    pub fn from_ed25519_seed(seed: &Ed25519Seed) -> Self {
        let signing = SigningKey::from_bytes(seed.expose_secret());
        let x25519 = convert::ed25519_seed_to_x25519(seed);
        let verifying = signing.verifying_key();
        let ed25519_public = verifying.to_bytes();
        // The Montgomery form of A is x·G: one inversion instead of a second ladder.
        let x25519_public = verifying.to_montgomery().to_bytes();
        Self {
            signing,
            x25519,
            ed25519_public,
            x25519_public,
        }
    }

    /// The Ed25519 public key.
    pub fn ed25519_public(&self) -> &[u8; 32] {
        &self.ed25519_public
    }

    /// The X25519 public key (the key of the Session ID).
    pub fn x25519_public(&self) -> &[u8; 32] {
        &self.x25519_public
    }

    /// The X25519 secret key, clamped as libsodium exports it.
    pub fn x25519_secret(&self) -> &X25519Secret {
        &self.x25519
    }

    /// The 32-byte Ed25519 seed.
    pub fn ed25519_seed(&self) -> Ed25519Seed {
        Ed25519Seed::from_bytes(self.signing.to_bytes())
    }

    /// The libsodium form of the secret key: `seed || public key`.
    pub fn libsodium_secret_key(&self) -> Zeroizing<[u8; 64]> {
        Zeroizing::new(self.signing.to_keypair_bytes())
    }

    /// The account's Session ID: `05` and the X25519 public key.
    pub fn session_id(&self) -> SessionId {
        SessionId::new(IdPrefix::Standard, self.x25519_public)
    }

    /// The unblinded community ID: `00` and the Ed25519 public key.
    pub fn unblinded_id(&self) -> SessionId {
        SessionId::new(IdPrefix::Unblinded, self.ed25519_public)
    }

    /// The ID of a closed group whose keypair this is: `03` and the Ed25519 public key.
    pub fn group_id(&self) -> SessionId {
        SessionId::new(IdPrefix::Group, self.ed25519_public)
    }

    /// A deterministic Ed25519 signature (RFC 8032), as libsodium makes it.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }

    /// The Ed25519 signing scalar `a` (= the X25519 secret), which blinding multiplies.
    pub(crate) fn signing_scalar(&self) -> curve25519_dalek::Scalar {
        curve25519_dalek::Scalar::from_bytes_mod_order(*self.x25519.expose_secret())
    }
}

impl core::fmt::Debug for Keypair {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Keypair")
            .field("ed25519_public", &hex::encode(self.ed25519_public))
            .field("x25519_public", &hex::encode(self.x25519_public))
            .finish_non_exhaustive()
    }
}
