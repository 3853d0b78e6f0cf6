//! Attachments and avatars: the default AES-CBC + HMAC scheme, libsession's deterministic
//! secretstream scheme, and AES-GCM profile pictures.

use session_crypto::{Ed25519Seed, SymmetricKey};
use session_protocol::AttachmentError;
use session_protocol::attachment::deterministic::{self, Domain};
use session_protocol::attachment::{self, AttachmentKey, Padding, avatar, cbc_hmac};
use sha2::{Digest, Sha256};

use super::{ATTACHMENT_KEY, AVATAR_KEY, SENDER_SEED};

/// How [`attachment_decrypt`] builds the digest it checks against, from the first byte.
mod digest_flags {
    /// The low two bits select the digest.
    pub(super) const MASK: u8 = 3;
    /// SHA-256 of the blob: the right one.
    pub(super) const RIGHT: u8 = 0;
    /// None at all.
    pub(super) const MISSING: u8 = 1;
    /// The right one with its first bit flipped.
    pub(super) const WRONG: u8 = 2;
    // 3: the right one without its last byte.
}

/// `attachment::decrypt` with [`ATTACHMENT_KEY`](super::ATTACHMENT_KEY). The input is
/// `flags (1) || size (4, little-endian) || blob`; the low two bits of `flags` choose the
/// digest checked against (0: SHA-256 of the blob, 1: none, 2: that with a bit flipped,
/// 3: that cut to 31 bytes); `size` is the pointer's plaintext length.
///
/// `decrypt_in_place` reports the same result, and a failed check of the length, MAC or
/// digest leaves its buffer as it was. A decrypted plaintext is `size` bytes long and starts
/// the whole decrypted (size-padded) plaintext, whose length a too-large `size` reports;
/// encrypting that whole plaintext again without padding, under the blob's IV, gives back
/// exactly the blob and its digest.
pub fn attachment_decrypt(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Some((size, blob)) = rest.split_first_chunk::<4>() else {
        return;
    };
    let size = u32::from_le_bytes(*size) as usize;
    let key = AttachmentKey::from_bytes(ATTACHMENT_KEY);
    let mut digest = Sha256::digest(blob).to_vec();
    match flags & digest_flags::MASK {
        digest_flags::RIGHT => {}
        digest_flags::MISSING => digest.clear(),
        digest_flags::WRONG => digest[0] ^= 1,
        _ => {
            digest.pop();
        }
    }

    let result = attachment::decrypt(blob, &key, &digest, size);
    let mut buffer = blob.to_vec();
    let in_place = attachment::decrypt_in_place(&mut buffer, &key, &digest, size);
    assert_eq!(
        result.as_ref().err().copied(),
        in_place.err(),
        "decrypt_in_place disagrees"
    );
    let plaintext = match result {
        Ok(plaintext) => plaintext,
        Err(e) => {
            if blob.len() < cbc_hmac::MIN_LEN {
                assert_eq!(
                    e,
                    AttachmentError::TooShort {
                        minimum: cbc_hmac::MIN_LEN,
                        found: blob.len()
                    }
                );
            }
            // `decrypt_in_place` promises an unchanged buffer on every failure.
            assert_eq!(buffer, blob, "a failed check changed the buffer");
            return;
        }
    };
    assert_eq!(buffer, plaintext, "decrypt_in_place decrypts otherwise");
    assert_eq!(plaintext.len(), size);
    assert_eq!(flags & digest_flags::MASK, digest_flags::RIGHT);

    let Err(AttachmentError::SizeMismatch { available, .. }) =
        attachment::decrypt(blob, &key, &digest, usize::MAX)
    else {
        panic!("an impossible size was not refused");
    };
    let whole = attachment::decrypt(blob, &key, &digest, available).expect("the whole plaintext");
    assert!(
        whole.starts_with(&plaintext),
        "the plaintext is not a prefix"
    );
    let iv = blob.first_chunk::<{ cbc_hmac::IV_LEN }>().expect("an IV");
    let again = attachment::encrypt_with(key, iv, &whole, Padding::None);
    assert_eq!(again.data, blob, "re-encryption differs");
    assert_eq!(again.digest.as_slice(), digest);
    assert_eq!(again.size, available);
}

/// `attachment::deterministic::decrypt`. The input is `key (32) || blob`.
///
/// Input too short for any attachment is refused as such; a first byte other than `S` is
/// an unknown format. A decrypted plaintext fits the bound `decrypted_max_size` gives for the
/// blob; if the key is the one the deterministic scheme derives for that plaintext from
/// [`SENDER_SEED`](super::SENDER_SEED) (in either domain), encrypting the plaintext again
/// gives back exactly the blob.
pub fn attachment_deterministic_decrypt(data: &[u8]) {
    let Some((key, blob)) = data.split_first_chunk::<32>() else {
        return;
    };
    let key = SymmetricKey::from_bytes(*key);
    let max = deterministic::decrypted_max_size(blob.len());
    match deterministic::decrypt(blob, &key) {
        Ok(plaintext) => {
            let max = max.expect("a decrypted blob has room for data");
            assert!(plaintext.len() <= max, "{} > {max} bytes", plaintext.len());
            let seed = Ed25519Seed::from_bytes(SENDER_SEED);
            for domain in [Domain::Attachment, Domain::ProfilePicture] {
                let (header, derived) = deterministic::derive(&seed, &plaintext, domain);
                if derived == key {
                    assert_eq!(blob.get(1..1 + header.len()), Some(header.as_slice()));
                    let again = deterministic::encrypt_large(&seed, &plaintext, domain);
                    assert_eq!(again.data, blob, "re-encryption differs");
                    assert_eq!(deterministic::encrypted_size(plaintext.len()), blob.len());
                }
            }
        }
        Err(AttachmentError::TooShort { minimum, found }) => {
            assert_eq!(found, blob.len());
            assert!(found < minimum && max.is_none());
        }
        Err(AttachmentError::UnknownFormat(format)) => {
            assert_eq!(Some(&format), blob.first());
            assert_ne!(format, deterministic::FORMAT_STREAM);
        }
        Err(_) => assert!(max.is_some(), "a blob too short got past the length check"),
    }
}

/// `attachment::avatar::decrypt` with [`AVATAR_KEY`](super::AVATAR_KEY).
///
/// Input shorter than IV, tag and one byte is refused as too short, anything else decrypts
/// to exactly 28 bytes less or fails authentication; a decrypted avatar, encrypted again
/// under the input's IV, gives back exactly the input.
pub fn avatar_decrypt(data: &[u8]) {
    let key = SymmetricKey::from_bytes(AVATAR_KEY);
    match avatar::decrypt(&key, data) {
        Ok(plaintext) => {
            assert_eq!(
                plaintext.len() + avatar::IV_LEN + avatar::TAG_LEN,
                data.len()
            );
            let iv = data.first_chunk::<{ avatar::IV_LEN }>().expect("an IV");
            let again = avatar::encrypt_with_iv(&key, iv, &plaintext).expect("it encrypts");
            assert_eq!(again, data, "re-encryption differs");
        }
        Err(AttachmentError::TooShort { minimum, found }) => {
            assert_eq!((minimum, found), (avatar::MIN_LEN, data.len()));
            assert!(found < minimum);
        }
        Err(e) => {
            assert_eq!(e, AttachmentError::AvatarAuthentication);
            assert!(data.len() >= avatar::MIN_LEN);
        }
    }
}
