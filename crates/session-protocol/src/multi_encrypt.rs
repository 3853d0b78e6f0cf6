//! Multi-recipient encryption, byte-compatible with libsession's `multi_encrypt`: one
//! payload encrypted separately for each of several X25519 recipients under one shared
//! nonce, as group key messages use it.
//!
//! - The key for sender `a`/`A` and recipient `b`/`B` is
//!   `BLAKE2b-32(key = domain[..64], X25519(a, B) || A || B)`; the recipient computes
//!   `X25519(b, A) || A || B`, so the sender's public key always comes first.
//! - Each copy is XChaCha20-Poly1305 (IETF, no associated data) of the message under that key
//!   and the shared 24-byte nonce: `ciphertext || tag`, [`OVERHEAD`] bytes longer than the
//!   message. The nonce is not included.
//! - Either one message goes to every recipient, or message `i` goes to recipient `i`.
//! - A recipient tries every copy with its key and keeps the first that authenticates.
//!
//! The "simple" container bencodes the nonce and the copies as `{"#": nonce, "e": [copy,
//! ...]}`, optionally followed by random junk entries so that the number of entries is a
//! multiple of `pad`. As in libsession's current code, each junk entry is as long as the
//! first message's *ciphertext* (older libsession releases made it as long as the
//! plaintext; receivers cannot tell the difference).
//!
//! ```
//! use session_crypto::X25519Secret;
//! use session_protocol::multi_encrypt;
//!
//! let mut rng = rand::rng();
//! let sender = X25519Secret::generate(&mut rng);
//! let alice = X25519Secret::generate(&mut rng);
//! let bob = X25519Secret::generate(&mut rng);
//! let recipients = [alice.public_key(), bob.public_key()];
//!
//! let encoded = multi_encrypt::encrypt_for_multiple_simple(
//!     &mut rng, &[b"group key"], &recipients, &sender, "SessionGroupKeyMemberKey", None, 0,
//! )?;
//! let plaintext = multi_encrypt::decrypt_for_multiple_simple(
//!     &encoded, &bob, &sender.public_key(), "SessionGroupKeyMemberKey",
//! )?;
//! assert_eq!(plaintext, b"group key");
//! # Ok::<(), multi_encrypt::MultiEncryptError>(())
//! ```

use rand_core::CryptoRng;
use session_crypto::blake2b::Blake2b;
use session_crypto::{SymmetricKey, X25519Secret, aead, convert};
use session_identity::Keypair;
use zeroize::Zeroizing;

/// Length of the nonce all copies share.
pub const NONCE_LEN: usize = aead::XCHACHA_NONCE_LEN;
/// Bytes each copy adds to its message (the Poly1305 tag).
pub const OVERHEAD: usize = aead::TAG_LEN;
/// The longest domain that counts: longer domains are cut to this many bytes, as libsession
/// does (BLAKE2b keys are at most 64 bytes).
pub const DOMAIN_MAX_LEN: usize = 64;

/// What can go wrong in multi-recipient encryption. Messages never contain key material or
/// plaintext.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MultiEncryptError {
    /// Neither one message nor one message per recipient.
    #[error("need 1 message or 1 per recipient, got {messages} for {recipients} recipients")]
    MessageCount {
        /// Messages given.
        messages: usize,
        /// Recipients given.
        recipients: usize,
    },
    /// A recipient public key that gives no shared secret (a small-order point).
    #[error("recipient {index} has an unusable X25519 public key")]
    InvalidRecipient {
        /// Position of the recipient in the list given.
        index: usize,
    },
    /// A sender public key that cannot be used (not a point, or small order).
    #[error("unusable sender public key")]
    InvalidSenderKey,
    /// No copy authenticates under this recipient's key (not a recipient, wrong sender or
    /// domain, or altered data).
    #[error("no ciphertext decrypts for this recipient")]
    NotARecipient,
    /// A container that is valid bencode but not the `{"#": nonce, "e": [...]}` shape.
    #[error("malformed multi-encrypt container: {0}")]
    Container(&'static str),
    /// A container that is not canonical bencode.
    #[error(transparent)]
    Decode(#[from] session_bt::DecodeError),
    /// The bencode producer refused its input (cannot happen with the fixed keys used here).
    #[error(transparent)]
    Encode(#[from] session_bt::EncodeError),
    /// The cipher refused its input.
    #[error(transparent)]
    Crypto(#[from] session_crypto::Error),
}

/// What [`encrypt_for_multiple_with`] does with a recipient key that yields no shared
/// secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InvalidRecipients {
    /// Fail with [`MultiEncryptError::InvalidRecipient`] (libsession's default).
    #[default]
    Fail,
    /// Leave the recipient out (libsession's `ignore_invalid_recipient`).
    Skip,
}

/// Encrypts for every recipient and returns the copies in recipient order.
///
/// `messages` holds one message for all recipients or one per recipient; `sender` is the
/// sender's X25519 secret (its public key is what recipients decrypt with).
pub fn encrypt_for_multiple<M: AsRef<[u8]>>(
    messages: &[M],
    recipients: &[[u8; 32]],
    nonce: &[u8; NONCE_LEN],
    sender: &X25519Secret,
    domain: &str,
) -> Result<Vec<Vec<u8>>, MultiEncryptError> {
    let mut copies = Vec::with_capacity(recipients.len());
    encrypt_for_multiple_with(
        messages,
        recipients,
        nonce,
        sender,
        domain,
        InvalidRecipients::Fail,
        |_, copy| copies.push(copy.to_vec()),
    )?;
    Ok(copies)
}

/// Encrypts for every recipient, handing each copy to `sink` with the recipient's index
/// instead of collecting them (one buffer is reused for all copies).
pub fn encrypt_for_multiple_with<M: AsRef<[u8]>>(
    messages: &[M],
    recipients: &[[u8; 32]],
    nonce: &[u8; NONCE_LEN],
    sender: &X25519Secret,
    domain: &str,
    invalid: InvalidRecipients,
    sink: impl FnMut(usize, &[u8]),
) -> Result<(), MultiEncryptError> {
    encrypt_each(
        messages,
        recipients,
        nonce,
        sender,
        &sender.public_key(),
        domain,
        invalid,
        sink,
    )
}

/// Tries each ciphertext with the key `recipient` shares with `sender_public` and returns
/// the first plaintext that authenticates.
pub fn decrypt_for_multiple<'c>(
    ciphertexts: impl IntoIterator<Item = &'c [u8]>,
    nonce: &[u8; NONCE_LEN],
    recipient: &X25519Secret,
    sender_public: &[u8; 32],
    domain: &str,
) -> Result<Vec<u8>, MultiEncryptError> {
    decrypt_each(
        ciphertexts.into_iter().map(Ok),
        nonce,
        recipient,
        &recipient.public_key(),
        sender_public,
        domain,
    )
}

/// Encrypts for every recipient into the bencoded container
/// `d 1:# 24:<nonce> 1:e l <copies...> e e`.
///
/// The nonce is `nonce` if given, else random. With `pad > 1`, random junk entries as long
/// as the first copy are appended until the number of entries is a multiple of `pad`.
pub fn encrypt_for_multiple_simple<R: CryptoRng + ?Sized, M: AsRef<[u8]>>(
    rng: &mut R,
    messages: &[M],
    recipients: &[[u8; 32]],
    sender: &X25519Secret,
    domain: &str,
    nonce: Option<&[u8; NONCE_LEN]>,
    pad: usize,
) -> Result<Vec<u8>, MultiEncryptError> {
    let sender_public = sender.public_key();
    encode_simple(
        rng,
        messages,
        recipients,
        sender,
        &sender_public,
        domain,
        nonce,
        pad,
    )
}

/// [`encrypt_for_multiple_simple`] for a sender holding a Session key pair: its X25519 keys
/// (derived from the Ed25519 ones) encrypt.
pub fn encrypt_for_multiple_simple_ed25519<R: CryptoRng + ?Sized, M: AsRef<[u8]>>(
    rng: &mut R,
    messages: &[M],
    recipients: &[[u8; 32]],
    sender: &Keypair,
    domain: &str,
    nonce: Option<&[u8; NONCE_LEN]>,
    pad: usize,
) -> Result<Vec<u8>, MultiEncryptError> {
    encode_simple(
        rng,
        messages,
        recipients,
        sender.x25519_secret(),
        sender.x25519_public(),
        domain,
        nonce,
        pad,
    )
}

/// Decrypts this recipient's copy from a container made by
/// [`encrypt_for_multiple_simple`], given the sender's X25519 public key.
///
/// The container must be canonical bencode (libsession's reader is laxer; libsession only
/// ever writes canonical containers). Entries are tried in order; a non-string entry ends
/// the search with an error, as it does in libsession.
pub fn decrypt_for_multiple_simple(
    encoded: &[u8],
    recipient: &X25519Secret,
    sender_public: &[u8; 32],
    domain: &str,
) -> Result<Vec<u8>, MultiEncryptError> {
    decode_simple(
        encoded,
        recipient,
        &recipient.public_key(),
        sender_public,
        domain,
    )
}

/// [`decrypt_for_multiple_simple`] for a recipient holding a Session key pair, given the
/// sender's X25519 public key.
pub fn decrypt_for_multiple_simple_ed25519_from_x25519(
    encoded: &[u8],
    recipient: &Keypair,
    sender_x25519_public: &[u8; 32],
    domain: &str,
) -> Result<Vec<u8>, MultiEncryptError> {
    decode_simple(
        encoded,
        recipient.x25519_secret(),
        recipient.x25519_public(),
        sender_x25519_public,
        domain,
    )
}

/// [`decrypt_for_multiple_simple`] for a recipient holding a Session key pair, given the
/// sender's Ed25519 public key (converted to X25519 first).
pub fn decrypt_for_multiple_simple_ed25519(
    encoded: &[u8],
    recipient: &Keypair,
    sender_ed25519_public: &[u8; 32],
    domain: &str,
) -> Result<Vec<u8>, MultiEncryptError> {
    let sender = convert::ed25519_pk_to_x25519(sender_ed25519_public)
        .map_err(|_| MultiEncryptError::InvalidSenderKey)?;
    decrypt_for_multiple_simple_ed25519_from_x25519(encoded, recipient, &sender, domain)
}

/// The key one sender and one recipient share:
/// `BLAKE2b-32(key = domain[..64], X25519(own, other) || sender_pk || recipient_pk)`.
fn shared_key(
    own_secret: &X25519Secret,
    own_public: &[u8; 32],
    other_public: &[u8; 32],
    encrypting: bool,
    domain: &str,
) -> Result<SymmetricKey, session_crypto::Error> {
    let shared = own_secret.diffie_hellman(other_public)?;
    let domain = domain.as_bytes();
    let key = domain.get(..DOMAIN_MAX_LEN).unwrap_or(domain);
    let (sender, recipient) = if encrypting {
        (own_public, other_public)
    } else {
        (other_public, own_public)
    };
    let mut hasher = Blake2b::with_params(32, key, &[], &[])?;
    hasher.update(shared.expose_secret());
    hasher.update(sender);
    hasher.update(recipient);
    let mut out = Zeroizing::new([0u8; 32]);
    hasher.finalize_into(out.as_mut_slice())?;
    Ok(SymmetricKey::from_bytes(*out))
}

/// Checks the message count against the recipients.
fn check_counts(messages: usize, recipients: usize) -> Result<(), MultiEncryptError> {
    if messages == 1 || messages == recipients {
        Ok(())
    } else {
        Err(MultiEncryptError::MessageCount {
            messages,
            recipients,
        })
    }
}

/// The shared encryption loop: one reused buffer, one key per recipient.
#[allow(clippy::too_many_arguments)]
fn encrypt_each<M: AsRef<[u8]>>(
    messages: &[M],
    recipients: &[[u8; 32]],
    nonce: &[u8; NONCE_LEN],
    sender: &X25519Secret,
    sender_public: &[u8; 32],
    domain: &str,
    invalid: InvalidRecipients,
    mut sink: impl FnMut(usize, &[u8]),
) -> Result<(), MultiEncryptError> {
    check_counts(messages.len(), recipients.len())?;
    let longest = messages.iter().map(|m| m.as_ref().len()).max().unwrap_or(0);
    let mut buffer = Vec::with_capacity(longest + OVERHEAD);
    for (index, recipient) in recipients.iter().enumerate() {
        let message = match messages {
            [only] => only,
            many => &many[index],
        };
        let key = match shared_key(sender, sender_public, recipient, true, domain) {
            Ok(key) => key,
            Err(_) if invalid == InvalidRecipients::Skip => continue,
            Err(_) => return Err(MultiEncryptError::InvalidRecipient { index }),
        };
        buffer.clear();
        buffer.extend_from_slice(message.as_ref());
        aead::xchacha20poly1305_encrypt_in_place(&key, nonce, &[], &mut buffer)?;
        sink(index, &buffer);
    }
    Ok(())
}

/// The shared decryption loop; `ciphertexts` may fail part-way (a malformed container).
fn decrypt_each<'c>(
    ciphertexts: impl Iterator<Item = Result<&'c [u8], MultiEncryptError>>,
    nonce: &[u8; NONCE_LEN],
    recipient: &X25519Secret,
    recipient_public: &[u8; 32],
    sender_public: &[u8; 32],
    domain: &str,
) -> Result<Vec<u8>, MultiEncryptError> {
    let key = shared_key(recipient, recipient_public, sender_public, false, domain)
        .map_err(|_| MultiEncryptError::InvalidSenderKey)?;
    let mut buffer = Vec::new();
    for ciphertext in ciphertexts {
        let ciphertext = ciphertext?;
        if ciphertext.len() < OVERHEAD {
            continue;
        }
        buffer.clear();
        buffer.extend_from_slice(ciphertext);
        if aead::xchacha20poly1305_decrypt_in_place(&key, nonce, &[], &mut buffer).is_ok() {
            return Ok(buffer);
        }
    }
    Err(MultiEncryptError::NotARecipient)
}

/// Builds the bencoded container.
#[allow(clippy::too_many_arguments)]
fn encode_simple<R: CryptoRng + ?Sized, M: AsRef<[u8]>>(
    rng: &mut R,
    messages: &[M],
    recipients: &[[u8; 32]],
    sender: &X25519Secret,
    sender_public: &[u8; 32],
    domain: &str,
    nonce: Option<&[u8; NONCE_LEN]>,
    pad: usize,
) -> Result<Vec<u8>, MultiEncryptError> {
    check_counts(messages.len(), recipients.len())?;
    let nonce = match nonce {
        Some(nonce) => *nonce,
        None => {
            let mut random = [0u8; NONCE_LEN];
            rng.fill_bytes(&mut random);
            random
        }
    };
    let copy_len = |m: &M| m.as_ref().len() + OVERHEAD;
    let longest = messages.iter().map(copy_len).max().unwrap_or(0);
    let entries = recipients.len().max(pad);
    let mut out = Vec::with_capacity(40 + entries * (longest + 10));

    let mut result = Ok(());
    session_bt::write_dict(&mut out, |dict| {
        dict.bytes(b"#", &nonce);
        dict.list(b"e", |list| {
            let mut count = 0usize;
            result = encrypt_each(
                messages,
                recipients,
                &nonce,
                sender,
                sender_public,
                domain,
                InvalidRecipients::Fail,
                |_, copy| {
                    list.bytes(copy);
                    count += 1;
                },
            );
            if let (true, Some(first)) = (pad > 1 && result.is_ok(), messages.first()) {
                let mut junk = vec![0u8; copy_len(first)];
                while !count.is_multiple_of(pad) {
                    rng.fill_bytes(&mut junk);
                    list.bytes(&junk);
                    count += 1;
                }
            }
        });
    })?;
    result?;
    Ok(out)
}

/// Reads the bencoded container and decrypts this recipient's copy.
fn decode_simple(
    encoded: &[u8],
    recipient: &X25519Secret,
    recipient_public: &[u8; 32],
    sender_public: &[u8; 32],
    domain: &str,
) -> Result<Vec<u8>, MultiEncryptError> {
    let container = session_bt::decode(encoded)?;
    if container.as_dict().is_none() {
        return Err(MultiEncryptError::Container("not a dictionary"));
    }
    let nonce: &[u8; NONCE_LEN] = container
        .get(b"#")
        .ok_or(MultiEncryptError::Container("no nonce"))?
        .as_bytes()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(MultiEncryptError::Container("nonce is not 24 bytes"))?;
    let copies = container
        .get(b"e")
        .ok_or(MultiEncryptError::Container("no ciphertext list"))?
        .as_list()
        .ok_or(MultiEncryptError::Container("ciphertexts are not a list"))?;
    let ciphertexts = copies.iter().map(|copy| {
        copy.as_bytes()
            .ok_or(MultiEncryptError::Container("ciphertext is not a string"))
    });
    decrypt_each(
        ciphertexts,
        nonce,
        recipient,
        recipient_public,
        sender_public,
        domain,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn secret(byte: u8) -> X25519Secret {
        X25519Secret::from_bytes([byte; 32])
    }

    #[test]
    fn message_counts() {
        let recipients = [secret(2).public_key(), secret(3).public_key()];
        let err = encrypt_for_multiple(&[b"a", b"b", b"c"], &recipients, &[0; 24], &secret(1), "d");
        assert_eq!(
            err,
            Err(MultiEncryptError::MessageCount {
                messages: 3,
                recipients: 2
            })
        );
        // No recipients and one message: nothing to write, not an error.
        assert_eq!(
            encrypt_for_multiple(&[b"a"], &[], &[0; 24], &secret(1), "d"),
            Ok(vec![])
        );
    }

    #[test]
    fn invalid_recipients_fail_or_are_skipped() {
        let recipients = [secret(2).public_key(), [0; 32], secret(3).public_key()];
        assert_eq!(
            encrypt_for_multiple(&[b"m"], &recipients, &[0; 24], &secret(1), "d"),
            Err(MultiEncryptError::InvalidRecipient { index: 1 })
        );
        let mut seen = Vec::new();
        encrypt_for_multiple_with(
            &[b"m"],
            &recipients,
            &[0; 24],
            &secret(1),
            "d",
            InvalidRecipients::Skip,
            |index, _| seen.push(index),
        )
        .unwrap();
        assert_eq!(seen, [0, 2]);
    }

    #[test]
    fn long_domains_are_cut_at_64_bytes() {
        let recipient = secret(2);
        let long = "x".repeat(64);
        let longer = format!("{long}ignored");
        let copies = encrypt_for_multiple(
            &[b"m"],
            &[recipient.public_key()],
            &[1; 24],
            &secret(1),
            &longer,
        )
        .unwrap();
        let plain = decrypt_for_multiple(
            copies.iter().map(Vec::as_slice),
            &[1; 24],
            &recipient,
            &secret(1).public_key(),
            &long,
        );
        assert_eq!(plain.unwrap(), b"m");
    }

    #[test]
    fn padding_adds_ciphertext_sized_junk() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
        let recipients: Vec<[u8; 32]> = (2..5).map(|b| secret(b).public_key()).collect();
        let encoded = encrypt_for_multiple_simple(
            &mut rng,
            &[b"hello"],
            &recipients,
            &secret(1),
            "d",
            Some(&[9; 24]),
            5,
        )
        .unwrap();
        let value = session_bt::decode(&encoded).unwrap();
        let copies = value.get(b"e").unwrap().as_list().unwrap();
        assert_eq!(copies.len(), 5);
        assert!(
            copies
                .iter()
                .all(|c| c.as_bytes().unwrap().len() == 5 + OVERHEAD)
        );
        for b in 2..5 {
            let plain =
                decrypt_for_multiple_simple(&encoded, &secret(b), &secret(1).public_key(), "d");
            assert_eq!(plain.unwrap(), b"hello");
        }
    }

    #[test]
    fn malformed_containers() {
        let sender = secret(1).public_key();
        let me = secret(2);
        let check = |input: &[u8]| decrypt_for_multiple_simple(input, &me, &sender, "d");
        assert_eq!(
            check(b"le"),
            Err(MultiEncryptError::Container("not a dictionary"))
        );
        assert_eq!(check(b"de"), Err(MultiEncryptError::Container("no nonce")));
        assert_eq!(
            check(b"d1:#3:abce"),
            Err(MultiEncryptError::Container("nonce is not 24 bytes"))
        );
        let nonce = [0u8; 24];
        let mut input = b"d1:#24:".to_vec();
        input.extend_from_slice(&nonce);
        let missing = [&input[..], b"e"].concat();
        assert_eq!(
            check(&missing),
            Err(MultiEncryptError::Container("no ciphertext list"))
        );
        let not_list = [&input[..], b"1:e0:e"].concat();
        assert_eq!(
            check(&not_list),
            Err(MultiEncryptError::Container("ciphertexts are not a list"))
        );
        let bad_entry = [&input[..], b"1:eli1eee"].concat();
        assert_eq!(
            check(&bad_entry),
            Err(MultiEncryptError::Container("ciphertext is not a string"))
        );
        let no_match = [&input[..], b"1:el0:3:abc20:aaaaaaaaaaaaaaaaaaaaee"].concat();
        assert_eq!(check(&no_match), Err(MultiEncryptError::NotARecipient));
        assert!(matches!(check(b"d"), Err(MultiEncryptError::Decode(_))));
    }
}
