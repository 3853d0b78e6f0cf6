//! The one error type of this crate.

/// What can go wrong in a primitive. Messages never carry key material or plaintext.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A BLAKE2b output size outside `1..=64`.
    #[error("BLAKE2b output size must be 1..=64 bytes, got {0}")]
    HashOutputSize(usize),
    /// A BLAKE2b key longer than 64 bytes.
    #[error("BLAKE2b key must be at most 64 bytes, got {0}")]
    HashKeyLength(usize),
    /// A BLAKE2b salt or personalisation longer than 16 bytes.
    #[error("BLAKE2b salt and personalisation must be at most 16 bytes, got {0}")]
    HashParameterLength(usize),
    /// A ciphertext too short to hold its framing (ephemeral key, nonce or tag).
    #[error("ciphertext too short: {found} bytes, at least {minimum} needed")]
    CiphertextTooShort {
        /// Bytes needed at the least.
        minimum: usize,
        /// Bytes given.
        found: usize,
    },
    /// Authentication failed: wrong key, or the ciphertext was altered.
    #[error("decryption failed: authentication tag mismatch")]
    DecryptionFailed,
    /// The AEAD refused the input (for instance a message beyond its length limit).
    #[error("encryption failed")]
    EncryptionFailed,
    /// Bytes that are not a valid Ed25519 public key (not a point, small order or
    /// outside the prime-order subgroup).
    #[error("invalid Ed25519 public key")]
    InvalidEd25519PublicKey,
    /// Bytes that are not a usable X25519 public key.
    #[error("invalid X25519 public key")]
    InvalidX25519PublicKey,
    /// A signature that does not verify.
    #[error("invalid signature")]
    InvalidSignature,
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
