//! Blinded direct messages through a community server's inbox, as libsession's
//! `encrypt_for_blinded_recipient` and `decrypt_from_blinded_recipient`
//! (`libsession-util.md` §6.2).
//!
//! Sender and recipient know each other only by their blinded IDs on the server (both `15`
//! or both `25`). With `a` the sender's Ed25519 scalar, `kA` its blinded key and `jB` the
//! recipient's:
//!
//! ```text
//! shared = s · jB                      s = a for 15 (both sides share k), s = k'·a for 25
//!                                      (k' = the owner's sign-corrected factor, so s·B = kA)
//! key    = BLAKE2b-32(shared || kA || jB)            sender's key first on both sides
//! output = 0x00 || XChaCha20-Poly1305(M || A, nonce, key; no AD) || nonce(24)
//! ```
//!
//! `A`, the sender's real Ed25519 key, rides inside, so the recipient learns the sender's
//! `05` ID and checks that `A` blinds to the claimed sender ID. The recipient computes the
//! same shared point as `r·kA`; the sender can read its own outgoing copy by passing its own
//! blinded ID as the sender.
//!
//! One difference from libsession, on purpose: for a `15` sender libsession also accepts the
//! negated blinded key (a sender whose key was normalised to the other sign), but flips the
//! sign bit at index 31 of the 33-byte ID instead of index 32, the last byte of the key, so
//! that case never matches there. Here the flip is on the sign bit (the top bit of the last
//! key byte).
//!
//! ```
//! use session_identity::Seed;
//! use session_identity::blinding::blind15;
//! use session_protocol::blinded;
//!
//! let server = [7u8; 32];
//! let alice = Seed::from_ed25519_seed(&[1; 32]).keypair();
//! let bob = Seed::from_ed25519_seed(&[2; 32]).keypair();
//! let (alice15, bob15) = (blind15::id(&alice, &server), blind15::id(&bob, &server));
//!
//! let sealed = blinded::encrypt_for_blinded_recipient_with_nonce(
//!     &alice, &server, &bob15, b"hi", &[9; 24],
//! )?;
//! let opened = blinded::decrypt_from_blinded_recipient(&bob, &server, &alice15, &bob15, &sealed)?;
//! assert_eq!(opened.sender, alice.session_id());
//! assert_eq!(opened.plaintext, b"hi");
//! # Ok::<(), blinded::BlindedError>(())
//! ```

use curve25519_dalek::Scalar;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use rand_core::CryptoRng;
use session_crypto::aead::{TAG_LEN, XCHACHA_NONCE_LEN};
use session_crypto::{SymmetricKey, aead, blake2b, convert};
use session_identity::blinding::{blind15, blind25};
use session_identity::{IdPrefix, Keypair, SessionId};
use zeroize::Zeroizing;

/// The version byte that starts every message of this format.
pub const VERSION: u8 = 0;

/// Length of the sender's Ed25519 key inside the message.
const KEY_LEN: usize = 32;

/// Bytes added to the message: version (1), sender key (32), tag (16), nonce (24). The
/// shortest valid ciphertext.
pub const OVERHEAD: usize = 1 + KEY_LEN + TAG_LEN + XCHACHA_NONCE_LEN;

/// Encrypts `plaintext` (padded content) from `sender` to the blinded ID `recipient`
/// (`15` or `25`) on the server with X25519 key `server_pk`, with a random nonce.
pub fn encrypt_for_blinded_recipient<R: CryptoRng + ?Sized>(
    rng: &mut R,
    sender: &Keypair,
    server_pk: &[u8; 32],
    recipient: &SessionId,
    plaintext: &[u8],
) -> Result<Vec<u8>, BlindedError> {
    let mut nonce = [0u8; XCHACHA_NONCE_LEN];
    rng.fill_bytes(&mut nonce);
    encrypt_for_blinded_recipient_with_nonce(sender, server_pk, recipient, plaintext, &nonce)
}

/// [`encrypt_for_blinded_recipient`] with a caller-chosen nonce: deterministic, for tests.
/// Never reuse a nonce with the same sender and recipient.
pub fn encrypt_for_blinded_recipient_with_nonce(
    sender: &Keypair,
    server_pk: &[u8; 32],
    recipient: &SessionId,
    plaintext: &[u8],
    nonce: &[u8; XCHACHA_NONCE_LEN],
) -> Result<Vec<u8>, BlindedError> {
    let blinding = Blinding::of(recipient)?;
    let own = blinding.own_id(sender, server_pk);
    let key = shared_key(
        sender,
        server_pk,
        blinding,
        recipient.key_bytes(),
        Direction {
            sender: own.key_bytes(),
            recipient: recipient.key_bytes(),
        },
    )?;

    // One buffer: M || A, encrypted in place (+ tag), then the version before and the
    // nonce after.
    let mut buffer = Vec::with_capacity(plaintext.len() + OVERHEAD);
    buffer.extend_from_slice(plaintext);
    buffer.extend_from_slice(sender.ed25519_public());
    aead::xchacha20poly1305_encrypt_in_place(&key, nonce, &[], &mut buffer)
        .map_err(|_| BlindedError::EncryptionFailed)?;
    buffer.insert(0, VERSION);
    buffer.extend_from_slice(nonce);
    Ok(buffer)
}

/// Decrypts a blinded message between `sender_id` and `recipient_id` (both `15` or both
/// `25`), one of which must be `keypair`'s blinded ID on the server: the recipient's for an
/// incoming message, the sender's to read one's own outgoing copy.
///
/// Checks, in order: the ID prefixes, the length (at least [`OVERHEAD`]), the version byte,
/// that `keypair` is a party, the other party's blinded key, the AEAD tag, the sender key
/// inside, and that it blinds to `sender_id`.
pub fn decrypt_from_blinded_recipient(
    keypair: &Keypair,
    server_pk: &[u8; 32],
    sender_id: &SessionId,
    recipient_id: &SessionId,
    ciphertext: &[u8],
) -> Result<DecryptedBlinded, BlindedError> {
    let blinding = Blinding::of(recipient_id)?;
    if Blinding::of(sender_id)? != blinding {
        return Err(BlindedError::MismatchedPrefixes {
            sender: sender_id.prefix(),
            recipient: recipient_id.prefix(),
        });
    }
    if ciphertext.len() < OVERHEAD {
        return Err(BlindedError::Truncated {
            len: ciphertext.len(),
        });
    }
    let Some((&version, rest)) = ciphertext.split_first() else {
        return Err(BlindedError::Truncated { len: 0 });
    };
    if version != VERSION {
        return Err(BlindedError::UnsupportedVersion(version));
    }
    let Some((sealed, nonce)) = rest.split_last_chunk::<XCHACHA_NONCE_LEN>() else {
        return Err(BlindedError::Truncated {
            len: ciphertext.len(),
        });
    };

    let own = blinding.own_id(keypair, server_pk);
    let other = if *sender_id == own {
        recipient_id
    } else if *recipient_id == own {
        sender_id
    } else {
        return Err(BlindedError::NotAParticipant);
    };
    let key = shared_key(
        keypair,
        server_pk,
        blinding,
        other.key_bytes(),
        Direction {
            sender: sender_id.key_bytes(),
            recipient: recipient_id.key_bytes(),
        },
    )?;

    let mut plaintext = aead::xchacha20poly1305_decrypt(&key, nonce, &[], sealed)
        .map_err(|_| BlindedError::DecryptionFailed)?;
    let msg_len = plaintext.len() - KEY_LEN;
    let mut sender_ed25519 = [0u8; KEY_LEN];
    sender_ed25519.copy_from_slice(&plaintext[msg_len..]);
    let sender_x25519 = convert::ed25519_pk_to_x25519(&sender_ed25519)
        .map_err(|_| BlindedError::InvalidSenderKey)?;
    let sender = SessionId::new(IdPrefix::Standard, sender_x25519);
    if !blinding.sender_matches(&sender, &sender_ed25519, server_pk, sender_id)? {
        return Err(BlindedError::SenderMismatch);
    }

    plaintext.truncate(msg_len);
    Ok(DecryptedBlinded {
        sender,
        sender_ed25519,
        plaintext,
    })
}

/// A decrypted blinded message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecryptedBlinded {
    /// The sender's real Session ID (`05`), from the key inside the message.
    pub sender: SessionId,
    /// The sender's real Ed25519 public key.
    pub sender_ed25519: [u8; 32],
    /// The plaintext as sent: padded content for Session messages.
    pub plaintext: Vec<u8>,
}

/// Why a blinded message could not be encrypted or decrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BlindedError {
    /// An ID that is not a blinded (`15` or `25`) ID.
    #[error("blinded messages need 15 or 25 IDs, not {found}")]
    WrongPrefix {
        /// The prefix given.
        found: IdPrefix,
    },
    /// A `15` ID with a `25` ID: both parties must use the same blinding.
    #[error("sender ({sender}) and recipient ({recipient}) IDs use different blindings")]
    MismatchedPrefixes {
        /// The sender ID's prefix.
        sender: IdPrefix,
        /// The recipient ID's prefix.
        recipient: IdPrefix,
    },
    /// The other party's blinded key is not a valid point of the prime-order subgroup.
    #[error("the other party's blinded key is invalid")]
    InvalidBlindedKey,
    /// Shorter than the 73 bytes of framing every message has.
    #[error("ciphertext too short: {len} bytes, at least 73 needed")]
    Truncated {
        /// The length given.
        len: usize,
    },
    /// A version byte other than 0.
    #[error("unsupported blinded message version {0}")]
    UnsupportedVersion(u8),
    /// Neither the sender nor the recipient ID is this account's blinded ID on the server.
    #[error("this account is neither the sender nor the recipient")]
    NotAParticipant,
    /// The AEAD tag does not verify: wrong parties, or an altered message.
    #[error("decryption failed")]
    DecryptionFailed,
    /// The sender's Ed25519 key inside the message is not a valid key.
    #[error("the sender's Ed25519 key is invalid")]
    InvalidSenderKey,
    /// The sender's Ed25519 key inside does not blind to the claimed sender ID.
    #[error("the blinded sender ID does not belong to the sender inside the message")]
    SenderMismatch,
    /// The message is too long for the AEAD.
    #[error("encryption failed")]
    EncryptionFailed,
}

/// Which blinding a conversation uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Blinding {
    Blind15,
    Blind25,
}

/// Whose blinded keys the hash takes first and second.
struct Direction<'a> {
    sender: &'a [u8; 32],
    recipient: &'a [u8; 32],
}

impl Blinding {
    fn of(id: &SessionId) -> Result<Self, BlindedError> {
        match id.prefix() {
            IdPrefix::Blinded15 => Ok(Self::Blind15),
            IdPrefix::Blinded25 => Ok(Self::Blind25),
            found => Err(BlindedError::WrongPrefix { found }),
        }
    }

    /// The account's own blinded ID on the server.
    fn own_id(self, keypair: &Keypair, server_pk: &[u8; 32]) -> SessionId {
        match self {
            Self::Blind15 => blind15::id(keypair, server_pk),
            Self::Blind25 => blind25::id(keypair, server_pk),
        }
    }

    /// The scalar the account multiplies the other party's blinded key by: `a` for 15
    /// (both sides blind by the same `k`, so it cancels out), `k'·a` for 25 with `k'` the
    /// owner's factor, negated when the Ed25519 key is negative (so that `k'·a·B = kA`).
    fn exchange_scalar(self, keypair: &Keypair, server_pk: &[u8; 32]) -> Zeroizing<Scalar> {
        let a = Zeroizing::new(Scalar::from_bytes_mod_order(
            *keypair.x25519_secret().expose_secret(),
        ));
        match self {
            Self::Blind15 => a,
            Self::Blind25 => Zeroizing::new(blind25::owner_factor(keypair, server_pk) * *a),
        }
    }

    /// Whether the sender inside (`sender`, with Ed25519 key `sender_ed25519`) owns the
    /// claimed blinded `sender_id`.
    fn sender_matches(
        self,
        sender: &SessionId,
        sender_ed25519: &[u8; 32],
        server_pk: &[u8; 32],
        sender_id: &SessionId,
    ) -> Result<bool, BlindedError> {
        let invalid = |_| BlindedError::InvalidSenderKey;
        Ok(match self {
            Self::Blind15 => {
                // k·A, or -k·A for a sender whose blinded key took the other sign: the same
                // compressed point with the sign bit, bit 7 of the last byte, flipped.
                let expected =
                    blind15::id_for_ed25519(sender_ed25519, server_pk).map_err(invalid)?;
                let mut negated = *expected.key_bytes();
                negated[31] ^= 0x80;
                expected == *sender_id || negated == *sender_id.key_bytes()
            }
            Self::Blind25 => {
                blind25::id_for_session_id(sender, server_pk).map_err(invalid)? == *sender_id
            }
        })
    }
}

/// `BLAKE2b-32(s·other || sender || recipient)`, the symmetric key of a conversation.
fn shared_key(
    keypair: &Keypair,
    server_pk: &[u8; 32],
    blinding: Blinding,
    other: &[u8; 32],
    direction: Direction<'_>,
) -> Result<SymmetricKey, BlindedError> {
    let point = prime_order_point(other).ok_or(BlindedError::InvalidBlindedKey)?;
    let scalar = blinding.exchange_scalar(keypair, server_pk);
    // libsodium refuses an identity result; with a prime-order point only a zero scalar
    // gives one (never for a real key, but checked as libsodium does).
    if *scalar == Scalar::ZERO {
        return Err(BlindedError::InvalidBlindedKey);
    }
    let shared = Zeroizing::new((point * *scalar).compress().to_bytes());
    Ok(SymmetricKey::from_bytes(blake2b::hash::<32>(&[
        shared.as_ref(),
        direction.sender,
        direction.recipient,
    ])))
}

/// Decodes `bytes` as libsodium's `crypto_scalarmult_ed25519_noclamp` accepts points: a
/// canonical encoding of a point of the prime-order subgroup, not of small order.
fn prime_order_point(bytes: &[u8; 32]) -> Option<EdwardsPoint> {
    let point = CompressedEdwardsY(*bytes).decompress()?;
    let canonical = point.compress().to_bytes() == *bytes;
    (canonical && !point.is_small_order() && point.is_torsion_free()).then_some(point)
}

#[cfg(test)]
mod tests {
    use super::*;
    use session_identity::Seed;

    fn keys(byte: u8) -> Keypair {
        Seed::from_ed25519_seed(&[byte; 32]).keypair()
    }

    /// A `15` sender whose implementation normalised its blinded key to the other sign
    /// (negating both its blinded key and its exchange scalar) is recognised: the flip is on
    /// the sign bit. libsession's flip of byte 31 of the 33-byte ID would miss it.
    #[test]
    fn negated_blind15_sender_is_recognised() {
        let server = [3u8; 32];
        let (alice, bob) = (keys(1), keys(2));
        let bob15 = blind15::id(&bob, &server);
        let mut negated = *blind15::id(&alice, &server).key_bytes();
        negated[31] ^= 0x80;
        let alice15 = SessionId::new(IdPrefix::Blinded15, negated);

        // Encrypt as that sender: scalar -a, its negated key first in the hash.
        let a = Scalar::from_bytes_mod_order(*alice.x25519_secret().expose_secret());
        let point = prime_order_point(bob15.key_bytes()).unwrap();
        let shared = (point * -a).compress().to_bytes();
        let key =
            SymmetricKey::from_bytes(blake2b::hash::<32>(&[&shared, &negated, bob15.key_bytes()]));
        let nonce = [5u8; 24];
        let mut inner = b"hi".to_vec();
        inner.extend_from_slice(alice.ed25519_public());
        let mut message = vec![VERSION];
        message.extend(aead::xchacha20poly1305_encrypt(&key, &nonce, &[], &inner).unwrap());
        message.extend_from_slice(&nonce);

        let opened =
            decrypt_from_blinded_recipient(&bob, &server, &alice15, &bob15, &message).unwrap();
        assert_eq!(opened.sender, alice.session_id());
        assert_eq!(opened.plaintext, b"hi");

        // libsession's flip (index 31 of the 33-byte ID, i.e. key byte 30) would not match.
        let mut libsession_flip = *blind15::id(&alice, &server).key_bytes();
        libsession_flip[30] ^= 0x80;
        assert_ne!(libsession_flip, negated);
    }

    /// A message from `sender` (who encrypts correctly from its own blinded ID) carrying
    /// `inner_key` where its Ed25519 key belongs.
    fn with_inner_key(
        sender: &Keypair,
        server: &[u8; 32],
        recipient_id: &SessionId,
        inner_key: &[u8; 32],
    ) -> Vec<u8> {
        let own = blind15::id(sender, server);
        let direction = Direction {
            sender: own.key_bytes(),
            recipient: recipient_id.key_bytes(),
        };
        let key = shared_key(
            sender,
            server,
            Blinding::Blind15,
            recipient_id.key_bytes(),
            direction,
        )
        .unwrap();
        let nonce = [6u8; 24];
        let mut inner = b"hi".to_vec();
        inner.extend_from_slice(inner_key);
        let mut message = vec![VERSION];
        message.extend(aead::xchacha20poly1305_encrypt(&key, &nonce, &[], &inner).unwrap());
        message.extend_from_slice(&nonce);
        message
    }

    #[test]
    fn sender_inside_must_own_the_sender_id() {
        let server = [3u8; 32];
        let (alice, bob, mallory) = (keys(1), keys(2), keys(3));
        let bob15 = blind15::id(&bob, &server);
        let mallory15 = blind15::id(&mallory, &server);
        let decrypt = |message: &[u8]| {
            decrypt_from_blinded_recipient(&bob, &server, &mallory15, &bob15, message)
        };

        // Mallory's own key inside: accepted.
        let honest = with_inner_key(&mallory, &server, &bob15, mallory.ed25519_public());
        assert_eq!(decrypt(&honest).unwrap().sender, mallory.session_id());
        // Alice's key inside a message Mallory encrypted: refused.
        let forged = with_inner_key(&mallory, &server, &bob15, alice.ed25519_public());
        assert_eq!(decrypt(&forged), Err(BlindedError::SenderMismatch));
        // Not a key at all (the identity point).
        let mut identity = [0u8; 32];
        identity[0] = 1;
        let invalid = with_inner_key(&mallory, &server, &bob15, &identity);
        assert_eq!(decrypt(&invalid), Err(BlindedError::InvalidSenderKey));
    }

    #[test]
    fn rejects_invalid_blinded_keys() {
        let server = [3u8; 32];
        let alice = keys(1);
        // The identity, a small-order point and a non-canonical encoding.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        let mut non_canonical = [0xffu8; 32];
        non_canonical[0] = 0xee; // y = p + 1 (> p), top bit clear
        non_canonical[31] = 0x7f;
        for key in [identity, non_canonical, [0u8; 32]] {
            let id = SessionId::new(IdPrefix::Blinded15, key);
            assert_eq!(
                encrypt_for_blinded_recipient_with_nonce(&alice, &server, &id, b"x", &[0; 24]),
                Err(BlindedError::InvalidBlindedKey)
            );
        }
    }
}
