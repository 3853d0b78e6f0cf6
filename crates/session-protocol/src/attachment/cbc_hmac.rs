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
//! The work is done in place in one buffer: the plaintext is copied once into the output,
//! padded there, and then encrypted, MACed and hashed chunk by chunk while each chunk is in
//! cache.
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
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
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
/// Bytes encrypted, MACed and hashed per step: small enough to stay in L1.
const CHUNK: usize = 8 * 1024;

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
    let mut data = Vec::with_capacity(IV_LEN + ciphertext_len(padded) + MAC_LEN);
    data.extend_from_slice(iv);
    data.extend_from_slice(plaintext);
    let digest = seal(&key, &mut data, padded);
    EncryptedAttachment {
        data,
        key,
        digest,
        size: plaintext.len(),
    }
}

/// Encrypts the plaintext in `buffer` in place, turning it into the blob, and returns the
/// digest. The IV is inserted in front (one move of the buffer); to avoid even that, use
/// [`encrypt_with`], which writes the IV first.
pub fn encrypt_in_place(
    key: &AttachmentKey,
    iv: &[u8; IV_LEN],
    buffer: &mut Vec<u8>,
    padding: Padding,
) -> [u8; DIGEST_LEN] {
    let padded = padded_len(buffer.len(), padding);
    buffer.reserve(IV_LEN + ciphertext_len(padded) + MAC_LEN - buffer.len());
    buffer.splice(0..0, iv.iter().copied());
    seal(key, buffer, padded)
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
    verify(data, key, digest)?;
    let mut plaintext = data
        .get(IV_LEN..data.len() - MAC_LEN)
        .unwrap_or_default()
        .to_vec();
    let iv = iv_of(data);
    let len = decrypt_blocks(key, &iv, &mut plaintext)?;
    plaintext.truncate(len);
    cut_to_size(&mut plaintext, size)?;
    Ok(plaintext)
}

/// [`decrypt`] in place: on success `buffer` holds the plaintext (cut to `size`); on
/// failure it is left as it was, unless it was the key holder's own malformed padding.
pub fn decrypt_in_place(
    buffer: &mut Vec<u8>,
    key: &AttachmentKey,
    digest: &[u8],
    size: usize,
) -> Result<(), AttachmentError> {
    verify(buffer, key, digest)?;
    let iv = iv_of(buffer);
    let end = buffer.len() - MAC_LEN;
    let len = decrypt_blocks(key, &iv, buffer.get_mut(IV_LEN..end).unwrap_or_default())?;
    if size > len {
        return Err(AttachmentError::SizeMismatch {
            size,
            available: len,
        });
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

/// `data` = `iv || plaintext`; pads to `padded` then PKCS#7, encrypts, MACs and hashes in
/// one pass, appends the MAC and returns the digest.
fn seal(key: &AttachmentKey, data: &mut Vec<u8>, padded: usize) -> [u8; DIGEST_LEN] {
    data.resize(IV_LEN + padded, 0);
    let pkcs7 = BLOCK - padded % BLOCK;
    // `pkcs7` is 1..=16, so the cast keeps every bit.
    data.resize(IV_LEN + padded + pkcs7, pkcs7 as u8);

    let iv = iv_of(data);
    let body = data.get_mut(IV_LEN..).unwrap_or_default();
    let mut cipher = cbc::Encryptor::<Aes256>::new(key.aes_key().into(), (&iv).into());
    let mut mac = hmac(key);
    let mut hash = Sha256::new();
    mac.update(&iv);
    hash.update(iv);
    for chunk in body.chunks_mut(CHUNK) {
        let (blocks, _) = Array::<u8, U16>::slice_as_chunks_mut(chunk);
        cipher.encrypt_blocks(blocks);
        mac.update(chunk);
        hash.update(&*chunk);
    }
    let tag = mac.finalize().into_bytes();
    hash.update(tag.as_slice());
    data.extend_from_slice(&tag);
    hash.finalize().into()
}

/// Checks the MAC, then the digest, in one pass over the data.
fn verify(data: &[u8], key: &AttachmentKey, digest: &[u8]) -> Result<(), AttachmentError> {
    if data.len() < MIN_LEN {
        return Err(AttachmentError::TooShort {
            minimum: MIN_LEN,
            found: data.len(),
        });
    }
    let (body, tag) = data.split_at(data.len() - MAC_LEN);
    let mut mac = hmac(key);
    let mut hash = Sha256::new();
    for chunk in body.chunks(CHUNK) {
        mac.update(chunk);
        hash.update(chunk);
    }
    hash.update(tag);
    let expected = mac.finalize().into_bytes();
    if !bool::from(expected.as_slice().ct_eq(tag)) {
        return Err(AttachmentError::MacMismatch);
    }
    match digest.len() {
        0 => return Err(AttachmentError::MissingDigest),
        DIGEST_LEN => {}
        found => return Err(AttachmentError::DigestLength { found }),
    }
    let ours = hash.finalize();
    if !bool::from(ours.as_slice().ct_eq(digest)) {
        return Err(AttachmentError::DigestMismatch);
    }
    Ok(())
}

/// The IV at the front of a verified blob.
fn iv_of(data: &[u8]) -> [u8; IV_LEN] {
    let mut iv = [0u8; IV_LEN];
    if let Some(bytes) = data.get(..IV_LEN) {
        iv.copy_from_slice(bytes);
    }
    iv
}

/// Decrypts whole blocks in place and returns the length without PKCS#7.
fn decrypt_blocks(
    key: &AttachmentKey,
    iv: &[u8; IV_LEN],
    buffer: &mut [u8],
) -> Result<usize, AttachmentError> {
    if buffer.is_empty() || !buffer.len().is_multiple_of(BLOCK) {
        return Err(AttachmentError::CiphertextLength {
            found: buffer.len(),
        });
    }
    let mut cipher = cbc::Decryptor::<Aes256>::new(key.aes_key().into(), iv.into());
    for chunk in buffer.chunks_mut(CHUNK) {
        let (blocks, _) = Array::<u8, U16>::slice_as_chunks_mut(chunk);
        cipher.decrypt_blocks(blocks);
    }
    // The MAC already vouched for these bytes, so this check leaks nothing to an attacker.
    let last = buffer.last().copied().unwrap_or(0);
    let pad = usize::from(last);
    let valid = (1..=BLOCK).contains(&pad)
        && buffer
            .get(buffer.len() - pad..)
            .is_some_and(|tail| tail.iter().all(|&b| b == last));
    if !valid {
        return Err(AttachmentError::InvalidPadding);
    }
    Ok(buffer.len() - pad)
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
