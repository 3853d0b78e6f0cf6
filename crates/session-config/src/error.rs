//! The crate's error types. Messages never carry key material or config contents.

/// Why bytes are not a valid config message (libsession's `config_parse_error`,
/// `signature_error` and `missing_signature`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// Not canonical bencode.
    #[error("not canonical bencode: {0}")]
    Bencode(#[from] session_bt::DecodeError),
    /// The message is not a dictionary.
    #[error("config message is not a dictionary")]
    NotADict,
    /// The first key is not `#` holding an integer seqno.
    #[error("first key must be \"#\" with an integer seqno")]
    MissingSeqno,
    /// No `&` data dictionary.
    #[error("\"&\" data dictionary not found")]
    MissingData,
    /// A known key (`<`, `=`) holds the wrong type.
    #[error("config key {0:?} has the wrong type")]
    WrongType(&'static str),
    /// The data holds an empty set or dictionary, which a canonical config never does.
    #[error("data contains an unpruned, empty set or dict")]
    Unpruned,
    /// A data value is a list whose items are not scalars.
    #[error("data contains a set with a non-scalar value")]
    NonScalarInSet,
    /// A set's items are duplicated or out of order.
    #[error("data contains an unsorted set or duplicates")]
    UnsortedSet,
    /// An integer outside the signed 64-bit range.
    #[error("integer outside the signed 64-bit range")]
    IntegerOutOfRange,
    /// A malformed diff.
    #[error("invalid diff: {0}")]
    InvalidDiff(&'static str),
    /// A malformed lagged-diff list.
    #[error("invalid lagged diff: {0}")]
    InvalidLaggedDiff(&'static str),
    /// The signature is not 64 bytes.
    #[error("config signature is invalid (not 64 bytes)")]
    SignatureLength,
    /// A signature is required but missing.
    #[error("config signature is missing")]
    MissingSignature,
    /// The signature does not verify.
    #[error("config signature failed verification")]
    BadSignature,
    /// Keys after `~`.
    #[error("keys after the signature \"~\"")]
    KeyAfterSignature,
}

/// Why a config operation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A config message that does not parse.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// None of the messages given to a merge were valid.
    #[error("no valid config messages given")]
    NoValidConfigs,
    /// The ciphertext does not decrypt with the key (or was altered).
    #[error("config decryption failed")]
    DecryptionFailed,
    /// The ciphertext is too short to hold a tag and nonce.
    #[error("encrypted config too short: {0} bytes")]
    CiphertextTooShort(usize),
    /// An encryption domain outside 1..=24 bytes.
    #[error("encryption domain must be 1..=24 bytes, got {0}")]
    InvalidDomain(usize),
    /// zstd could not decompress the `z` payload, or it inflated beyond the limit.
    #[error("decompression failed")]
    DecompressionFailed,
    /// A plaintext that is empty or starts with an unknown type byte.
    #[error("unsupported config plaintext type")]
    UnsupportedPlaintext,
    /// A malformed multipart part.
    #[error("invalid multipart message: {0}")]
    Multipart(&'static str),
    /// The protobuf wrapper is malformed, from someone else, or of the wrong kind.
    #[error("invalid protobuf config wrapper: {0}")]
    Protobuf(&'static str),
    /// The serialized config exceeds even the multipart limit.
    #[error("config too large: {0} bytes")]
    TooLarge(usize),
    /// Pushing or merging without an encryption key.
    #[error("no encryption key set")]
    NoKeys,
    /// Changing a config for which only a verifying key (no signing key) is held.
    #[error("the config is read-only: no signing key")]
    ReadOnly,
    /// A malformed dump.
    #[error("invalid dump: {0}")]
    InvalidDump(&'static str),
    /// A value rejected by a setter.
    #[error("invalid value: {0}")]
    InvalidValue(&'static str),
    /// A key of the wrong length, or a signing key that does not match the verifying key.
    #[error("invalid key: {0}")]
    InvalidKey(&'static str),
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
