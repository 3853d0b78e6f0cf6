//! Group message encryption (libsession-util.md §12.6, with the post-Feb-2025 signature).
//!
//! The plaintext (zstd level 1 when that is smaller) goes into the dictionary
//! `{"": 1, "a": sender Ed25519 key, "d": data | "z": compressed, "s": signature}` where the
//! signature covers `data || group Ed25519 key` (so a message cannot be replayed into another
//! group). Zero bytes are appended until `24 + len + 16` is a multiple of the padding, and the
//! result is `nonce(24) || XChaCha20-Poly1305(dict)` under the group key.

use rand_core::CryptoRng;
use session_bt::Value;
use session_crypto::{aead, convert, ed25519};
use session_identity::{IdPrefix, Keypair, SessionId};

use crate::constants::{MAX_PLAINTEXT, ZSTD_LEVEL};
use crate::error::MessageError;
use crate::secret::GroupKey;

/// Bytes of nonce and tag around the encrypted dictionary.
const OVERHEAD: usize = aead::XCHACHA_NONCE_LEN + aead::TAG_LEN;

/// A decrypted, verified group message.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecryptedMessage {
    /// The sender's `05` Session ID.
    pub sender: SessionId,
    /// The sender's Ed25519 key, which signed the message.
    pub sender_ed25519: [u8; 32],
    /// The plaintext (decompressed).
    pub plaintext: Vec<u8>,
    /// Which of the keys offered decrypted it.
    pub key_index: usize,
}

/// Encrypts `plaintext` from `sender` for the group `group_pk` under `key`; `compress` allows
/// zstd when it helps, `padding` (0 or 1: none) is the length multiple.
///
/// # Errors
///
/// [`MessageError::TooLarge`] above [`MAX_PLAINTEXT`] bytes.
pub fn encrypt<R: CryptoRng + ?Sized>(
    rng: &mut R,
    sender: &Keypair,
    group_pk: &[u8; 32],
    key: &GroupKey,
    plaintext: &[u8],
    compress: bool,
    padding: usize,
) -> Result<Vec<u8>, MessageError> {
    if plaintext.len() > MAX_PLAINTEXT {
        return Err(MessageError::TooLarge(plaintext.len()));
    }
    let compressed = if compress {
        zstd::bulk::compress(plaintext, ZSTD_LEVEL)
            .ok()
            .filter(|c| c.len() < plaintext.len())
    } else {
        None
    };
    let data = compressed.as_deref().unwrap_or(plaintext);

    let mut signed = Vec::with_capacity(data.len() + 32);
    signed.extend_from_slice(data);
    signed.extend_from_slice(group_pk);
    let signature = sender.sign(&signed);

    let mut dict = Vec::with_capacity(data.len() + 160);
    dict.extend_from_slice(b"d0:i1e1:a32:");
    dict.extend_from_slice(sender.ed25519_public());
    let write = |dict: &mut Vec<u8>, key: &[u8], value: &[u8]| {
        dict.extend_from_slice(key);
        session_bt::write_bytes(dict, value);
    };
    if compressed.is_none() {
        write(&mut dict, b"1:d", data);
    }
    write(&mut dict, b"1:s", &signature);
    if compressed.is_some() {
        write(&mut dict, b"1:z", data);
    }
    dict.push(b'e');

    let total = OVERHEAD + dict.len();
    if padding > 1 && !total.is_multiple_of(padding) {
        dict.resize(dict.len() + padding - total % padding, 0);
    }
    let mut nonce = [0u8; aead::XCHACHA_NONCE_LEN];
    rng.fill_bytes(&mut nonce);
    aead::xchacha20poly1305_encrypt_in_place(key, &nonce, &[], &mut dict)?;
    let mut out = Vec::with_capacity(nonce.len() + dict.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&dict);
    Ok(out)
}

/// Decrypts with the first of `keys` that works, then checks the dictionary and the
/// sender's signature over `data || group_pk`.
///
/// # Errors
///
/// [`MessageError::NoKeyDecrypts`] when no key works; the other variants name what is wrong
/// with a payload that did decrypt.
pub fn decrypt<'k>(
    keys: impl IntoIterator<Item = &'k GroupKey>,
    group_pk: &[u8; 32],
    ciphertext: &[u8],
) -> Result<DecryptedMessage, MessageError> {
    if ciphertext.len() < OVERHEAD {
        return Err(MessageError::TooShort(ciphertext.len()));
    }
    let (nonce, body) = ciphertext.split_at(aead::XCHACHA_NONCE_LEN);
    let nonce: &[u8; 24] = nonce
        .try_into()
        .map_err(|_| MessageError::TooShort(ciphertext.len()))?;
    let mut tried = 0;
    let mut opened = None;
    for (index, key) in keys.into_iter().enumerate() {
        tried += 1;
        if let Ok(plain) = aead::xchacha20poly1305_decrypt(key, nonce, &[], body) {
            opened = Some((index, plain));
            break;
        }
    }
    let (key_index, mut plain) = opened.ok_or(MessageError::NoKeyDecrypts { tried })?;
    let end = plain.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    plain.truncate(end);
    let (sender_ed25519, plaintext) = read_dict(&plain, group_pk)?;
    let sender_x25519 =
        convert::ed25519_pk_to_x25519(&sender_ed25519).map_err(|_| MessageError::InvalidAuthor)?;
    Ok(DecryptedMessage {
        sender: SessionId::new(IdPrefix::Standard, sender_x25519),
        sender_ed25519,
        plaintext,
        key_index,
    })
}

/// Checks the inner dictionary and returns the author and the (decompressed) data.
fn read_dict(plain: &[u8], group_pk: &[u8; 32]) -> Result<([u8; 32], Vec<u8>), MessageError> {
    let dict = session_bt::decode(plain).map_err(|_| MessageError::Malformed("not bencode"))?;
    if dict.as_dict().is_none() {
        return Err(MessageError::Malformed("not a dict"));
    }
    let version = dict
        .get(b"")
        .and_then(Value::as_int)
        .ok_or(MessageError::Malformed("version tag missing"))?;
    if version != 1 {
        return Err(MessageError::Version(version));
    }
    let author: [u8; 32] = dict
        .get(b"a")
        .and_then(Value::as_bytes)
        .and_then(|a| a.try_into().ok())
        .ok_or(MessageError::Malformed("a must be a 32-byte key"))?;
    let signature: &[u8; 64] = dict
        .get(b"s")
        .and_then(Value::as_bytes)
        .and_then(|s| s.try_into().ok())
        .ok_or(MessageError::Malformed("s must be a 64-byte signature"))?;
    let bytes = |key: &[u8]| -> Result<Option<&[u8]>, MessageError> {
        match dict.get(key) {
            None => Ok(None),
            Some(v) => match v.as_bytes() {
                Some(b) if !b.is_empty() => Ok(Some(b)),
                _ => Err(MessageError::Malformed("d and z must be non-empty strings")),
            },
        }
    };
    let (data, compressed) = match (bytes(b"d")?, bytes(b"z")?) {
        (Some(d), None) => (d, false),
        (None, Some(z)) => (z, true),
        (Some(_), Some(_)) => return Err(MessageError::Malformed("both d and z")),
        (None, None) => return Err(MessageError::Malformed("neither d nor z")),
    };
    let mut signed = Vec::with_capacity(data.len() + 32);
    signed.extend_from_slice(data);
    signed.extend_from_slice(group_pk);
    ed25519::verify(signature, &author, &signed).map_err(|_| MessageError::BadSignature)?;
    let plaintext = if compressed {
        zstd::bulk::decompress(data, MAX_PLAINTEXT).map_err(|_| MessageError::Decompress)?
    } else {
        data.to_vec()
    };
    Ok((author, plaintext))
}
