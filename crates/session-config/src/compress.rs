//! `z` compression of config plaintexts: `'z' || zstd frame`, used only when strictly smaller
//! than the uncompressed message (libsession-util.md §11.5).

use std::io::Read;

use crate::error::{Error, Result};

/// libsession's default compression level for configs.
pub const DEFAULT_LEVEL: i32 = 1;

/// The largest decompressed plaintext accepted: a bound on hostile "zip bombs", well above
/// the 5 MB multipart limit.
pub const MAX_DECOMPRESSED: u64 = 16 << 20;

/// Replaces `message` with `'z' || zstd(message, level)` if that is strictly smaller; level 0
/// disables compression.
pub fn compress_message(message: &mut Vec<u8>, level: i32) {
    if level == 0 {
        return;
    }
    let Ok(frame) = zstd::bulk::compress(message, level) else {
        return;
    };
    if frame.len() + 1 < message.len() {
        let mut out = Vec::with_capacity(frame.len() + 1);
        out.push(b'z');
        out.extend_from_slice(&frame);
        *message = out;
    }
}

/// Inflates a zstd frame (without the `z`), refusing output above [`MAX_DECOMPRESSED`].
pub fn decompress(frame: &[u8]) -> Result<Vec<u8>> {
    let decoder =
        zstd::stream::read::Decoder::new(frame).map_err(|_| Error::DecompressionFailed)?;
    let mut out = Vec::new();
    decoder
        .take(MAX_DECOMPRESSED + 1)
        .read_to_end(&mut out)
        .map_err(|_| Error::DecompressionFailed)?;
    if out.len() as u64 > MAX_DECOMPRESSED {
        return Err(Error::DecompressionFailed);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compresses_only_when_smaller() {
        let mut big = vec![b'a'; 1000];
        compress_message(&mut big, DEFAULT_LEVEL);
        assert_eq!(big[0], b'z');
        assert_eq!(decompress(&big[1..]).unwrap(), vec![b'a'; 1000]);
        let mut small = b"d1:#i0ee".to_vec();
        compress_message(&mut small, DEFAULT_LEVEL);
        assert_eq!(small, b"d1:#i0ee");
        assert!(decompress(b"garbage").is_err());
    }
}
