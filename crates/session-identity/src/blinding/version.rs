//! Version blinding (`07`): a key derived from the account seed that the file server's
//! version check is signed with, so the check cannot be linked to the Session ID.

use session_crypto::{Ed25519Seed, blake2b};
use zeroize::Zeroizing;

use crate::keypair::Keypair;
use crate::session_id::{IdPrefix, SessionId};

const VERSION_SEED_KEY: &[u8; 19] = b"VersionCheckKey_sig";

/// Apps whose latest version the file server reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Platform {
    /// Session for Android.
    Android,
    /// Session Desktop.
    Desktop,
    /// Session for iOS.
    Ios,
}

impl Platform {
    /// The name the file server takes in `?platform=`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Android => "android",
            Self::Desktop => "desktop",
            Self::Ios => "ios",
        }
    }
}

/// The version-blinded key pair: an Ed25519 key pair of
/// `BLAKE2b-32(key = "VersionCheckKey_sig", seed)`.
#[derive(Clone, Debug)]
pub struct VersionBlindedKeypair(Keypair);

impl VersionBlindedKeypair {
    /// Derives the version-blinded key pair of an account.
    pub fn new(keypair: &Keypair) -> Self {
        let seed = keypair.ed25519_seed();
        let derived = Zeroizing::new(blake2b::hash_keyed::<32, _>(
            VERSION_SEED_KEY,
            &[seed.expose_secret()],
        ));
        Self(Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes(
            *derived,
        )))
    }

    /// The Ed25519 public key.
    pub fn public_key(&self) -> &[u8; 32] {
        self.0.ed25519_public()
    }

    /// `07` and the public key, as sent in `X-FS-Pubkey`.
    pub fn session_id(&self) -> SessionId {
        SessionId::new(IdPrefix::VersionBlinded, *self.public_key())
    }

    /// Signs a request: `timestamp || method || path || body`.
    pub fn sign_request(&self, timestamp: u64, method: &str, path: &str, body: &[u8]) -> [u8; 64] {
        let message = [
            timestamp.to_string().as_bytes(),
            method.as_bytes(),
            path.as_bytes(),
            body,
        ]
        .concat();
        self.0.sign(&message)
    }

    /// Signs the version check `GET /session_version?platform=<platform>` at `timestamp`
    /// (unix seconds).
    pub fn sign_version_check(&self, platform: Platform, timestamp: u64) -> [u8; 64] {
        let path = format!("/session_version?platform={}", platform.as_str());
        self.sign_request(timestamp, "GET", &path, &[])
    }
}
