//! The crate's error type.

use crate::mnemonic::MnemonicError;
use crate::session_id::{IdPrefix, SessionIdError};

/// Everything that can go wrong in this crate. Messages never contain seeds, phrases or
/// secret keys (Session IDs are public and may appear).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A recovery phrase that does not decode.
    #[error(transparent)]
    Mnemonic(#[from] MnemonicError),
    /// A Session ID that does not parse.
    #[error(transparent)]
    SessionId(#[from] SessionIdError),
    /// Seed bytes of a length that is none of 16 (recovery seed), 32 (Ed25519 seed) or 64
    /// (libsodium secret key: seed || public key).
    #[error("a seed is 16, 32 or 64 bytes, got {found}")]
    SeedLength {
        /// Bytes given.
        found: usize,
    },
    /// Seed text that is not hexadecimal.
    #[error("seed is not valid hex")]
    SeedHex,
    /// A 64-byte secret key whose public half does not belong to its seed half.
    #[error("the secret key's public half does not match its seed")]
    SecretKeyMismatch,
    /// A Session ID with a prefix this operation does not take.
    #[error("expected a Session ID with prefix {expected}, got {found}")]
    WrongPrefix {
        /// What the operation needs (several may be accepted; this names the first).
        expected: IdPrefix,
        /// What was given.
        found: IdPrefix,
    },
    /// A key that is not a valid curve point.
    #[error(transparent)]
    Crypto(#[from] session_crypto::Error),
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// Checks that `id` has the prefix an operation needs.
pub(crate) fn require_prefix(id: &crate::session_id::SessionId, expected: IdPrefix) -> Result<()> {
    if id.prefix() == expected {
        Ok(())
    } else {
        Err(Error::WrongPrefix {
            expected,
            found: id.prefix(),
        })
    }
}
