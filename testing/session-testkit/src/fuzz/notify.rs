//! Small decryptors of things a client looks up or is told: ONS records and push
//! notifications.

use session_crypto::aead::{self, TAG_LEN, XCHACHA_NONCE_LEN};
use session_crypto::{SymmetricKey, blake2b};
use session_protocol::ons::{self, OnsError};
use session_protocol::push::{self, PushError};

use super::PUSH_KEY;

/// The nonce length byte of [`ons_decrypt`]'s input that stands for "no nonce".
pub(super) const ONS_NO_NONCE: u8 = 0xff;

/// `ons::decrypt_ons_response`. The input is `name length (1) || name || nonce length (1) ||
/// nonce || ciphertext`, each part cut short where the input ends; the name is read as UTF-8
/// (invalid sequences replaced), and a nonce length of `0xff` means no nonce (a record from
/// before HF16). Such a record is decrypted only when its ciphertext is shorter than a tag:
/// a longer one would derive the legacy Argon2 key, 256 MiB and a second per run.
///
/// Ciphertext shorter than a tag is refused as truncated, a nonce that is not 24 bytes as
/// such; a decrypted Session ID comes from exactly 33 bytes plus the tag, and encrypting it
/// again under the key derived from the name gives back the ciphertext.
pub fn ons_decrypt(data: &[u8]) {
    let (name, rest) = take_prefixed(data);
    let name = String::from_utf8_lossy(name);
    let (nonce, ciphertext) = match rest.split_first() {
        Some((&ONS_NO_NONCE, ciphertext)) => (None, ciphertext),
        _ => {
            let (nonce, ciphertext) = take_prefixed(rest);
            (Some(nonce), ciphertext)
        }
    };
    if nonce.is_none() && ciphertext.len() >= TAG_LEN {
        return;
    }
    match ons::decrypt_ons_response(&name, ciphertext, nonce) {
        Ok(id) => {
            assert_eq!(ciphertext.len(), 33 + TAG_LEN);
            let nonce: &[u8; XCHACHA_NONCE_LEN] = nonce
                .and_then(|nonce| nonce.try_into().ok())
                .expect("decrypted with a 24-byte nonce");
            let name_hash = blake2b::hash::<32>(&[name.as_bytes()]);
            let key = SymmetricKey::from_bytes(blake2b::hash_keyed::<32, 32>(
                &name_hash,
                &[name.as_bytes()],
            ));
            let again = aead::xchacha20poly1305_encrypt(&key, nonce, &[], &id.to_bytes())
                .expect("it encrypts");
            assert_eq!(again, ciphertext, "re-encryption differs");
        }
        Err(OnsError::Truncated { len }) => {
            assert_eq!(len, ciphertext.len());
            assert!(len < TAG_LEN);
        }
        Err(OnsError::NonceLength { found }) => {
            assert_eq!(Some(found), nonce.map(<[u8]>::len));
            assert_ne!(found, XCHACHA_NONCE_LEN);
            assert!(ciphertext.len() >= TAG_LEN);
        }
        Err(OnsError::KeyDerivationFailed) => panic!("the legacy key was derived"),
        Err(e) => {
            assert_eq!(nonce.map(<[u8]>::len), Some(XCHACHA_NONCE_LEN), "{e:?}");
            assert!(ciphertext.len() >= TAG_LEN, "{e:?}");
        }
    }
}

/// The bytes after a length byte, up to that length (fewer if the input ends), and the rest.
fn take_prefixed(data: &[u8]) -> (&[u8], &[u8]) {
    match data.split_first() {
        Some((&len, rest)) => rest.split_at(usize::from(len).min(rest.len())),
        None => (&[], &[]),
    }
}

/// `push::decrypt_push_notification` with [`PUSH_KEY`](super::PUSH_KEY), and with that key
/// cut to 31 bytes.
///
/// A payload shorter than nonce and tag (40 bytes) is refused as truncated (whatever the
/// key), a longer one with the short key for its key. A decrypted notification ends in a
/// non-zero byte, and with zeros added back up to the payload's length it encrypts again,
/// under the payload's nonce, to exactly the payload.
pub fn push_decrypt(data: &[u8]) {
    let minimum = XCHACHA_NONCE_LEN + TAG_LEN;
    let result = push::decrypt_push_notification(data, &PUSH_KEY);
    let short_key = push::decrypt_push_notification(data, &PUSH_KEY[..31]);
    if data.len() < minimum {
        let truncated = Err(PushError::Truncated { len: data.len() });
        assert_eq!(result, truncated);
        assert_eq!(short_key, truncated);
        return;
    }
    assert_eq!(short_key, Err(PushError::KeyLength { found: 31 }));
    match result {
        Ok(plaintext) => {
            assert_ne!(plaintext.last(), Some(&0), "trailing zeros were left");
            let (nonce, sealed) = data
                .split_first_chunk::<XCHACHA_NONCE_LEN>()
                .expect("a nonce");
            let mut padded = plaintext;
            assert!(padded.len() + TAG_LEN <= sealed.len());
            padded.resize(sealed.len() - TAG_LEN, 0);
            let key = SymmetricKey::from_bytes(PUSH_KEY);
            let again =
                aead::xchacha20poly1305_encrypt(&key, nonce, &[], &padded).expect("it encrypts");
            assert_eq!(again, sealed, "re-encryption differs");
        }
        Err(e) => assert_eq!(e, PushError::DecryptionFailed),
    }
}
