//! An account's keys: Ed25519 for signing, X25519 (derived from it) for encryption.

use ed25519_dalek::VerifyingKey;
use ed25519_dalek::hazmat::{ExpandedSecretKey, raw_sign};
use session_crypto::{Ed25519Seed, X25519Secret, convert};
use sha2::Sha512;
use zeroize::Zeroizing;

use crate::session_id::{IdPrefix, SessionId};

/// An Ed25519 signing key and the X25519 key derived from it, as libsodium derives it
/// (`crypto_sign_ed25519_sk_to_curve25519`). Secrets are wiped on drop; `Debug` shows the
/// public keys only.
///
/// The seed is kept expanded (its SHA-512: the signing scalar and the nonce key), so that
/// signing does not hash it again on every call as `ed25519_dalek::SigningKey::sign` does.
pub struct Keypair {
    seed: Ed25519Seed,
    expanded: ExpandedSecretKey,
    verifying: VerifyingKey,
    x25519: X25519Secret,
    x25519_public: [u8; 32],
}

impl Keypair {
    /// Derives the keys of a 32-byte Ed25519 seed.
    pub fn from_ed25519_seed(seed: &Ed25519Seed) -> Self {
        // RFC 8032's expansion, exactly as `SigningKey` does it: SHA-512(seed), the first
        // half clamped into the scalar, the second half the nonce key.
        let expanded = ExpandedSecretKey::from(seed.expose_secret());
        let verifying = VerifyingKey::from(&expanded);
        let x25519 = convert::ed25519_seed_to_x25519(seed);
        // The Montgomery form of A is x·G: one inversion instead of a second ladder.
        let x25519_public = verifying.to_montgomery().to_bytes();
        Self {
            seed: seed.clone(),
            expanded,
            verifying,
            x25519,
            x25519_public,
        }
    }

    /// The Ed25519 public key.
    pub fn ed25519_public(&self) -> &[u8; 32] {
        self.verifying.as_bytes()
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
        self.seed.clone()
    }

    /// The libsodium form of the secret key: `seed || public key`.
    pub fn libsodium_secret_key(&self) -> Zeroizing<[u8; 64]> {
        let mut key = Zeroizing::new([0u8; 64]);
        key[..32].copy_from_slice(self.seed.expose_secret());
        key[32..].copy_from_slice(self.ed25519_public());
        key
    }

    /// The account's Session ID: `05` and the X25519 public key.
    pub fn session_id(&self) -> SessionId {
        SessionId::new(IdPrefix::Standard, self.x25519_public)
    }

    /// The unblinded community ID: `00` and the Ed25519 public key.
    pub fn unblinded_id(&self) -> SessionId {
        SessionId::new(IdPrefix::Unblinded, *self.ed25519_public())
    }

    /// The ID of a closed group whose keypair this is: `03` and the Ed25519 public key.
    pub fn group_id(&self) -> SessionId {
        SessionId::new(IdPrefix::Group, *self.ed25519_public())
    }

    /// A deterministic Ed25519 signature (RFC 8032), as libsodium makes it, from the expanded
    /// key: the same bytes as `SigningKey::sign`, one SHA-512 of the seed cheaper.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        raw_sign::<Sha512>(&self.expanded, message, &self.verifying).to_bytes()
    }

    /// The Ed25519 signing scalar `a` (= the X25519 secret, reduced), which blinding
    /// multiplies.
    pub(crate) fn signing_scalar(&self) -> curve25519_dalek::Scalar {
        self.expanded.scalar
    }
}

impl Clone for Keypair {
    fn clone(&self) -> Self {
        Self {
            seed: self.seed.clone(),
            // `ExpandedSecretKey` is not `Clone`; its fields are the whole key.
            expanded: ExpandedSecretKey {
                scalar: self.expanded.scalar,
                hash_prefix: self.expanded.hash_prefix,
            },
            verifying: self.verifying,
            x25519: self.x25519.clone(),
            x25519_public: self.x25519_public,
        }
    }
}

impl core::fmt::Debug for Keypair {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Keypair")
            .field("ed25519_public", &hex::encode(self.ed25519_public()))
            .field("x25519_public", &hex::encode(self.x25519_public))
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    #[test]
    fn expanded_key_signs_as_the_signing_key_does() {
        for byte in 0..8u8 {
            let seed = [byte.wrapping_mul(97); 32];
            let keypair = Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes(seed));
            let signing = SigningKey::from_bytes(&seed);
            assert_eq!(keypair.ed25519_public(), signing.verifying_key().as_bytes());
            assert_eq!(*keypair.libsodium_secret_key(), signing.to_keypair_bytes());
            assert_eq!(keypair.ed25519_seed().expose_secret(), &seed);
            assert_eq!(
                keypair.signing_scalar(),
                curve25519_dalek::Scalar::from_bytes_mod_order(
                    *keypair.x25519_secret().expose_secret()
                )
            );
            let clone = keypair.clone();
            for len in [0usize, 1, 63, 64, 160, 1000] {
                let message = vec![byte; len];
                let expected = signing.sign(&message).to_bytes();
                assert_eq!(keypair.sign(&message), expected);
                assert_eq!(clone.sign(&message), expected);
            }
        }
    }
}
