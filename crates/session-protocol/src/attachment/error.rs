//! The one error type of the attachment schemes.

/// What can go wrong encrypting or decrypting an attachment or avatar. Each check has its
/// own variant, so callers (and tests) can tell a tampered blob from a wrong digest or a bad
/// `size`. Messages never contain keys or plaintext.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AttachmentError {
    /// Key bytes of the wrong length (64 for the default scheme, 32 otherwise).
    #[error("attachment key must be {expected} bytes, got {found}")]
    KeyLength {
        /// Bytes the scheme needs.
        expected: usize,
        /// Bytes given.
        found: usize,
    },
    /// Encrypted data too short to hold the scheme's framing.
    #[error("encrypted attachment too short: {found} bytes, at least {minimum} needed")]
    TooShort {
        /// Bytes needed at the least.
        minimum: usize,
        /// Bytes given.
        found: usize,
    },
    /// Default scheme: the HMAC-SHA256 over `iv || ciphertext` does not match.
    #[error("attachment MAC mismatch")]
    MacMismatch,
    /// Default scheme: no digest to check against (clients refuse these).
    #[error("attachment has no digest")]
    MissingDigest,
    /// Default scheme: a digest that is not 32 bytes.
    #[error("attachment digest must be 32 bytes, got {found}")]
    DigestLength {
        /// Bytes given.
        found: usize,
    },
    /// Default scheme: the SHA-256 of the encrypted data is not the digest given.
    #[error("attachment digest mismatch")]
    DigestMismatch,
    /// Default scheme: an authenticated ciphertext that is not a non-zero multiple of the
    /// AES block size (only a key holder can produce one).
    #[error("attachment ciphertext of {found} bytes is not whole AES blocks")]
    CiphertextLength {
        /// Ciphertext bytes.
        found: usize,
    },
    /// Default scheme: invalid PKCS#7 padding in an authenticated ciphertext.
    #[error("invalid PKCS#7 padding")]
    InvalidPadding,
    /// Default scheme: the decrypted data is shorter than the pointer's `size`.
    #[error("attachment size {size} exceeds the {available} decrypted bytes")]
    SizeMismatch {
        /// The `size` asked for.
        size: usize,
        /// Bytes decrypted (padding included).
        available: usize,
    },
    /// Deterministic scheme: more plaintext than onion requests carry, without the
    /// large-file opt-in.
    #[error("attachment of {size} bytes exceeds the {max}-byte limit")]
    TooLarge {
        /// Plaintext bytes.
        size: usize,
        /// The limit.
        max: usize,
    },
    /// Deterministic scheme: the first byte names another encryption format.
    #[error("unknown attachment encryption format 0x{0:02x}")]
    UnknownFormat(u8),
    /// Deterministic scheme: a chunk does not authenticate (wrong key or altered data).
    #[error("attachment chunk failed authentication")]
    ChunkAuthentication,
    /// Deterministic scheme: the padding does not end in `0x01`.
    #[error("invalid attachment padding")]
    InvalidStreamPadding,
    /// Deterministic scheme: the data ends before the final chunk.
    #[error("attachment data ends before its final chunk")]
    Truncated,
    /// Deterministic scheme: data follows the chunk marked final.
    #[error("data after the final attachment chunk")]
    TrailingData,
    /// Avatar: AES-GCM authentication failed (wrong profile key or altered data).
    #[error("avatar failed authentication")]
    AvatarAuthentication,
}
