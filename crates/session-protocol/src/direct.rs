//! One-to-one messages: sign, then seal to the recipient, exactly as libsession's
//! `encrypt_for_recipient` and `decrypt_incoming` (`libsession-util.md` §6.1).
//!
//! ```text
//! inner  = M || A || Ed25519-sign(M || A || Y)     M: padded content, A: sender Ed25519 key,
//!                                                  Y: recipient X25519 key (no 05 prefix)
//! output = crypto_box_seal(inner, Y)               = eph_pk(32) || tag(16) || XSalsa20(inner)
//! ```
//!
//! The output is [`OVERHEAD`] (144) bytes longer than `M`. Padding is the caller's business
//! (see [`crate::padding`]); these functions take and return the padded bytes.
//!
//! # How decryption fails
//!
//! [`decrypt_incoming`] tells apart, in this order:
//!
//! 1. [`DecryptError::Truncated`]: fewer than 144 bytes, too short for the ephemeral key,
//!    tag, sender key and signature. (A box cut short but still 144 bytes or longer fails its
//!    MAC and is [`DecryptError::OpenFailed`]: a sealed box carries no length, so the missing
//!    bytes cannot be told from altered ones.)
//! 2. [`DecryptError::OpenFailed`]: the box does not open with our key: it is addressed to
//!    someone else, or was altered.
//! 3. [`DecryptError::TrailingJunk`]: the box does not open, but a prefix of it does: bytes
//!    were appended after a genuine box for us. A sealed box's MAC covers everything after
//!    its tag, so appended bytes break it like any other alteration; what sets them apart is
//!    structure. The plaintext of every Session message is padded content (see
//!    [`crate::padding`]), so a genuine box is `144 + 160k` (current padding) or
//!    `144 + 160k - 1` (legacy) bytes long. When the whole box fails to open, we try the
//!    longest prefix of each of those two shapes (at most two more openings, made only on
//!    this failure path); if one opens, the rest is junk. This finds 1 to 160 junk bytes after
//!    any padded message. Junk after a payload that is not padded (libsession's API does not
//!    require padding), or longer junk, stays [`DecryptError::OpenFailed`]; telling those
//!    apart too would take the MAC of every prefix, which session-crypto does not expose.
//! 4. [`DecryptError::InvalidSenderKey`]: the box opened, but `A` is not a usable Ed25519
//!    key (not a point, of small order, or outside the prime-order subgroup: libsodium's
//!    `crypto_sign_ed25519_pk_to_curve25519` refuses the last, and so does libsession).
//! 5. [`DecryptError::InvalidSignature`]: the box opened (so it was sealed to us and not
//!    altered since), but the signature does not verify over `M || A || Y`: a forgery, or a
//!    signed message re-sealed to us that was signed for another recipient.
//!
//! ```
//! use session_identity::Seed;
//! use session_protocol::direct;
//!
//! let alice = Seed::from_ed25519_seed(&[1; 32]).keypair();
//! let bob = Seed::from_ed25519_seed(&[2; 32]).keypair();
//! let padded = session_protocol::padding::pad(b"hi");
//! let sealed = direct::encrypt_for_recipient_deterministic(&alice, &bob.session_id(), &padded)?;
//! let opened = direct::decrypt_incoming(&bob, &sealed)?;
//! assert_eq!(opened.sender, alice.session_id());
//! assert_eq!(opened.plaintext, padded);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use rand_core::CryptoRng;
use session_crypto::{X25519Secret, blake2b, convert, ed25519, sealed_box};
use session_identity::{IdPrefix, Keypair, SessionId};
use sha2::{Digest, Sha512};
use zeroize::Zeroizing;

/// Length of an Ed25519 public key.
const KEY_LEN: usize = 32;
/// Length of an Ed25519 signature.
const SIG_LEN: usize = 64;
/// Bytes the signature layer adds to the message: `A || SIG`.
const SIGNED_OVERHEAD: usize = KEY_LEN + SIG_LEN;

/// Bytes the whole construction adds to the message: 32 (ephemeral key) + 16 (tag) + 32
/// (sender key) + 64 (signature). The shortest valid ciphertext.
pub const OVERHEAD: usize = sealed_box::OVERHEAD + SIGNED_OVERHEAD;

/// The BLAKE2b key of the deterministic variant's ephemeral seed.
const EPHEMERAL_HASH_KEY: &[u8; 26] = b"SessionBoxEphemeralHashKey";

/// Encrypts `plaintext` (padded content) from `sender` to `recipient` (a `05` ID) with a
/// fresh random ephemeral key, as libsession's `encrypt_for_recipient`.
pub fn encrypt_for_recipient<R: CryptoRng + ?Sized>(
    rng: &mut R,
    sender: &Keypair,
    recipient: &SessionId,
    plaintext: &[u8],
) -> Result<Vec<u8>, EncryptError> {
    seal_signed(
        &X25519Secret::generate(rng),
        sender,
        recipient_key(recipient)?,
        plaintext,
    )
}

/// Encrypts with the ephemeral key libsession's `encrypt_for_recipient_deterministic`
/// derives: seed `BLAKE2b-32(key = "SessionBoxEphemeralHashKey", sender seed || Y ||
/// plaintext)`, expanded as in [`encrypt_for_recipient_with_ephemeral_seed`]. The same
/// inputs always give the same bytes; libsession uses it for self-addressed config messages.
pub fn encrypt_for_recipient_deterministic(
    sender: &Keypair,
    recipient: &SessionId,
    plaintext: &[u8],
) -> Result<Vec<u8>, EncryptError> {
    let recipient_pk = recipient_key(recipient)?;
    let seed = sender.ed25519_seed();
    let ephemeral_seed = Zeroizing::new(blake2b::hash_keyed::<32, _>(
        EPHEMERAL_HASH_KEY,
        &[seed.expose_secret(), recipient_pk, plaintext],
    ));
    seal_signed(
        &ephemeral_from_seed(&ephemeral_seed),
        sender,
        recipient_pk,
        plaintext,
    )
}

/// Encrypts with a caller-chosen ephemeral seed, expanded as libsodium's
/// `crypto_box_seed_keypair` does: the ephemeral secret is the first 32 bytes of
/// `SHA-512(seed)`. For tests and reproducible output; never reuse a seed for two messages.
pub fn encrypt_for_recipient_with_ephemeral_seed(
    sender: &Keypair,
    recipient: &SessionId,
    plaintext: &[u8],
    ephemeral_seed: &[u8; 32],
) -> Result<Vec<u8>, EncryptError> {
    seal_signed(
        &ephemeral_from_seed(ephemeral_seed),
        sender,
        recipient_key(recipient)?,
        plaintext,
    )
}

/// Opens a message sealed to `recipient`, checks the sender's signature and returns the
/// sender and the (still padded) plaintext. See the [module documentation](self) for the
/// checks and the order in which they fail.
pub fn decrypt_incoming(recipient: &Keypair, ciphertext: &[u8]) -> Result<Decrypted, DecryptError> {
    if ciphertext.len() < OVERHEAD {
        return Err(DecryptError::Truncated {
            len: ciphertext.len(),
        });
    }
    // The keypair keeps its X25519 public key, which the box's nonce needs: passing it saves
    // deriving it again (a third of the sealed box's cost).
    let (secret, public) = (recipient.x25519_secret(), recipient.x25519_public());
    let Ok(mut inner) = sealed_box::open_with_public_key(secret, public, ciphertext) else {
        return Err(classify_open_failure(secret, public, ciphertext));
    };

    // inner = M || A || SIG; the layout is fixed from the end.
    let msg_len = inner.len() - SIGNED_OVERHEAD;
    let (sender_ed25519, signature) = {
        let tail = &inner[msg_len..];
        let mut key = [0u8; KEY_LEN];
        let mut signature = [0u8; SIG_LEN];
        key.copy_from_slice(&tail[..KEY_LEN]);
        signature.copy_from_slice(&tail[KEY_LEN..]);
        (key, signature)
    };

    // The key first (libsodium's conversion rules, which are stricter than verification's),
    // then the signature over M || A || Y, rebuilt in place over the signature's bytes.
    let sender_x25519 = convert::ed25519_pk_to_x25519(&sender_ed25519)
        .map_err(|_| DecryptError::InvalidSenderKey)?;
    inner.truncate(msg_len + KEY_LEN);
    inner.extend_from_slice(recipient.x25519_public());
    ed25519::verify(&signature, &sender_ed25519, &inner)
        .map_err(|_| DecryptError::InvalidSignature)?;

    inner.truncate(msg_len);
    Ok(Decrypted {
        sender: SessionId::new(IdPrefix::Standard, sender_x25519),
        sender_ed25519,
        plaintext: inner,
    })
}

/// A verified incoming message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Decrypted {
    /// The sender's Session ID (`05` and the X25519 form of [`Decrypted::sender_ed25519`]).
    pub sender: SessionId,
    /// The sender's Ed25519 public key, which signed the message.
    pub sender_ed25519: [u8; 32],
    /// The plaintext as sent: padded content for Session messages.
    pub plaintext: Vec<u8>,
}

/// Why a message could not be encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncryptError {
    /// The recipient is not a standard (`05`) Session ID.
    #[error("1:1 messages go to 05 Session IDs, not {found} IDs")]
    WrongRecipientPrefix {
        /// The prefix given.
        found: IdPrefix,
    },
    /// The recipient's key is of small order (no shared secret can be agreed with it).
    #[error("the recipient's X25519 key is not usable")]
    InvalidRecipientKey,
}

/// Why an incoming message was rejected. The order of the checks is in the
/// [module documentation](self).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecryptError {
    /// Shorter than the 144 bytes of framing every message has.
    #[error("ciphertext too short: {len} bytes, at least 144 needed")]
    Truncated {
        /// The length given.
        len: usize,
    },
    /// The sealed box does not open with our key: it is for someone else, or was altered.
    #[error("the message is not addressed to this account, or was altered")]
    OpenFailed,
    /// A genuine box for us, followed by bytes that are not part of it.
    #[error("{extra} unexpected bytes after the sealed message")]
    TrailingJunk {
        /// How many bytes follow the box.
        extra: usize,
    },
    /// The sender's Ed25519 key inside the box is not a valid key.
    #[error("the sender's Ed25519 key is invalid")]
    InvalidSenderKey,
    /// The sender's signature does not verify.
    #[error("the sender's signature does not verify")]
    InvalidSignature,
}

/// The recipient's X25519 key, which must come from a `05` ID.
fn recipient_key(recipient: &SessionId) -> Result<&[u8; 32], EncryptError> {
    match recipient.prefix() {
        IdPrefix::Standard => Ok(recipient.key_bytes()),
        found => Err(EncryptError::WrongRecipientPrefix { found }),
    }
}

/// `crypto_box_seed_keypair`'s secret: the first 32 bytes of SHA-512(seed).
fn ephemeral_from_seed(seed: &[u8; 32]) -> X25519Secret {
    let digest = Zeroizing::new(Sha512::digest(seed));
    let mut secret = Zeroizing::new([0u8; 32]);
    secret.copy_from_slice(&digest[..32]);
    X25519Secret::from_bytes(*secret)
}

/// Signs `M || A || Y`, swaps `Y` for the signature and seals the result to `Y`.
fn seal_signed(
    ephemeral: &X25519Secret,
    sender: &Keypair,
    recipient_pk: &[u8; 32],
    plaintext: &[u8],
) -> Result<Vec<u8>, EncryptError> {
    // One buffer, the output, and one copy of M: room for the sealed box's header, then
    // M || A || Y to sign, then M || A || SIG, which the box encrypts where it lies.
    const HEADER: usize = sealed_box::OVERHEAD;
    let mut out = Vec::with_capacity(OVERHEAD + plaintext.len());
    out.resize(HEADER, 0);
    out.extend_from_slice(plaintext);
    out.extend_from_slice(sender.ed25519_public());
    out.extend_from_slice(recipient_pk);
    let signature = sender.sign(&out[HEADER..]);
    out.truncate(HEADER + plaintext.len() + KEY_LEN);
    out.extend_from_slice(&signature);
    sealed_box::seal_in_place(ephemeral, recipient_pk, &mut out)
        .map_err(|_| EncryptError::InvalidRecipientKey)?;
    Ok(out)
}

/// Names the failure when the whole box does not open: junk after a genuine box (a prefix
/// shaped like a padded message opens), or a box for someone else / altered.
fn classify_open_failure(
    secret: &X25519Secret,
    public: &[u8; 32],
    ciphertext: &[u8],
) -> DecryptError {
    let len = ciphertext.len();
    // Sealed-box lengths of padded messages: 144 + 160k (current), 144 + 160k - 1 (legacy).
    for residue in [OVERHEAD % 160, (OVERHEAD + 159) % 160] {
        // The longest strictly shorter length with this residue.
        let below = (len + 160 - residue - 1) % 160 + 1;
        let Some(candidate) = len.checked_sub(below) else {
            continue;
        };
        if candidate >= OVERHEAD
            && sealed_box::open_with_public_key(secret, public, &ciphertext[..candidate]).is_ok()
        {
            return DecryptError::TrailingJunk {
                extra: len - candidate,
            };
        }
    }
    DecryptError::OpenFailed
}

#[cfg(test)]
mod tests {
    use super::*;
    use session_identity::Seed;

    fn keys(byte: u8) -> Keypair {
        Seed::from_ed25519_seed(&[byte; 32]).keypair()
    }

    #[test]
    fn junk_is_found_for_both_paddings_and_every_length() {
        let (alice, bob) = (keys(1), keys(2));
        for padded in [
            crate::padding::pad(b"hello"),
            crate::padding::pad_legacy(b"hello"),
        ] {
            let sealed =
                encrypt_for_recipient_deterministic(&alice, &bob.session_id(), &padded).unwrap();
            for extra in 1..=160 {
                let mut junk = sealed.clone();
                junk.extend(std::iter::repeat_n(0xa5, extra));
                assert_eq!(
                    decrypt_incoming(&bob, &junk),
                    Err(DecryptError::TrailingJunk { extra }),
                    "{extra} bytes after {} bytes",
                    padded.len()
                );
            }
        }
    }

    #[test]
    fn wrong_prefix() {
        let alice = keys(1);
        let group = SessionId::new(IdPrefix::Group, *alice.ed25519_public());
        assert_eq!(
            encrypt_for_recipient_deterministic(&alice, &group, b"x"),
            Err(EncryptError::WrongRecipientPrefix {
                found: IdPrefix::Group
            })
        );
    }

    #[test]
    fn small_order_recipient() {
        let alice = keys(1);
        let zero = SessionId::new(IdPrefix::Standard, [0; 32]);
        assert_eq!(
            encrypt_for_recipient_deterministic(&alice, &zero, b"x"),
            Err(EncryptError::InvalidRecipientKey)
        );
    }
}
