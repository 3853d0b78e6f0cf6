//! A blinded signing key and how it makes its nonces.

use curve25519_dalek::Scalar;
use session_crypto::blake2b;
use sha2::{Digest, Sha512};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::keypair::Keypair;
use crate::session_id::{IdPrefix, SessionId};

use super::scalar::base_mul;
use super::{blind15, blind25};

const BLIND25_SEED_KEY: &[u8; 20] = b"SessCommBlind25_seed";
const BLIND25_SIG_KEY: &[u8; 19] = b"SessCommBlind25_sig";

/// Which blinding, and for blind15, which nonce derivation.
///
/// blind15 signatures are deterministic but the two references derive the nonce from
/// different bytes (`SHA-512(K)[32..64]` with `K` the 64-byte libsodium key in libsession,
/// the 32-byte seed in pysogs). Servers verify both alike; only known-answer tests tell them
/// apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Blinding {
    /// blind15 with libsession's nonce (what the Session apps send); the default.
    Blind15,
    /// blind15 with pysogs' nonce (its tests and `contrib/auth-example.py`).
    Blind15Pysogs,
    /// blind25.
    Blind25,
}

/// A blinded key pair for one community server: the blinded secret scalar `ka`, the blinded
/// public key `kA` and the key the deterministic signing nonce is derived from. Its
/// signatures verify as plain Ed25519 signatures by `kA`.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct BlindedKeypair {
    secret: Scalar,
    nonce_key: [u8; 32],
    #[zeroize(skip)]
    public: [u8; 32],
    #[zeroize(skip)]
    blinding: Blinding,
}

impl BlindedKeypair {
    /// The blind15 key pair of `keypair` on the server with X25519 key `server_pk`, signing
    /// as libsession does.
    pub fn blind15(keypair: &Keypair, server_pk: &[u8; 32]) -> Self {
        Self::new(keypair, server_pk, Blinding::Blind15)
    }

    /// The blind25 key pair of `keypair` on the server with X25519 key `server_pk`.
    pub fn blind25(keypair: &Keypair, server_pk: &[u8; 32]) -> Self {
        Self::new(keypair, server_pk, Blinding::Blind25)
    }

    /// The key pair for any [`Blinding`].
    pub fn new(keypair: &Keypair, server_pk: &[u8; 32], blinding: Blinding) -> Self {
        let a = Zeroizing::new(keypair.signing_scalar());
        let (k, nonce_key) = match blinding {
            Blinding::Blind15 => {
                let sk = keypair.libsodium_secret_key();
                (blind15::factor(server_pk), hash_upper_half(sk.as_ref()))
            }
            Blinding::Blind15Pysogs => {
                let seed = keypair.ed25519_seed();
                (
                    blind15::factor(server_pk),
                    hash_upper_half(seed.expose_secret()),
                )
            }
            Blinding::Blind25 => {
                let seed = keypair.ed25519_seed();
                let seed_hash =
                    blake2b::hash_keyed::<32, _>(BLIND25_SEED_KEY, &[seed.expose_secret()]);
                (blind25::owner_factor(keypair, server_pk), seed_hash)
            }
        };
        let secret = k * *a;
        Self {
            public: base_mul(&secret),
            secret,
            nonce_key,
            blinding,
        }
    }

    /// The blinded public key `kA`.
    pub fn public_key(&self) -> &[u8; 32] {
        &self.public
    }

    /// The blinded ID (`15` or `25` and `kA`).
    pub fn session_id(&self) -> SessionId {
        let prefix = match self.blinding {
            Blinding::Blind15 | Blinding::Blind15Pysogs => IdPrefix::Blinded15,
            Blinding::Blind25 => IdPrefix::Blinded25,
        };
        SessionId::new(prefix, self.public)
    }

    /// Which blinding this is.
    pub fn blinding(&self) -> Blinding {
        self.blinding
    }

    /// Signs `message`; the signature verifies as Ed25519 by [`BlindedKeypair::public_key`].
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        let r = match self.blinding {
            Blinding::Blind15 | Blinding::Blind15Pysogs => Scalar::from_hash(
                Sha512::new()
                    .chain_update(self.nonce_key)
                    .chain_update(self.public)
                    .chain_update(message),
            ),
            Blinding::Blind25 => {
                let wide = Zeroizing::new(blake2b::hash_keyed::<64, _>(
                    BLIND25_SIG_KEY,
                    &[&self.nonce_key, &self.public, message],
                ));
                Scalar::from_bytes_mod_order_wide(&wide)
            }
        };
        let r = Zeroizing::new(r);
        session_crypto::ed25519::sign_with_nonce(&self.secret, &self.public, &r, message)
    }
}

impl core::fmt::Debug for BlindedKeypair {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("BlindedKeypair")
            .field("id", &self.session_id())
            .finish_non_exhaustive()
    }
}

/// `SHA-512(bytes)[32..64]`, the Ed25519 nonce prefix of `bytes`.
fn hash_upper_half(bytes: &[u8]) -> [u8; 32] {
    let digest = Zeroizing::new(Sha512::digest(bytes));
    let mut out = [0u8; 32];
    out.copy_from_slice(&digest[32..]);
    out
}
