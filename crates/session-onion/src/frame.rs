//! The framing of every onion layer: `u32 little-endian N ‖ N bytes ‖ UTF-8 JSON`, the JSON
//! running to the end of the buffer.

use crate::error::{Error, Result};

/// The largest request a node accepts (the storage server's and libsession's limit: 10 MiB).
pub const MAX_REQUEST_LEN: usize = 10 * 1024 * 1024;

/// Length of the size prefix.
pub const LEN_PREFIX: usize = 4;

/// A framed layer, borrowed from its buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame<'a> {
    /// The `N` bytes: a ciphertext, or the innermost request body.
    pub blob: &'a [u8],
    /// Everything after the blob: the layer's JSON.
    pub json: &'a [u8],
}

impl<'a> Frame<'a> {
    /// Splits `input` into its blob and JSON. An input over [`MAX_REQUEST_LEN`] or a length
    /// prefix beyond the input is refused.
    pub fn parse(input: &'a [u8]) -> Result<Self> {
        if input.len() > MAX_REQUEST_LEN {
            return Err(Error::TooLarge {
                size: input.len(),
                max: MAX_REQUEST_LEN,
            });
        }
        let (prefix, rest) = input
            .split_first_chunk::<LEN_PREFIX>()
            .ok_or(Error::Frame("shorter than its length prefix"))?;
        let len = usize::try_from(u32::from_le_bytes(*prefix))
            .map_err(|_| Error::Frame("length prefix exceeds the input"))?;
        if len > rest.len() {
            return Err(Error::Frame("length prefix exceeds the input"));
        }
        let (blob, json) = rest.split_at(len);
        Ok(Self { blob, json })
    }

    /// Appends `u32_le(len(blob)) ‖ blob ‖ json` to `out`.
    pub fn write(out: &mut Vec<u8>, blob: &[u8], json: &[u8]) -> Result<()> {
        out.extend_from_slice(&length_prefix(blob.len())?);
        out.extend_from_slice(blob);
        out.extend_from_slice(json);
        Ok(())
    }

    /// `u32_le(len(blob)) ‖ blob ‖ json` as a new buffer.
    pub fn encode(blob: &[u8], json: &[u8]) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(LEN_PREFIX + blob.len() + json.len());
        Self::write(&mut out, blob, json)?;
        Ok(out)
    }
}

/// The little-endian length prefix of a blob of `len` bytes.
pub(crate) fn length_prefix(len: usize) -> Result<[u8; LEN_PREFIX]> {
    u32::try_from(len)
        .map(u32::to_le_bytes)
        .map_err(|_| Error::TooLarge {
            size: len,
            max: u32::MAX as usize,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let framed = Frame::encode(b"blob", b"{}").unwrap();
        assert_eq!(framed, b"\x04\0\0\0blob{}");
        let frame = Frame::parse(&framed).unwrap();
        assert_eq!((frame.blob, frame.json), (&b"blob"[..], &b"{}"[..]));
        assert!(Frame::parse(b"\x05\0\0\0blob").is_err());
        assert!(Frame::parse(b"\x01\0\0").is_err());
        assert_eq!(Frame::parse(b"\0\0\0\0").unwrap().blob, b"");
    }
}
