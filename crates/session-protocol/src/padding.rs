//! Padding of serialised `Content` before it is encrypted (1:1 messages, community posts and
//! community inbox messages): the content, a `0x80` terminator, then zero bytes.
//!
//! Two layouts are in use, and a reader must accept both:
//!
//! - [`PaddingFormat::Current`] (libsession's `session_protocol::pad_message`, which desktop
//!   uses since October 2025): zeros up to the next multiple of 160 bytes. When the content and
//!   its terminator already fill a whole number of blocks, a further whole block of zeros is
//!   added, so the padded length is `160 * (floor((len + 1) / 160) + 1)`: 159 bytes of
//!   content pad to 320, not 160.
//! - [`PaddingFormat::Legacy`] (session-desktop's `addMessagePadding`, inherited from Signal,
//!   still used by session.js and session-python and by SOGS): padded length
//!   `ceil((len + 2) / 160) * 160 - 1`, one byte short of a multiple of 160; 158 bytes of
//!   content pad to 159 (no zeros at all), 159 bytes to 319.
//!
//! References: `libsession-util.md` §14.3 and `clients.md` §4 step 2 (in
//! `shared/protocol`), which quote both formulas from the sources.
//!
//! # Unpadding
//!
//! [`unpad`] applies the rule every client applies when reading (desktop's
//! `removeMessagePadding`, libsession's `unpad_message`): skip the trailing zero bytes; the
//! byte before them must be the `0x80` terminator, and everything before it is the content.
//! The length of the run of zeros is not checked, so both layouts (and any other zero run)
//! are read alike; [`PaddingFormat::identify`] tells which layout produced a given length.
//! Where libsession stays lenient and returns unpadded data as it is, this reader rejects it:
//!
//! - [`PaddingError::MissingTerminator`]: the data holds no `0x80` byte before its trailing
//!   zeros (for example it was never padded, or is empty or all zeros);
//! - [`PaddingError::BytesAfterTerminator`]: there is a `0x80` byte, but non-zero bytes
//!   follow the last one.
//!
//! ```
//! use session_protocol::padding::{self, PaddingFormat};
//!
//! let padded = padding::pad(b"hello");
//! assert_eq!(padded.len(), 160);
//! assert_eq!(padding::unpad(&padded)?, b"hello");
//! assert_eq!(PaddingFormat::identify(5, padded.len()), Some(PaddingFormat::Current));
//!
//! let legacy = padding::pad_legacy(b"hello");
//! assert_eq!(legacy.len(), 159);
//! assert_eq!(padding::unpad(&legacy)?, b"hello");
//! # Ok::<(), session_protocol::padding::PaddingError>(())
//! ```

/// The block size both layouts pad to.
pub const BLOCK: usize = 160;

/// The byte that ends the content.
pub const TERMINATOR: u8 = 0x80;

/// Which padding layout to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum PaddingFormat {
    /// libsession's: a multiple of 160, with a whole extra block of zeros when the content
    /// and terminator are already aligned. What current clients send.
    #[default]
    Current,
    /// The older clients': one byte short of a multiple of 160.
    Legacy,
}

impl PaddingFormat {
    /// The padded length of `content_len` bytes of content, or `None` if it would not fit in
    /// a `usize` (it always fits for the length of a real buffer).
    pub const fn padded_len(self, content_len: usize) -> Option<usize> {
        // Blocks wholly filled by content and terminator, computed without `len + 1`
        // overflowing: floor((len + 1) / 160).
        let full = content_len / BLOCK + (content_len % BLOCK == BLOCK - 1) as usize;
        match self {
            // 160 * (floor((len + 1) / 160) + 1)
            Self::Current => match full.checked_add(1) {
                Some(blocks) => blocks.checked_mul(BLOCK),
                None => None,
            },
            // ceil((len + 2) / 160) * 160 - 1 = 160 * (floor((len + 1) / 160) + 1) - 1
            Self::Legacy => match full.checked_add(1) {
                Some(blocks) => match blocks.checked_mul(BLOCK) {
                    Some(len) => Some(len - 1),
                    None => None,
                },
                None => None,
            },
        }
    }

    /// Which layout pads `content_len` bytes of content to exactly `padded_len` bytes, if
    /// either does. The two never agree: one gives a multiple of 160, the other does not.
    pub const fn identify(content_len: usize, padded_len: usize) -> Option<Self> {
        match Self::Current.padded_len(content_len) {
            Some(len) if len == padded_len => return Some(Self::Current),
            _ => {}
        }
        match Self::Legacy.padded_len(content_len) {
            Some(len) if len == padded_len => Some(Self::Legacy),
            _ => None,
        }
    }

    /// Pads `content` in this layout.
    pub fn pad(self, content: &[u8]) -> Vec<u8> {
        // A slice is at most isize::MAX bytes, so neither layout overflows.
        let len = self.padded_len(content.len()).unwrap_or(usize::MAX);
        let mut padded = Vec::with_capacity(len);
        padded.extend_from_slice(content);
        padded.push(TERMINATOR);
        padded.resize(len, 0);
        padded
    }
}

/// Pads `content` in the current layout (libsession's `pad_message`).
pub fn pad(content: &[u8]) -> Vec<u8> {
    PaddingFormat::Current.pad(content)
}

/// Pads `content` in the legacy layout (`ceil((len + 2) / 160) * 160 - 1` bytes).
pub fn pad_legacy(content: &[u8]) -> Vec<u8> {
    PaddingFormat::Legacy.pad(content)
}

/// The content inside padded data: what precedes the `0x80` that the trailing zeros follow.
///
/// Accepts both layouts (see the [module documentation](self) for the exact rule) and
/// borrows from `padded`, copying nothing.
pub fn unpad(padded: &[u8]) -> Result<&[u8], PaddingError> {
    let Some(last) = padded.iter().rposition(|&byte| byte != 0) else {
        return Err(PaddingError::MissingTerminator);
    };
    if padded[last] == TERMINATOR {
        return Ok(&padded[..last]);
    }
    match padded[..last].iter().rposition(|&byte| byte == TERMINATOR) {
        Some(terminator) => Err(PaddingError::BytesAfterTerminator {
            offset: terminator + 1,
        }),
        None => Err(PaddingError::MissingTerminator),
    }
}

/// Why data is not padded content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PaddingError {
    /// There is no `0x80` byte before the trailing zeros: the data was not padded (or is
    /// empty, or all zeros).
    #[error("no 0x80 padding terminator")]
    MissingTerminator,
    /// Non-zero bytes follow the last `0x80` byte, where only zeros may be.
    #[error("non-zero bytes after the 0x80 padding terminator (from offset {offset})")]
    BytesAfterTerminator {
        /// Where the bytes after the last `0x80` start.
        offset: usize,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_at_block_edges() {
        let current = |len| PaddingFormat::Current.padded_len(len);
        let legacy = |len| PaddingFormat::Legacy.padded_len(len);
        assert_eq!(current(0), Some(160));
        assert_eq!(current(158), Some(160));
        assert_eq!(current(159), Some(320)); // aligned: one more whole block
        assert_eq!(current(160), Some(320));
        assert_eq!(current(319), Some(480));
        assert_eq!(legacy(0), Some(159));
        assert_eq!(legacy(157), Some(159));
        assert_eq!(legacy(158), Some(159)); // content and terminator fill it exactly
        assert_eq!(legacy(159), Some(319));
        assert_eq!(legacy(160), Some(319));
        assert_eq!(current(usize::MAX), None);
        assert_eq!(legacy(usize::MAX), None);
    }

    #[test]
    fn pads_with_terminator_and_zeros() {
        let padded = pad(&[7; 159]);
        assert_eq!(padded.len(), 320);
        assert_eq!(padded[159], 0x80);
        assert!(padded[160..].iter().all(|&b| b == 0));
        let legacy = pad_legacy(&[7; 158]);
        assert_eq!(legacy.len(), 159);
        assert_eq!(legacy[158], 0x80);
    }

    #[test]
    fn unpad_errors() {
        assert_eq!(unpad(&[]), Err(PaddingError::MissingTerminator));
        assert_eq!(unpad(&[0; 160]), Err(PaddingError::MissingTerminator));
        assert_eq!(unpad(b"hello\0\0"), Err(PaddingError::MissingTerminator));
        assert_eq!(
            unpad(b"hi\x80\0\x01\0"),
            Err(PaddingError::BytesAfterTerminator { offset: 3 })
        );
        assert_eq!(unpad(b"\x80"), Ok(&b""[..]));
        // Content may itself hold 0x80 and zeros.
        assert_eq!(unpad(b"a\x80\0b\x80\0\0"), Ok(&b"a\x80\0b"[..]));
    }
}
