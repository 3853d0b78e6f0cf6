//! What can go wrong building, peeling and decoding onions (everything but the network's own
//! answers, which are [`crate::response::Failure`]s).

/// An onion could not be built, parsed or decrypted. Messages never carry key material,
/// payloads or plaintext.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A layer or response did not authenticate under the expected key.
    #[error("onion decryption failed")]
    DecryptionFailed,
    /// A peer's X25519 key gave an all-zero shared secret (a small-order point).
    #[error("invalid X25519 public key")]
    InvalidPublicKey,
    /// The AEAD refused to encrypt (a message beyond its length limit).
    #[error("onion encryption failed")]
    EncryptionFailed,
    /// A path of no hops, or more than the network relays.
    #[error("an onion path needs 1..={max} hops, got {hops}")]
    PathLength {
        /// Hops given.
        hops: usize,
        /// Most hops a request may take.
        max: usize,
    },
    /// A request or response larger than a node accepts.
    #[error("onion message of {size} bytes exceeds the {max}-byte limit")]
    TooLarge {
        /// Bytes given.
        size: usize,
        /// Limit.
        max: usize,
    },
    /// `u32 length || blob || json` framing that does not add up.
    #[error("malformed onion framing: {0}")]
    Frame(&'static str),
    /// Routing or control JSON that is not what a node expects.
    #[error("malformed onion JSON: {0}")]
    Json(&'static str),
    /// An `enc_type` that is neither AES-GCM nor XChaCha20.
    #[error("unknown enc_type")]
    UnknownEncType,
    /// A v4 request or response that is not a bencoded list of one or two strings.
    #[error("malformed v4 onion message: {0}")]
    V4(&'static str),
    /// A server URL the onion cannot address.
    #[error("invalid server URL: {0}")]
    Url(&'static str),
}

impl From<session_crypto::Error> for Error {
    fn from(error: session_crypto::Error) -> Self {
        match error {
            session_crypto::Error::InvalidX25519PublicKey => Self::InvalidPublicKey,
            session_crypto::Error::EncryptionFailed => Self::EncryptionFailed,
            _ => Self::DecryptionFailed,
        }
    }
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
