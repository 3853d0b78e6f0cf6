//! The attachment scheme every client reads (desktop now calls it "legacy"): AES-256-CBC
//! with PKCS#7 and an HMAC-SHA256 tag, with a SHA-256 digest of the result sent alongside.
//!
//! - Key: 64 bytes, AES-256 key || HMAC-SHA256 key ([`AttachmentKey`]); IV: 16 random
//!   bytes.
//! - Plaintext: zero-padded to desktop's size bucket first ([`padding::padded_size`]), unless
//!   [`Padding::None`] (desktop does not pad link-preview images).
//! - Blob: `iv || AES-256-CBC(PKCS#7) || HMAC-SHA256(mac_key, iv || ciphertext)`.
//! - `AttachmentPointer.digest` = SHA-256 of the whole blob, `.key` = the 64 bytes,
//!   `.size` = the plaintext length before padding.
//! - Decryption checks the MAC, then the digest (a missing digest fails, as on desktop), then
//!   decrypts and cuts the result to `size`.
//!
//! References: session-desktop `ts/util/crypto/attachmentsEncrypter.ts` (decryption, commit
//! `12e602ae759645831884ad22e59a4d5d21710d54`) and its upload path in
//! `ts/session/utils/AttachmentsV2.ts` (padding then encryption); `clients.md` §7.
//!
//! Each function makes one pass over the data, a chunk (8 KiB) at a time, doing every step to
//! a chunk while it is in cache: encryption copies (or, in place, moves) a chunk of plaintext
//! into the output, pads it if it is the last, encrypts it and feeds it to the MAC and the
//! digest; [`decrypt`] feeds a chunk to the MAC and the digest, copies it out and decrypts
//! the copy, which it hands back only if every check passes. [`decrypt_in_place`] checks
//! first and decrypts after, so that a buffer that fails a check is left as it was.
//!
//! Within a chunk the work is interleaved in small groups. AES-CBC encryption (each block
//! waits for the one before) and the two SHA-256 computations (the MAC's and the digest's,
//! each block waiting for the one before) are each bound by latency rather than throughput,
//! and independent of one another once a group is encrypted, so the CPU overlaps them when
//! they sit close together in the instruction stream. Encryption therefore encrypts a 64-byte
//! group and then MACs and hashes the group before it while that AES chain runs; decryption
//! MACs, hashes and decrypts 128 bytes at a time; and the MAC and the digest alternate one
//! SHA-256 block at a time. `docs/performance.md` has what this gains.
//!
//! ```
//! use session_protocol::attachment::{self, Padding};
//!
//! let mut rng = rand::rng();
//! let sealed = attachment::encrypt(&mut rng, b"holiday photo", Padding::Desktop);
//! assert_eq!(sealed.data.len(), 16 + 544 + 32); // 13 bytes pad to 541, PKCS#7 to 544
//! let plain = attachment::decrypt(&sealed.data, &sealed.key, &sealed.digest, sealed.size)?;
//! assert_eq!(plain, b"holiday photo");
//! # Ok::<(), attachment::AttachmentError>(())
//! ```

use aes::Aes256;
use cbc::cipher::array::Array;
use cbc::cipher::consts::U16;
use cbc::cipher::{
    BlockModeDecBackend, BlockModeDecClosure, BlockModeDecrypt, BlockModeEncBackend,
    BlockModeEncClosure, BlockModeEncrypt, BlockSizeUser, InOutBuf, KeyIvInit,
};
use hmac::{Hmac, KeyInit, Mac};
use rand_core::CryptoRng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::error::AttachmentError;
use super::key::AttachmentKey;
use super::padding;

/// IV length.
pub const IV_LEN: usize = 16;
/// HMAC-SHA256 tag length.
pub const MAC_LEN: usize = 32;
/// SHA-256 digest length.
pub const DIGEST_LEN: usize = 32;
/// The shortest blob decryption looks at: IV and MAC (desktop's own bound).
pub const MIN_LEN: usize = IV_LEN + MAC_LEN;

const BLOCK: usize = 16;
/// Bytes encrypted, MACed and hashed per step: small enough to stay in L1, large enough that
/// the per-call overhead of the cipher and hashes does not show. A multiple of [`BLOCK`].
const CHUNK: usize = 8 * 1024;
/// Bytes encrypted before the MAC and digest take in the previous group: one SHA-256 block.
const ENCRYPT_GROUP: usize = 64;
/// Bytes MACed, hashed and decrypted per step: the eight blocks AES-NI decrypts at once.
const DECRYPT_GROUP: usize = 128;
/// SHA-256's block: the MAC and the digest alternate at this size.
const SHA256_BLOCK: usize = 64;

/// Whether to pad the plaintext to desktop's size bucket before encrypting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Padding {
    /// Pad to [`padding::padded_size`] (attachments, avatars of old clients).
    #[default]
    Desktop,
    /// No size padding (desktop's link-preview images).
    None,
}

/// An encrypted attachment and what its `AttachmentPointer` needs.
pub struct EncryptedAttachment {
    /// What to upload: `iv || ciphertext || mac`.
    pub data: Vec<u8>,
    /// `AttachmentPointer.key`.
    pub key: AttachmentKey,
    /// `AttachmentPointer.digest`: SHA-256 of `data`.
    pub digest: [u8; DIGEST_LEN],
    /// `AttachmentPointer.size`: the plaintext length before padding.
    pub size: usize,
}

impl core::fmt::Debug for EncryptedAttachment {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("EncryptedAttachment")
            .field("data_len", &self.data.len())
            .field("key", &self.key)
            .field("digest", &hex::encode(self.digest))
            .field("size", &self.size)
            .finish()
    }
}

/// Encrypts with a fresh random key and IV.
pub fn encrypt<R: CryptoRng + ?Sized>(
    rng: &mut R,
    plaintext: &[u8],
    padding: Padding,
) -> EncryptedAttachment {
    let key = AttachmentKey::generate(rng);
    let mut iv = [0u8; IV_LEN];
    rng.fill_bytes(&mut iv);
    encrypt_with(key, &iv, plaintext, padding)
}

/// Encrypts with the given key and IV (deterministic; for tests and known answers).
pub fn encrypt_with(
    key: AttachmentKey,
    iv: &[u8; IV_LEN],
    plaintext: &[u8],
    padding: Padding,
) -> EncryptedAttachment {
    let padded = padded_len(plaintext.len(), padding);
    let body_len = ciphertext_len(padded);
    let mut data = Vec::with_capacity(IV_LEN + body_len + MAC_LEN);
    data.extend_from_slice(iv);
    let mut sealer = Sealer::new(&key, iv);
    let mut start = 0;
    while start < body_len {
        let end = body_len.min(start + CHUNK);
        extend_body(&mut data, plaintext, padded, end);
        sealer.seal_chunk(data.get_mut(IV_LEN + start..).unwrap_or_default());
        start = end;
    }
    let digest = sealer.finish(&mut data);
    EncryptedAttachment {
        data,
        key,
        digest,
        size: plaintext.len(),
    }
}

/// Encrypts the plaintext in `buffer` in place, turning it into the blob, and returns the
/// digest. Room for the IV is made by moving each chunk up by [`IV_LEN`] bytes just before
/// it is encrypted, in the same pass, rather than by a separate move of the whole buffer.
pub fn encrypt_in_place(
    key: &AttachmentKey,
    iv: &[u8; IV_LEN],
    buffer: &mut Vec<u8>,
    padding: Padding,
) -> [u8; DIGEST_LEN] {
    let padded = padded_len(buffer.len(), padding);
    let body_len = ciphertext_len(padded);
    buffer.reserve((IV_LEN + body_len + MAC_LEN).saturating_sub(buffer.len()));
    // The padded plaintext at the front, then room for the IV at the end.
    buffer.resize(padded, 0);
    buffer.resize(body_len, pkcs7_byte(padded));
    buffer.resize(IV_LEN + body_len, 0);

    let mut sealer = Sealer::new(key, iv);
    // The plaintext block the previous chunk's output has overwritten: at first the IV's
    // place, holding block 0.
    let mut carry = [0u8; IV_LEN];
    if let Some(front) = buffer.first_chunk_mut::<IV_LEN>() {
        carry = *front;
        *front = *iv;
    }
    let mut start = 0;
    while start < body_len {
        let end = body_len.min(start + CHUNK);
        // Plaintext `start..end` belongs at `start + IV_LEN..end + IV_LEN`. That region holds
        // plaintext `start + IV_LEN..end + IV_LEN` (the last block being the room at the very
        // end); rotating it up one block and swapping its first block with the carry puts
        // every byte in place and carries the block the next chunk starts with.
        let region = buffer
            .get_mut(start + IV_LEN..end + IV_LEN)
            .unwrap_or_default();
        region.rotate_right(IV_LEN);
        if let Some(first) = region.first_chunk_mut::<IV_LEN>() {
            core::mem::swap(first, &mut carry);
        }
        sealer.seal_chunk(region);
        start = end;
    }
    sealer.finish(buffer)
}

/// Checks and decrypts a blob: MAC, then digest, then AES-CBC, then cuts the result to
/// `size` (the pointer's plaintext length).
///
/// A `size` of 0 gives an empty plaintext; desktop refuses pointers without a size before
/// it downloads anything, and that policy is left to the caller.
pub fn decrypt(
    data: &[u8],
    key: &AttachmentKey,
    digest: &[u8],
    size: usize,
) -> Result<Vec<u8>, AttachmentError> {
    let Parts {
        iv,
        ciphertext,
        tag,
    } = split(data)?;
    // Only whole blocks decrypt; a key holder's blob that is not is refused after the checks.
    let whole_blocks = !ciphertext.is_empty() && ciphertext.len().is_multiple_of(BLOCK);
    let mut checks = Checks::new(key, iv);
    let mut cipher = cbc::Decryptor::<Aes256>::new(key.aes_key().into(), iv.into());
    // Decrypted before the checks pass, so wiped unless they do.
    let mut plaintext = Zeroizing::new(Vec::with_capacity(ciphertext.len()));
    for chunk in ciphertext.chunks(CHUNK) {
        if whole_blocks {
            cipher.decrypt_with_backend(OpenChunk {
                chunk,
                plaintext: &mut plaintext,
                checks: &mut checks,
            });
        } else {
            checks.update(chunk);
        }
    }
    checks.verify(tag, digest)?;
    if !whole_blocks {
        return Err(AttachmentError::CiphertextLength {
            found: ciphertext.len(),
        });
    }
    let len = unpadded_len(&plaintext)?;
    plaintext.truncate(len);
    cut_to_size(&mut plaintext, size)?;
    Ok(core::mem::take(&mut *plaintext))
}

/// [`decrypt`] in place: on success `buffer` holds the plaintext (cut to `size`); on
/// failure it is left as it was.
pub fn decrypt_in_place(
    buffer: &mut Vec<u8>,
    key: &AttachmentKey,
    digest: &[u8],
    size: usize,
) -> Result<(), AttachmentError> {
    let Parts {
        iv,
        ciphertext,
        tag,
    } = split(buffer)?;
    let iv = *iv;
    let mut checks = Checks::new(key, &iv);
    checks.update(ciphertext);
    checks.verify(tag, digest)?;

    let end = buffer.len() - MAC_LEN;
    let ciphertext = buffer.get_mut(IV_LEN..end).unwrap_or_default();
    if ciphertext.is_empty() || !ciphertext.len().is_multiple_of(BLOCK) {
        return Err(AttachmentError::CiphertextLength {
            found: ciphertext.len(),
        });
    }
    // The padding and the pointer's size are checked before anything is decrypted in place,
    // so a refused blob leaves the buffer as it was: CBC decrypts the last block on its own,
    // from the block before it (or the IV).
    let last_start = ciphertext.len() - BLOCK;
    let previous = last_start
        .checked_sub(BLOCK)
        .and_then(|start| ciphertext.get(start..last_start))
        .and_then(|block| <[u8; BLOCK]>::try_from(block).ok())
        .unwrap_or(iv);
    let mut last = Zeroizing::new([0u8; BLOCK]);
    last.copy_from_slice(ciphertext.get(last_start..).unwrap_or_default());
    let mut last_cipher = cbc::Decryptor::<Aes256>::new(key.aes_key().into(), (&previous).into());
    decrypt_chunk(&mut last_cipher, last.as_mut());
    let len = last_start + unpadded_len(last.as_ref())?;
    if size > len {
        return Err(AttachmentError::SizeMismatch {
            size,
            available: len,
        });
    }

    let mut cipher = cbc::Decryptor::<Aes256>::new(key.aes_key().into(), (&iv).into());
    for chunk in ciphertext.chunks_mut(CHUNK) {
        decrypt_chunk(&mut cipher, chunk);
    }
    buffer.copy_within(IV_LEN..IV_LEN + size, 0);
    buffer.truncate(size);
    Ok(())
}

/// The padded plaintext length.
fn padded_len(len: usize, padding: Padding) -> usize {
    match padding {
        Padding::Desktop => padding::padded_size(len),
        Padding::None => len,
    }
}

/// AES-CBC ciphertext length for `len` plaintext bytes (PKCS#7 always adds 1..=16).
const fn ciphertext_len(len: usize) -> usize {
    (len / BLOCK + 1) * BLOCK
}

/// The PKCS#7 byte after `padded` bytes: how many bytes it takes to the next whole block,
/// 1..=16.
fn pkcs7_byte(padded: usize) -> u8 {
    // 1..=16, so the cast keeps every bit.
    (BLOCK - padded % BLOCK) as u8
}

/// Appends to `data` (the IV and the body so far) the body up to offset `end`: the
/// plaintext, then zeros to `padded` bytes, then the PKCS#7 bytes.
fn extend_body(data: &mut Vec<u8>, plaintext: &[u8], padded: usize, end: usize) {
    let start = data.len() - IV_LEN;
    if let Some(bytes) = plaintext.get(start..end.min(plaintext.len())) {
        data.extend_from_slice(bytes);
    }
    let zeros_end = IV_LEN + end.min(padded);
    if data.len() < zeros_end {
        data.resize(zeros_end, 0);
    }
    data.resize(IV_LEN + end, pkcs7_byte(padded));
}

/// The parts of a blob: `iv || ciphertext || tag`.
struct Parts<'a> {
    iv: &'a [u8; IV_LEN],
    ciphertext: &'a [u8],
    tag: &'a [u8],
}

/// A blob's parts, or why it is too short to hold them.
fn split(data: &[u8]) -> Result<Parts<'_>, AttachmentError> {
    let too_short = AttachmentError::TooShort {
        minimum: MIN_LEN,
        found: data.len(),
    };
    let (body, tag) = data
        .split_at_checked(data.len().checked_sub(MAC_LEN).ok_or(too_short)?)
        .ok_or(too_short)?;
    let (iv, ciphertext) = body.split_first_chunk::<IV_LEN>().ok_or(too_short)?;
    Ok(Parts {
        iv,
        ciphertext,
        tag,
    })
}

/// An encryption in progress: AES-256-CBC, then the MAC and the digest, a chunk at a time.
struct Sealer {
    cipher: cbc::Encryptor<Aes256>,
    checks: Checks,
}

impl Sealer {
    fn new(key: &AttachmentKey, iv: &[u8; IV_LEN]) -> Self {
        Self {
            cipher: cbc::Encryptor::new(key.aes_key().into(), iv.into()),
            checks: Checks::new(key, iv),
        }
    }

    /// Encrypts `chunk` (whole blocks) in place, MACing and hashing it as it goes.
    fn seal_chunk(&mut self, chunk: &mut [u8]) {
        let Self { cipher, checks } = self;
        cipher.encrypt_with_backend(SealChunk { chunk, checks });
    }

    /// Appends the MAC to `data` and returns the digest of the whole blob.
    fn finish(self, data: &mut Vec<u8>) -> [u8; DIGEST_LEN] {
        let Checks { mac, mut hash } = self.checks;
        let tag = mac.finalize().into_bytes();
        hash.update(tag.as_slice());
        data.extend_from_slice(&tag);
        hash.finalize().into()
    }
}

/// The MAC (over the IV and ciphertext) and the digest (over the whole blob) in progress.
struct Checks {
    mac: Hmac<Sha256>,
    hash: Sha256,
}

impl Checks {
    /// Both, having taken in the IV.
    fn new(key: &AttachmentKey, iv: &[u8; IV_LEN]) -> Self {
        let mut checks = Self {
            mac: hmac(key),
            hash: Sha256::new(),
        };
        checks.update(iv);
        checks
    }

    /// Takes in more of the blob, alternating between the MAC and the digest one SHA-256
    /// block at a time so that the CPU overlaps the two.
    fn update(&mut self, bytes: &[u8]) {
        for block in bytes.chunks(SHA256_BLOCK) {
            self.mac.update(block);
            self.hash.update(block);
        }
    }

    /// Checks the MAC against the blob's `tag`, then the digest of the blob (ending in
    /// `tag`) against `digest`, in constant time.
    fn verify(self, tag: &[u8], digest: &[u8]) -> Result<(), AttachmentError> {
        let Self { mac, mut hash } = self;
        let expected = mac.finalize().into_bytes();
        if !bool::from(expected.as_slice().ct_eq(tag)) {
            return Err(AttachmentError::MacMismatch);
        }
        match digest.len() {
            0 => return Err(AttachmentError::MissingDigest),
            DIGEST_LEN => {}
            found => return Err(AttachmentError::DigestLength { found }),
        }
        hash.update(tag);
        if !bool::from(hash.finalize().as_slice().ct_eq(digest)) {
            return Err(AttachmentError::DigestMismatch);
        }
        Ok(())
    }
}

/// [`Sealer::seal_chunk`] with the AES backend in hand: encrypts a group of blocks, then
/// MACs and hashes the group before it, which the CPU can do while the AES chain of the
/// group just issued is still running.
struct SealChunk<'a> {
    chunk: &'a mut [u8],
    checks: &'a mut Checks,
}

impl BlockSizeUser for SealChunk<'_> {
    type BlockSize = U16;
}

impl BlockModeEncClosure for SealChunk<'_> {
    #[inline(always)]
    fn call<B: BlockModeEncBackend<BlockSize = U16>>(self, backend: &mut B) {
        let Self { chunk, checks } = self;
        // Bytes already MACed and hashed, and bytes already encrypted.
        let (mut checked, mut encrypted) = (0, 0);
        while encrypted < chunk.len() {
            let end = chunk.len().min(encrypted + ENCRYPT_GROUP);
            let group = chunk.get_mut(encrypted..end).unwrap_or_default();
            let (blocks, _) = Array::<u8, U16>::slice_as_chunks_mut(group);
            for block in blocks {
                backend.encrypt_block_inplace(block);
            }
            checks.update(chunk.get(checked..encrypted).unwrap_or_default());
            (checked, encrypted) = (encrypted, end);
        }
        checks.update(chunk.get(checked..).unwrap_or_default());
    }
}

/// [`decrypt`]'s step with the AES backend in hand: for each group of a chunk of whole
/// blocks, MACs and hashes it, appends it to the plaintext and decrypts it there (eight
/// blocks at a time, as AES-NI does them), so that the SHA-256 and AES work overlap.
struct OpenChunk<'a> {
    chunk: &'a [u8],
    plaintext: &'a mut Vec<u8>,
    checks: &'a mut Checks,
}

impl BlockSizeUser for OpenChunk<'_> {
    type BlockSize = U16;
}

impl BlockModeDecClosure for OpenChunk<'_> {
    #[inline(always)]
    fn call<B: BlockModeDecBackend<BlockSize = U16>>(self, backend: &mut B) {
        let Self {
            chunk,
            plaintext,
            checks,
        } = self;
        for group in chunk.chunks(DECRYPT_GROUP) {
            checks.update(group);
            let start = plaintext.len();
            plaintext.extend_from_slice(group);
            let (blocks, _) = Array::<u8, U16>::slice_as_chunks_mut(
                plaintext.get_mut(start..).unwrap_or_default(),
            );
            let (par_blocks, tail) = InOutBuf::from(blocks).into_chunks::<B::ParBlocksSize>();
            for par in par_blocks {
                backend.decrypt_par_blocks(par);
            }
            backend.decrypt_tail_blocks(tail);
        }
    }
}

/// Decrypts `chunk` (whole blocks) in place, continuing the chain.
fn decrypt_chunk(cipher: &mut cbc::Decryptor<Aes256>, chunk: &mut [u8]) {
    let (blocks, _) = Array::<u8, U16>::slice_as_chunks_mut(chunk);
    cipher.decrypt_blocks(blocks);
}

/// The length of decrypted blocks without their PKCS#7 padding.
fn unpadded_len(decrypted: &[u8]) -> Result<usize, AttachmentError> {
    // The MAC already vouched for these bytes, so this check leaks nothing to an attacker.
    let last = decrypted.last().copied().unwrap_or(0);
    let pad = usize::from(last);
    let valid = (1..=BLOCK).contains(&pad)
        && decrypted
            .len()
            .checked_sub(pad)
            .and_then(|start| decrypted.get(start..))
            .is_some_and(|tail| tail.iter().all(|&b| b == last));
    if !valid {
        return Err(AttachmentError::InvalidPadding);
    }
    Ok(decrypted.len() - pad)
}

/// Cuts decrypted (size-padded) data to the pointer's `size`.
fn cut_to_size(plaintext: &mut Vec<u8>, size: usize) -> Result<(), AttachmentError> {
    if size > plaintext.len() {
        return Err(AttachmentError::SizeMismatch {
            size,
            available: plaintext.len(),
        });
    }
    plaintext.truncate(size);
    Ok(())
}

/// HMAC-SHA256 keyed with the MAC half. HMAC pads keys shorter than its 64-byte block with
/// zeros, so the zero-extended key is the same key, and the fixed-size constructor cannot
/// fail.
fn hmac(key: &AttachmentKey) -> Hmac<Sha256> {
    let mut block = Zeroizing::new([0u8; 64]);
    block[..32].copy_from_slice(key.mac_key());
    <Hmac<Sha256> as KeyInit>::new((&*block).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> AttachmentKey {
        let mut bytes = [0x11u8; 64];
        bytes[32..].fill(0x22);
        AttachmentKey::from_bytes(bytes)
    }

    #[test]
    fn hmac_key_padding_is_the_plain_key() {
        let mut ours = hmac(&key());
        ours.update(b"data");
        let mut reference = Hmac::<Sha256>::new_from_slice(&[0x22; 32]).unwrap();
        reference.update(b"data");
        assert_eq!(
            ours.finalize().into_bytes(),
            reference.finalize().into_bytes()
        );
    }

    #[test]
    fn in_place_matches_copying() {
        let plaintext = b"some attachment".repeat(700);
        let sealed = encrypt_with(key(), &[7; 16], &plaintext, Padding::Desktop);
        let mut buffer = plaintext.clone();
        let digest = encrypt_in_place(&key(), &[7; 16], &mut buffer, Padding::Desktop);
        assert_eq!(buffer, sealed.data);
        assert_eq!(digest, sealed.digest);
        decrypt_in_place(&mut buffer, &key(), &digest, plaintext.len()).unwrap();
        assert_eq!(buffer, plaintext);
    }

    #[test]
    fn in_place_matches_copying_across_chunk_boundaries() {
        let lengths = [
            0,
            1,
            15,
            16,
            17,
            CHUNK - 17,
            CHUNK - 16,
            CHUNK - 1,
            CHUNK,
            CHUNK + 1,
            CHUNK + 16,
            3 * CHUNK - 5,
            3 * CHUNK,
        ];
        for len in lengths {
            let plaintext: Vec<u8> = (0..len).map(|i| (i * 31 + 7) as u8).collect();
            for padding in [Padding::None, Padding::Desktop] {
                let sealed = encrypt_with(key(), &[9; 16], &plaintext, padding);
                let mut buffer = plaintext.clone();
                let digest = encrypt_in_place(&key(), &[9; 16], &mut buffer, padding);
                assert_eq!(buffer, sealed.data, "{len} bytes, {padding:?}");
                assert_eq!(digest, sealed.digest);
                assert_eq!(
                    decrypt(&sealed.data, &key(), &digest, len).unwrap(),
                    plaintext
                );
                decrypt_in_place(&mut buffer, &key(), &digest, len).unwrap();
                assert_eq!(buffer, plaintext);
            }
        }
    }

    #[test]
    fn one_pass_matches_separate_passes() {
        // The blob as three separate passes make it: pad, AES-CBC, HMAC; then SHA-256.
        let plaintext: Vec<u8> = (0..3 * CHUNK + 100).map(|i| (i * 13) as u8).collect();
        let iv = [5u8; IV_LEN];
        let mut body = plaintext.clone();
        body.resize(padding::padded_size(plaintext.len()), 0);
        let pkcs7 = BLOCK - body.len() % BLOCK;
        body.resize(body.len() + pkcs7, pkcs7 as u8);
        let k = key();
        let mut cipher = cbc::Encryptor::<Aes256>::new(k.aes_key().into(), (&iv).into());
        let (blocks, _) = Array::<u8, U16>::slice_as_chunks_mut(&mut body);
        cipher.encrypt_blocks(blocks);
        let mut data = iv.to_vec();
        data.extend_from_slice(&body);
        let mut mac = hmac(&k);
        mac.update(&data);
        data.extend_from_slice(&mac.finalize().into_bytes());
        let digest: [u8; 32] = Sha256::digest(&data).into();

        let sealed = encrypt_with(key(), &iv, &plaintext, Padding::Desktop);
        assert_eq!(sealed.data, data);
        assert_eq!(sealed.digest, digest);
    }

    #[test]
    fn lengths() {
        for len in [0usize, 1, 15, 16, 17, 540, 541, 542, 20_000] {
            let sealed = encrypt_with(key(), &[0; 16], &vec![1; len], Padding::None);
            assert_eq!(sealed.data.len(), IV_LEN + ciphertext_len(len) + MAC_LEN);
            let sealed = encrypt_with(key(), &[0; 16], &vec![1; len], Padding::Desktop);
            let padded = padding::padded_size(len);
            assert_eq!(sealed.data.len(), IV_LEN + ciphertext_len(padded) + MAC_LEN);
        }
    }

    #[test]
    fn key_holder_errors_after_a_valid_mac() {
        // A blob whose MAC and digest are right but whose ciphertext is not whole blocks.
        let k = key();
        let mut data = vec![0u8; IV_LEN + 5];
        let mut mac = hmac(&k);
        mac.update(&data);
        data.extend_from_slice(&mac.finalize().into_bytes());
        let digest: [u8; 32] = Sha256::digest(&data).into();
        assert_eq!(
            decrypt(&data, &k, &digest, 0),
            Err(AttachmentError::CiphertextLength { found: 5 })
        );

        // And one whose padding byte is 0 (raw AES-CBC of an all-zero block).
        let mut data = vec![0u8; IV_LEN + 16];
        let body = &mut data[IV_LEN..];
        let mut cipher = cbc::Encryptor::<Aes256>::new(k.aes_key().into(), (&[0u8; 16]).into());
        let (blocks, _) = Array::<u8, U16>::slice_as_chunks_mut(body);
        cipher.encrypt_blocks(blocks);
        let mut mac = hmac(&k);
        mac.update(&data);
        data.extend_from_slice(&mac.finalize().into_bytes());
        let digest: [u8; 32] = Sha256::digest(&data).into();
        assert_eq!(
            decrypt(&data, &k, &digest, 0),
            Err(AttachmentError::InvalidPadding)
        );
    }
}
