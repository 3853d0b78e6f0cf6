//! libsession's deterministic attachment encryption (`session/attachments.hpp`,
//! `attachment::encrypt` / `decrypt`), which newer clients use behind a feature flag: the same
//! file uploaded by the same account always gives the same bytes, so the file server can
//! de-duplicate re-uploads (profile pictures are re-uploaded to keep them alive).
//!
//! - Key and header: `BLAKE2b-56(key = seed[..32], personal = "SessionAttachmnt" or
//!   "Session_Prof_Pic", message = plaintext)`; the first 24 bytes are the secretstream
//!   header, the last 32 the key (sent as `AttachmentPointer.key`; no digest).
//! - Output: `'S' (0x53) || header (24) || chunks`, where the chunks are
//!   `crypto_secretstream_xchacha20poly1305` over `0x00 x (p - 1) || 0x01 || plaintext`, cut
//!   every 32 KiB, the last tagged FINAL. The padding length `p` ([`padding`]) rounds the
//!   total size up to a multiple of 1/32 of its highest power of two (at least 4096).
//! - Decryption drops the padding up to its `0x01` and requires the FINAL tag on exactly the
//!   last chunk.
//!
//! Pinned to libsession-util `src/attachments.cpp` at commit
//! `02663c06a2dcd5e814ee39cf33b8589802a0ef23` (the streaming `Encryptor` version, the newest
//! in the index). An older revision (`701c185f1efb480c3017017486664a44fdca5029`) derived the
//! key as `BLAKE2b-56(key = [domain byte], seed || plaintext)`; only the sender's key
//! derivation differs, so blobs from either decrypt the same way here.
//!
//! ```
//! use session_crypto::Ed25519Seed;
//! use session_protocol::attachment::deterministic::{self, Domain};
//!
//! let seed = Ed25519Seed::from_bytes([1; 32]);
//! let sealed = deterministic::encrypt(&seed, b"avatar bytes", Domain::ProfilePicture)?;
//! assert_eq!(sealed.data.len(), 4096);
//! let again = deterministic::encrypt(&seed, b"avatar bytes", Domain::ProfilePicture)?;
//! assert_eq!(sealed.data, again.data);
//! assert_eq!(deterministic::decrypt(&sealed.data, &sealed.key)?, b"avatar bytes");
//! # Ok::<(), session_protocol::attachment::AttachmentError>(())
//! ```

use session_crypto::blake2b::Blake2b;
use session_crypto::{Ed25519Seed, SymmetricKey};
use zeroize::Zeroizing;

use super::error::AttachmentError;
use super::secretstream::{ABYTES, HEADER_LEN, SecretStream, TAG_FINAL, TAG_MESSAGE};

/// First byte of the format (`'S'`, secretstream); other values are reserved.
pub const FORMAT_STREAM: u8 = b'S';
/// Plaintext bytes per chunk.
pub const CHUNK_SIZE: usize = 32_768;
/// Bytes each chunk adds (tag byte and MAC).
pub const CHUNK_OVERHEAD: usize = ABYTES;
/// A full encrypted chunk.
pub const ENCRYPTED_CHUNK: usize = CHUNK_SIZE + CHUNK_OVERHEAD;
/// Length of the key.
pub const KEY_LEN: usize = 32;
/// The largest plaintext [`encrypt`] takes: its padded, encrypted size (10,223,616 bytes) is
/// the largest whose onion request still fits (libsession `MAX_REGULAR_SIZE`).
pub const MAX_REGULAR_SIZE: usize = 10_218_286;

/// `'S'` and the header.
const PREFIX_LEN: usize = 1 + HEADER_LEN;

/// What the attachment is for; the same file gets unrelated keys in different domains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Domain {
    /// A file sent to someone (libsession `Domain::ATTACHMENT`).
    Attachment,
    /// A profile picture (libsession `Domain::PROFILE_PIC`).
    ProfilePicture,
}

impl Domain {
    /// The BLAKE2b personalisation of the domain.
    const fn personal(self) -> &'static [u8; 16] {
        match self {
            Self::Attachment => b"SessionAttachmnt",
            Self::ProfilePicture => b"Session_Prof_Pic",
        }
    }
}

/// An encrypted attachment and its key.
pub struct DeterministicAttachment {
    /// What to upload.
    pub data: Vec<u8>,
    /// `AttachmentPointer.key`.
    pub key: SymmetricKey,
}

impl core::fmt::Debug for DeterministicAttachment {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DeterministicAttachment")
            .field("data_len", &self.data.len())
            .field("key", &self.key)
            .finish()
    }
}

/// Encrypts `data` (at most [`MAX_REGULAR_SIZE`] bytes) for upload; `seed` is normally the
/// account's Ed25519 seed, but any 32 secret bytes work.
pub fn encrypt(
    seed: &Ed25519Seed,
    data: &[u8],
    domain: Domain,
) -> Result<DeterministicAttachment, AttachmentError> {
    if data.len() > MAX_REGULAR_SIZE {
        return Err(AttachmentError::TooLarge {
            size: data.len(),
            max: MAX_REGULAR_SIZE,
        });
    }
    Ok(encrypt_large(seed, data, domain))
}

/// [`encrypt`] without the size limit (libsession's `allow_large`), for transports other
/// than onion requests.
pub fn encrypt_large(seed: &Ed25519Seed, data: &[u8], domain: Domain) -> DeterministicAttachment {
    let (header, key) = derive(seed, data, domain);
    let padding = padding(data.len());
    let stream_len = padding + data.len();
    let mut out = Vec::with_capacity(encrypted_size(data.len()));
    out.push(FORMAT_STREAM);
    out.extend_from_slice(&header);
    let mut stream = SecretStream::new(key.expose_secret(), &header);

    // The plaintext stream is `0 x (padding - 1) || 1 || data`, cut every CHUNK_SIZE bytes;
    // each chunk is assembled in `out` and encrypted there.
    let mut pos = 0;
    while pos < stream_len {
        let end = (pos + CHUNK_SIZE).min(stream_len);
        let start = out.len();
        out.push(0); // tag slot
        if pos < padding {
            let pad_end = end.min(padding);
            out.resize(out.len() + pad_end - pos, 0);
            if pad_end == padding
                && let Some(last) = out.last_mut()
            {
                *last = 1;
            }
        }
        if end > padding {
            let from = pos.max(padding) - padding;
            out.extend_from_slice(data.get(from..end - padding).unwrap_or_default());
        }
        out.resize(out.len() + ABYTES - 1, 0); // MAC
        let tag = if end == stream_len {
            TAG_FINAL
        } else {
            TAG_MESSAGE
        };
        stream.push(out.get_mut(start..).unwrap_or_default(), tag);
        pos = end;
    }
    DeterministicAttachment { data: out, key }
}

/// Decrypts an attachment made by [`encrypt`] (or by libsession) and strips its padding.
pub fn decrypt(encrypted: &[u8], key: &SymmetricKey) -> Result<Vec<u8>, AttachmentError> {
    let max = decrypted_max_size(encrypted.len()).ok_or(AttachmentError::TooShort {
        minimum: PREFIX_LEN + CHUNK_OVERHEAD + 1,
        found: encrypted.len(),
    })?;
    let (&format, rest) = encrypted.split_first().ok_or(AttachmentError::TooShort {
        minimum: PREFIX_LEN + CHUNK_OVERHEAD + 1,
        found: 0,
    })?;
    if format != FORMAT_STREAM {
        return Err(AttachmentError::UnknownFormat(format));
    }
    let (header, mut chunks) = rest.split_at(HEADER_LEN);
    let mut header_bytes = [0u8; HEADER_LEN];
    header_bytes.copy_from_slice(header);
    let mut stream = SecretStream::new(key.expose_secret(), &header_bytes);

    let mut out = Vec::with_capacity(max);
    let mut unpadded = false;
    loop {
        // Every chunk carries at least one byte (libsession refuses empty ones).
        if chunks.len() <= CHUNK_OVERHEAD {
            return Err(if unpadded {
                AttachmentError::Truncated
            } else {
                AttachmentError::InvalidStreamPadding
            });
        }
        let (chunk, next) =
            chunks.split_at((chunks.len() - CHUNK_OVERHEAD).min(CHUNK_SIZE) + CHUNK_OVERHEAD);
        chunks = next;
        let start = out.len();
        out.resize(start + chunk.len() - CHUNK_OVERHEAD, 0);
        let tag = stream
            .pull(chunk, out.get_mut(start..).unwrap_or_default())
            .map_err(|_| AttachmentError::ChunkAuthentication)?;
        if !unpadded {
            let fresh = out.get(start..).unwrap_or_default();
            match fresh.iter().position(|&b| b != 0) {
                // Still padding: drop the chunk's zeros.
                None => out.truncate(start),
                Some(at) if fresh.get(at) == Some(&1) => {
                    out.drain(start..=start + at);
                    unpadded = true;
                }
                Some(_) => return Err(AttachmentError::InvalidStreamPadding),
            }
        }
        match (tag == TAG_FINAL, chunks.is_empty()) {
            (true, true) if unpadded => return Ok(out),
            (true, true) => return Err(AttachmentError::InvalidStreamPadding),
            (true, false) => return Err(AttachmentError::TrailingData),
            (false, true) => return Err(AttachmentError::Truncated),
            (false, false) => {}
        }
    }
}

/// The header and key for `data`: `BLAKE2b-56(key = seed, personal = domain, data)`.
pub fn derive(seed: &Ed25519Seed, data: &[u8], domain: Domain) -> ([u8; HEADER_LEN], SymmetricKey) {
    let mut nonce_key = Zeroizing::new([0u8; HEADER_LEN + KEY_LEN]);
    // Output 56 <= 64, key 32 <= 64 and personalisation 16 are all within BLAKE2b's limits,
    // so the parameter checks cannot fail; the fallback keeps the zeroed output.
    if let Ok(mut hasher) = Blake2b::with_params(
        HEADER_LEN + KEY_LEN,
        seed.expose_secret(),
        &[],
        domain.personal(),
    ) {
        hasher.update(data);
        let _ = hasher.finalize_into(nonce_key.as_mut_slice());
    }
    let mut header = [0u8; HEADER_LEN];
    header.copy_from_slice(&nonce_key[..HEADER_LEN]);
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    key.copy_from_slice(&nonce_key[HEADER_LEN..]);
    (header, SymmetricKey::from_bytes(*key))
}

/// Padding bytes (including the `0x01` terminator) added before `len` plaintext bytes:
/// libsession `encrypted_padding`.
///
/// The total (`'S'`, header, one byte of padding, data and one 17-byte overhead per 32 KiB)
/// is rounded up to a multiple of `bit_floor(max(total, 131072)) / 32`, and the padding is
/// then reduced by the overhead its own extra chunks bring. Lengths no buffer can have
/// (beyond `isize::MAX`) give `usize::MAX`.
pub fn padding(len: usize) -> usize {
    checked_padding(len).unwrap_or(usize::MAX)
}

/// The exact encrypted size of `len` plaintext bytes (`usize::MAX` for lengths no buffer
/// can have).
pub fn encrypted_size(len: usize) -> usize {
    checked_encrypted_size(len).unwrap_or(usize::MAX)
}

fn checked_padding(len: usize) -> Option<usize> {
    const MIN_PADDING: usize = 1;
    if len > isize::MAX as usize {
        return None;
    }
    let stream_chunks = len.div_ceil(CHUNK_SIZE);
    let enc_size = len
        .checked_add(PREFIX_LEN + MIN_PADDING)?
        .checked_add(stream_chunks.checked_mul(CHUNK_OVERHEAD)?)?;
    let factor = bit_floor(enc_size.max(131_072)) >> 5;
    let padded_size = enc_size.div_ceil(factor).checked_mul(factor)?;
    let padding = padded_size - enc_size + MIN_PADDING;

    // Every full chunk of padding brings its own overhead, which counts as padding.
    let mut implicit = 0;
    if padding >= ENCRYPTED_CHUNK {
        implicit = (padding / ENCRYPTED_CHUNK) * CHUNK_OVERHEAD;
    }
    // So does the extra chunk started when the rest spills past the data's last chunk.
    let free = stream_chunks.checked_mul(CHUNK_SIZE)? - len;
    if padding % ENCRYPTED_CHUNK > free {
        implicit += CHUNK_OVERHEAD;
    }
    Some(padding - implicit)
}

fn checked_encrypted_size(len: usize) -> Option<usize> {
    let padded = len.checked_add(checked_padding(len)?)?;
    padded
        .checked_add(PREFIX_LEN)?
        .checked_add(padded.div_ceil(CHUNK_SIZE).checked_mul(CHUNK_OVERHEAD)?)
}

/// The most plaintext `encrypted_len` bytes can hold, or `None` if too short to be an
/// attachment at all.
pub fn decrypted_max_size(encrypted_len: usize) -> Option<usize> {
    let body = encrypted_len.checked_sub(PREFIX_LEN + 1)?;
    let overhead = body.div_ceil(ENCRYPTED_CHUNK) * CHUNK_OVERHEAD;
    body.checked_sub(overhead)
}

/// The largest power of two not above `n` (`n > 0`).
const fn bit_floor(n: usize) -> usize {
    1 << (usize::BITS - 1 - n.leading_zeros())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// libsession `tests/test_attachment_encrypt.cpp` ("Attachment encryption/decryption"
    /// and the large-file case): plaintext size -> encrypted size.
    const SIZES: [(usize, usize); 22] = [
        (0, 4096),
        (1, 4096),
        (2, 4096),
        (10, 4096),
        (100, 4096),
        (1000, 4096),
        (2000, 4096),
        (4000, 4096),
        (4053, 4096),
        (4054, 8192),
        (8149, 8192),
        (8150, 12288),
        (33333, 36864),
        (60000, 61440),
        (261982, 262144),
        (261983, 270336),
        (523990, 524288),
        (523991, 540672),
        (6543210, 6553600),
        (10218286, 10223616),
        (10000000, 10223616),
        (25000000, 25165824),
    ];

    #[test]
    fn sizes_match_libsession() {
        for (len, expected) in SIZES {
            assert_eq!(encrypted_size(len), expected, "len {len}");
            assert!(decrypted_max_size(expected).unwrap() >= len);
        }
        assert_eq!(decrypted_max_size(PREFIX_LEN), None);
        assert_eq!(decrypted_max_size(PREFIX_LEN + CHUNK_OVERHEAD), None);
        assert_eq!(decrypted_max_size(PREFIX_LEN + CHUNK_OVERHEAD + 1), Some(0));
        // Absurd lengths do not panic.
        assert_eq!(encrypted_size(usize::MAX), usize::MAX);
        assert_eq!(padding(usize::MAX), usize::MAX);
        assert!(decrypted_max_size(usize::MAX).is_some());
        assert!(encrypted_size(isize::MAX as usize) > isize::MAX as usize);
    }

    #[test]
    fn output_has_the_computed_size() {
        let seed = Ed25519Seed::from_bytes([3; 32]);
        for len in [0, 1, 4053, 4054, 32_768, 32_769, 65_536, 100_000, 131_000] {
            let data: Vec<u8> = (0..len).map(|i| (i * 7 % 256) as u8).collect();
            let sealed = encrypt(&seed, &data, Domain::Attachment).unwrap();
            assert_eq!(sealed.data.len(), encrypted_size(len), "len {len}");
            assert_eq!(decrypt(&sealed.data, &sealed.key).unwrap(), data);
        }
    }

    #[test]
    fn size_limit() {
        let seed = Ed25519Seed::from_bytes([3; 32]);
        let data = vec![0u8; MAX_REGULAR_SIZE + 1];
        assert_eq!(
            encrypt(&seed, &data, Domain::Attachment).unwrap_err(),
            AttachmentError::TooLarge {
                size: MAX_REGULAR_SIZE + 1,
                max: MAX_REGULAR_SIZE
            }
        );
    }
}
