//! What can go wrong when decoding or producing bencode.

/// A decoding failure: what was wrong and at which byte of the input.
///
/// The offset is relative to the slice given to the decoder and points at the first byte
/// of the offending token (the `i` of a bad integer, the first digit of a bad length, the
/// first byte after the value for trailing bytes, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("invalid bencode at byte {offset}: {kind}")]
pub struct DecodeError {
    offset: usize,
    kind: DecodeErrorKind,
}

impl DecodeError {
    pub(crate) const fn new(offset: usize, kind: DecodeErrorKind) -> Self {
        Self { offset, kind }
    }

    /// Byte offset in the input where the problem was found.
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// What was wrong.
    pub const fn kind(&self) -> DecodeErrorKind {
        self.kind
    }
}

/// The rule a rejected input broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input ends inside a value (or is empty).
    #[error("input ends inside a value")]
    UnexpectedEnd,
    /// A byte that cannot start or continue a value here.
    #[error("unexpected byte 0x{0:02x}")]
    UnexpectedByte(u8),
    /// `ie` or `i-e`: an integer with no digits.
    #[error("integer without digits")]
    EmptyInteger,
    /// An integer or a string length written with a leading zero (`i03e`, `03:abc`).
    #[error("number with a leading zero")]
    LeadingZero,
    /// `i-0e`.
    #[error("negative zero")]
    NegativeZero,
    /// An integer outside `i64::MIN..=u64::MAX`, the range Session's encoder (oxenc) reads.
    #[error("integer outside the 64-bit range")]
    IntegerOutOfRange,
    /// A string length too large to represent.
    #[error("string length overflows")]
    LengthOverflow,
    /// A string length running past the end of the input.
    #[error("string of {0} bytes runs past the end of the input")]
    LengthPastEnd(usize),
    /// A dictionary key that is not a byte string.
    #[error("dictionary key is not a byte string")]
    NonStringKey,
    /// A dictionary key smaller than the key before it.
    #[error("dictionary keys are not in sorted order")]
    UnsortedKey,
    /// A dictionary key equal to the key before it.
    #[error("duplicate dictionary key")]
    DuplicateKey,
    /// Bytes left over after a complete value.
    #[error("trailing bytes after the value")]
    TrailingBytes,
    /// Lists and dictionaries nested deeper than the limit.
    #[error("nested deeper than {0} levels")]
    TooDeep(usize),
    /// More values than the limit.
    #[error("more than {0} values")]
    TooManyValues(usize),
    /// More input than the limit.
    #[error("input longer than {0} bytes")]
    TooLong(usize),
}

/// A producer misuse: dictionary keys must be written in strictly increasing byte order.
///
/// The offset is where the offending key's length prefix starts in the output buffer. The
/// output written so far is not canonical bencode and should be discarded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// A key smaller than the key before it in the same dictionary.
    #[error("dictionary key at output byte {offset} is smaller than the previous key")]
    UnsortedKey {
        /// Output offset of the key.
        offset: usize,
    },
    /// A key equal to the key before it in the same dictionary.
    #[error("duplicate dictionary key at output byte {offset}")]
    DuplicateKey {
        /// Output offset of the key.
        offset: usize,
    },
}
