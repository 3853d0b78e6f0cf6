//! Bounds on what the decoder accepts, so hostile input can neither exhaust the stack nor
//! make it allocate out of proportion.

/// The deepest nesting [`Limits::max_depth`] can be set to: the decoder recurses once per
/// level, and this keeps the stack it uses (and the recursive drop of the tree) small on
/// any thread.
pub const MAX_DEPTH_CAP: usize = 512;

/// Decoder limits. The defaults suit everything Session encodes (config messages nest a
/// handful of levels; snode relay blobs are split at about 9 MB).
///
/// Strings are borrowed from the input, so a declared length never allocates; the tree's
/// memory is bounded by [`max_values`](Self::max_values) (about 64 bytes per value).
///
/// ```
/// use session_bt::{decode_with, DecodeErrorKind, Limits};
///
/// let limits = Limits::default().with_max_depth(2);
/// assert!(decode_with(b"lli1eee", &limits).is_ok());
/// let err = decode_with(b"llleee", &limits).unwrap_err();
/// assert_eq!(err.kind(), DecodeErrorKind::TooDeep(2));
/// assert_eq!(err.offset(), 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    max_depth: usize,
    max_values: usize,
    max_len: usize,
}

impl Limits {
    /// Default nesting limit.
    pub const DEFAULT_MAX_DEPTH: usize = 64;
    /// Default limit on the number of values (every integer, string, list and dictionary
    /// counts one; dictionary keys do not).
    pub const DEFAULT_MAX_VALUES: usize = 1 << 20;
    /// Default limit on the input length: 64 MiB.
    pub const DEFAULT_MAX_LEN: usize = 64 << 20;

    /// The default limits.
    pub const fn new() -> Self {
        Self {
            max_depth: Self::DEFAULT_MAX_DEPTH,
            max_values: Self::DEFAULT_MAX_VALUES,
            max_len: Self::DEFAULT_MAX_LEN,
        }
    }

    /// Allows lists and dictionaries nested `depth` deep (clamped to [`MAX_DEPTH_CAP`]).
    /// A scalar has depth 0, `le` depth 1, `llee` depth 2.
    #[must_use]
    pub const fn with_max_depth(mut self, depth: usize) -> Self {
        self.max_depth = if depth > MAX_DEPTH_CAP {
            MAX_DEPTH_CAP
        } else {
            depth
        };
        self
    }

    /// Allows at most `values` values in one document.
    #[must_use]
    pub const fn with_max_values(mut self, values: usize) -> Self {
        self.max_values = values;
        self
    }

    /// Allows documents of at most `len` bytes.
    #[must_use]
    pub const fn with_max_len(mut self, len: usize) -> Self {
        self.max_len = len;
        self
    }

    /// The nesting limit.
    pub const fn max_depth(&self) -> usize {
        self.max_depth
    }

    /// The value-count limit.
    pub const fn max_values(&self) -> usize {
        self.max_values
    }

    /// The length limit.
    pub const fn max_len(&self) -> usize {
        self.max_len
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::new()
    }
}
