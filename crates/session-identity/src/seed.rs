//! The master secret of an account.

use rand_core::CryptoRng;
use session_crypto::Ed25519Seed;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::{Error, Result};
use crate::keypair::Keypair;
use crate::mnemonic::{self, RecoveryPhrase};

/// Length of the seed a recovery phrase encodes.
pub const RECOVERY_SEED_LEN: usize = 16;

/// An account's master secret: a 32-byte Ed25519 seed. Accounts made by the Session apps
/// start from 16 random bytes (the part a recovery phrase encodes), padded with 16 zero
/// bytes; older or imported accounts may use all 32.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Seed {
    ed25519: [u8; 32],
    #[zeroize(skip)]
    has_phrase: bool,
}

impl Seed {
    /// A new account seed as the apps make it: 16 random bytes.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut bytes = Zeroizing::new([0u8; RECOVERY_SEED_LEN]);
        rng.fill_bytes(bytes.as_mut());
        Self::from_recovery_bytes(&bytes)
    }

    /// The seed behind a recovery phrase (16 bytes, zero-padded to 32).
    pub fn from_recovery_bytes(bytes: &[u8; RECOVERY_SEED_LEN]) -> Self {
        let mut ed25519 = [0u8; 32];
        ed25519[..RECOVERY_SEED_LEN].copy_from_slice(bytes);
        Self {
            ed25519,
            has_phrase: true,
        }
    }

    /// A full 32-byte Ed25519 seed. It has no recovery phrase, even if its second half
    /// happens to be zero: the phrase belongs to how the account was made.
    pub fn from_ed25519_seed(bytes: &[u8; 32]) -> Self {
        Self {
            ed25519: *bytes,
            has_phrase: false,
        }
    }

    /// Restores from a 13-word recovery phrase.
    pub fn from_mnemonic(phrase: &str) -> Result<Self> {
        let bytes = mnemonic::decode(phrase)?;
        Ok(Self::from_recovery_bytes(&bytes))
    }

    /// From raw bytes: 16 (recovery seed), 32 (Ed25519 seed) or 64 (a libsodium secret key,
    /// `seed || public key`, whose public half must match).
    pub fn from_slice(bytes: &[u8]) -> Result<Self> {
        if let Ok(recovery) = <&[u8; RECOVERY_SEED_LEN]>::try_from(bytes) {
            return Ok(Self::from_recovery_bytes(recovery));
        }
        if let Ok(full) = <&[u8; 32]>::try_from(bytes) {
            return Ok(Self::from_ed25519_seed(full));
        }
        if let Some((seed, public)) = <&[u8; 64]>::try_from(bytes)
            .ok()
            .and_then(|sk| sk.split_first_chunk::<32>())
        {
            let seed = Self::from_ed25519_seed(seed);
            if seed.keypair().ed25519_public() != public {
                return Err(Error::SecretKeyMismatch);
            }
            return Ok(seed);
        }
        Err(Error::SeedLength { found: bytes.len() })
    }

    /// From hex of 16, 32 or 64 bytes (see [`Seed::from_slice`]).
    pub fn from_hex(text: &str) -> Result<Self> {
        let bytes = Zeroizing::new(hex::decode(text.trim()).map_err(|_| Error::SeedHex)?);
        Self::from_slice(&bytes)
    }

    /// The 16 bytes a recovery phrase encodes, for seeds made from one.
    pub fn recovery_bytes(&self) -> Option<&[u8; RECOVERY_SEED_LEN]> {
        self.has_phrase
            .then(|| self.ed25519.first_chunk::<RECOVERY_SEED_LEN>())
            .flatten()
    }

    /// The recovery phrase, for seeds made from 16 bytes.
    pub fn mnemonic(&self) -> Option<RecoveryPhrase> {
        self.recovery_bytes().map(mnemonic::encode)
    }

    /// The 32-byte Ed25519 seed.
    pub fn ed25519_seed(&self) -> Ed25519Seed {
        Ed25519Seed::from_bytes(self.ed25519)
    }

    /// The account's keys.
    pub fn keypair(&self) -> Keypair {
        Keypair::from_ed25519_seed(&self.ed25519_seed())
    }
}

impl core::fmt::Debug for Seed {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Seed(<redacted>)")
    }
}

impl subtle::ConstantTimeEq for Seed {
    fn ct_eq(&self, other: &Self) -> subtle::Choice {
        self.ed25519.ct_eq(&other.ed25519)
            & u8::from(self.has_phrase).ct_eq(&u8::from(other.has_phrase))
    }
}

impl PartialEq for Seed {
    fn eq(&self, other: &Self) -> bool {
        subtle::ConstantTimeEq::ct_eq(self, other).into()
    }
}

impl Eq for Seed {}
