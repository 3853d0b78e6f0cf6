//! BLAKE2b with any output size in `1..=64`, an optional key, salt and personalisation,
//! byte-compatible with libsodium's `crypto_generichash_blake2b_salt_personal`.
//!
//! The `blake2` crate fixes the output size at compile time; Session needs it at run time
//! (libsodium callers pass the size as a number), so this drives the crate's variable core.

use blake2::Blake2bVarCore;
use blake2::digest::block_api::{Block, BufferKindUser, UpdateCore, VariableOutputCore};
use blake2::digest::block_buffer::BlockBuffer;

use crate::error::{Error, Result};

/// Largest output, key length: 64 bytes.
pub const MAX_LEN: usize = 64;
/// Largest salt and personalisation: 16 bytes (shorter ones are zero-padded).
pub const MAX_PARAM_LEN: usize = 16;

type Buffer = BlockBuffer<
    <Blake2bVarCore as blake2::digest::block_api::BlockSizeUser>::BlockSize,
    <Blake2bVarCore as BufferKindUser>::BufferKind,
>;

/// Incremental BLAKE2b with run-time parameters.
///
/// ```
/// use session_crypto::blake2b::Blake2b;
/// let mut h = Blake2b::with_params(32, b"key", b"", b"")?;
/// h.update(b"Test");
/// h.update(b"Message");
/// let mut out = [0u8; 32];
/// h.finalize_into(&mut out)?;
/// assert_eq!(out, session_crypto::blake2b::hash_keyed::<32, _>(b"key", &[b"TestMessage"]));
/// # Ok::<(), session_crypto::Error>(())
/// ```
#[derive(Clone)]
pub struct Blake2b {
    core: Blake2bVarCore,
    buffer: Buffer,
    out_len: usize,
}

impl core::fmt::Debug for Blake2b {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Blake2b")
            .field("out_len", &self.out_len)
            .finish_non_exhaustive()
    }
}

impl Blake2b {
    /// Unkeyed BLAKE2b producing `out_len` bytes.
    pub fn new(out_len: usize) -> Result<Self> {
        Self::with_params(out_len, &[], &[], &[])
    }

    /// BLAKE2b with a key (empty for none), salt and personalisation (each empty or up to
    /// 16 bytes, zero-padded as libsodium does).
    pub fn with_params(out_len: usize, key: &[u8], salt: &[u8], personal: &[u8]) -> Result<Self> {
        if !(1..=MAX_LEN).contains(&out_len) {
            return Err(Error::HashOutputSize(out_len));
        }
        if key.len() > MAX_LEN {
            return Err(Error::HashKeyLength(key.len()));
        }
        for param in [salt, personal] {
            if param.len() > MAX_PARAM_LEN {
                return Err(Error::HashParameterLength(param.len()));
            }
        }
        Ok(Self::build(out_len, key, salt, personal))
    }

    /// Builds a hasher from parameters already checked against the limits above.
    fn build(out_len: usize, key: &[u8], salt: &[u8], personal: &[u8]) -> Self {
        let core = Blake2bVarCore::new_with_params(salt, personal, key.len(), out_len);
        // A keyed hash starts with the key zero-padded to a whole block.
        let buffer = if key.is_empty() {
            Buffer::default()
        } else {
            let mut block = Block::<Blake2bVarCore>::default();
            block[..key.len()].copy_from_slice(key);
            let buffer = Buffer::new(&block);
            zeroize::Zeroize::zeroize(block.as_mut_slice());
            buffer
        };
        Self {
            core,
            buffer,
            out_len,
        }
    }

    /// Feeds more input.
    pub fn update(&mut self, data: &[u8]) {
        let Self { core, buffer, .. } = self;
        buffer.digest_blocks(data, |blocks| core.update_blocks(blocks));
    }

    /// Writes the digest into `out`, which must be exactly the output size chosen.
    pub fn finalize_into(self, out: &mut [u8]) -> Result<()> {
        if out.len() != self.out_len {
            return Err(Error::HashOutputSize(out.len()));
        }
        self.finish(out);
        Ok(())
    }

    /// Writes the digest into `out`, whose length is the output size.
    fn finish(mut self, out: &mut [u8]) {
        let mut full = Default::default();
        self.core
            .finalize_variable_core(&mut self.buffer, &mut full);
        out.copy_from_slice(&full[..self.out_len]);
        zeroize::Zeroize::zeroize(full.as_mut_slice());
    }

    /// Hashes the concatenation of `parts` into `N` bytes; `N` is the output size.
    fn digest_parts<const N: usize>(mut self, parts: &[&[u8]]) -> [u8; N] {
        for part in parts {
            self.update(part);
        }
        let mut out = [0u8; N];
        self.finish(&mut out);
        out
    }

    /// The digest as a vector of the chosen size.
    pub fn finalize_vec(self) -> Vec<u8> {
        let mut out = vec![0; self.out_len];
        self.finish(&mut out);
        out
    }
}

/// Unkeyed BLAKE2b-`N` of the concatenation of `parts`; `N` is checked at compile time.
pub fn hash<const N: usize>(parts: &[&[u8]]) -> [u8; N] {
    hash_keyed::<N, 0>(&[], parts)
}

/// BLAKE2b-`N` keyed with a fixed-size `key` (`K = 0` means unkeyed), over the
/// concatenation of `parts`; both sizes are checked at compile time.
pub fn hash_keyed<const N: usize, const K: usize>(key: &[u8; K], parts: &[&[u8]]) -> [u8; N] {
    const { assert!(N >= 1 && N <= MAX_LEN && K <= MAX_LEN) };
    Blake2b::build(N, key, &[], &[]).digest_parts(parts)
}

/// Unkeyed BLAKE2b-`N` with a 16-byte personalisation, over the concatenation of `parts`;
/// `N` is checked at compile time.
pub fn hash_personal<const N: usize>(personal: &[u8; MAX_PARAM_LEN], parts: &[&[u8]]) -> [u8; N] {
    const { assert!(N >= 1 && N <= MAX_LEN) };
    Blake2b::build(N, &[], &[], personal).digest_parts(parts)
}

/// BLAKE2b-`N` with every parameter chosen at run time, over the concatenation of `parts`.
pub fn hash_with<const N: usize>(
    key: &[u8],
    salt: &[u8],
    personal: &[u8],
    parts: &[&[u8]],
) -> Result<[u8; N]> {
    Ok(Blake2b::with_params(N, key, salt, personal)?.digest_parts(parts))
}

/// Smallest output [`session_hash`] accepts.
pub const SESSION_HASH_MIN_LEN: usize = 16;

/// libsession's `session::hash::hash`: BLAKE2b of `message` with an optional key (empty for
/// none), restricted to the 16..=64-byte outputs libsession accepts. Use [`Blake2b`] for the
/// full 1..=64 range of the primitive.
pub fn session_hash(size: usize, message: &[u8], key: &[u8]) -> Result<Vec<u8>> {
    if !(SESSION_HASH_MIN_LEN..=MAX_LEN).contains(&size) {
        return Err(Error::HashOutputSize(size));
    }
    let mut hasher = Blake2b::with_params(size, key, &[], &[])?;
    hasher.update(message);
    Ok(hasher.finalize_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_parameters() {
        assert_eq!(Blake2b::new(0).err(), Some(Error::HashOutputSize(0)));
        assert_eq!(Blake2b::new(65).err(), Some(Error::HashOutputSize(65)));
        assert_eq!(
            Blake2b::with_params(32, &[0; 65], &[], &[]).err(),
            Some(Error::HashKeyLength(65))
        );
        assert_eq!(
            Blake2b::with_params(32, &[], &[0; 17], &[]).err(),
            Some(Error::HashParameterLength(17))
        );
        let mut out = [0u8; 31];
        assert!(Blake2b::new(32).unwrap().finalize_into(&mut out).is_err());
    }

    #[test]
    fn incremental_equals_one_shot_across_block_boundaries() {
        let data: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        for split in [0, 1, 127, 128, 129, 256, 999, 1000] {
            let mut h = Blake2b::with_params(48, b"k", b"salt", b"pers").unwrap();
            h.update(&data[..split]);
            h.update(&data[split..]);
            let one = hash_with::<48>(b"k", b"salt", b"pers", &[&data]).unwrap();
            assert_eq!(h.finalize_vec(), one.to_vec());
        }
    }
}
