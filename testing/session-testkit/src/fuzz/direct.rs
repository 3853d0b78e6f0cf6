//! One-to-one messages: sealed to a Session ID, or sent through a community inbox between
//! blinded IDs.

use std::sync::LazyLock;

use session_crypto::convert;
use session_identity::blinding::{blind15, blind25, session_id_matches_blinded_id};
use session_identity::{IdPrefix, Keypair, SessionId};
use session_protocol::blinded::{self, BlindedError};
use session_protocol::direct::{self, DecryptError};
use session_protocol::message::Message;

use super::{SERVER_PUBKEY, message, recipient, sender};

/// `direct::decrypt_incoming` of the bytes by [`recipient`](super::recipient).
///
/// Input shorter than the 144-byte overhead is refused as truncated, and only such input. A
/// decrypted message is exactly 144 bytes shorter than the input and comes from a `05`
/// Session ID that is the X25519 form of the Ed25519 key that signed it. When trailing junk
/// is reported, the input without it is a box that opens (it decrypts, or fails only on
/// the sender's key or signature). A decrypted plaintext goes on through
/// [`unpad`](super::unpad)'s and [`content_decode`](super::content_decode)'s checks.
pub fn direct_decrypt(data: &[u8]) {
    let _ = check_direct(data);
}

/// [`direct_decrypt`]'s checks; returns the message inside if there is one.
pub(super) fn check_direct(data: &[u8]) -> Option<Message> {
    let me = recipient();
    match direct::decrypt_incoming(me, data) {
        Ok(decrypted) => {
            assert_eq!(decrypted.plaintext.len() + direct::OVERHEAD, data.len());
            check_sender(&decrypted.sender, &decrypted.sender_ed25519);
            message::check_content(message::check_unpad(&decrypted.plaintext)?)
        }
        Err(DecryptError::Truncated { len }) => {
            assert_eq!(len, data.len());
            assert!(len < direct::OVERHEAD, "{len} bytes refused as truncated");
            None
        }
        Err(DecryptError::TrailingJunk { extra }) => {
            assert!((1..=160).contains(&extra), "{extra} bytes of junk");
            let boxed = data
                .len()
                .checked_sub(extra)
                .filter(|&len| len >= direct::OVERHEAD)
                .expect("junk leaves a whole box");
            match direct::decrypt_incoming(me, &data[..boxed]) {
                Ok(_) | Err(DecryptError::InvalidSenderKey | DecryptError::InvalidSignature) => {}
                Err(e) => panic!("the box before the junk does not open: {e:?}"),
            }
            None
        }
        Err(e) => {
            assert!(data.len() >= direct::OVERHEAD, "{e:?} for a truncated box");
            None
        }
    }
}

/// A decrypted message's sender: a `05` ID, the X25519 form of its Ed25519 key.
fn check_sender(sender: &SessionId, sender_ed25519: &[u8; 32]) {
    assert_eq!(sender.prefix(), IdPrefix::Standard, "sender is not a 05 ID");
    assert!(sender.to_string().starts_with("05"));
    let x25519 =
        convert::ed25519_pk_to_x25519(sender_ed25519).expect("an accepted sender key converts");
    assert_eq!(sender.key_bytes(), &x25519, "sender ID is not the signer's");
}

/// [`recipient`]'s blinded IDs on [`SERVER_PUBKEY`]: `15`, then `25`.
fn own_blinded_ids() -> &'static [SessionId; 2] {
    static IDS: LazyLock<[SessionId; 2]> = LazyLock::new(|| {
        [
            blind15::id(recipient(), &SERVER_PUBKEY),
            blind25::id(recipient(), &SERVER_PUBKEY),
        ]
    });
    &IDS
}

/// [`blinded_decrypt`]'s flag bits (the first byte of the input).
mod flags {
    /// The conversation uses `25` IDs (else `15`).
    pub(super) const BLIND25: u8 = 1;
    /// The message is our own outgoing copy: we are the sender, the other party the
    /// recipient (else the other party is the sender).
    pub(super) const OUTGOING: u8 = 2;
    /// The other party's ID has the other blinding's prefix.
    pub(super) const MISMATCHED: u8 = 4;
    /// Our own ID is replaced by the other party's: we are not in the conversation.
    pub(super) const NOT_A_PARTY: u8 = 8;
    /// The other party's ID has the `05` prefix.
    pub(super) const UNBLINDED: u8 = 16;
}

/// `blinded::decrypt_from_blinded_recipient` by [`recipient`](super::recipient) on the
/// server [`SERVER_PUBKEY`](super::SERVER_PUBKEY). The input is `flags (1) || the other
/// party's blinded key (32) || ciphertext`; the flag bits (1: `25` rather than `15` IDs,
/// 2: our own outgoing copy, 4: the other party's ID uses the other blinding, 8: we are not
/// a party, 16: the other party's ID is a `05` ID) choose the sender and recipient IDs.
///
/// Truncation (under 73 bytes) and a version byte other than 0 are reported as such, after
/// the ID checks. A decrypted message is 73 bytes shorter than the ciphertext, comes from a
/// `05` ID that is the X25519 form of the Ed25519 key inside, and that ID blinds to the
/// claimed sender ID (`session_id_matches_blinded_id`). When the key inside is
/// [`sender`](super::sender)'s or our own and the claimed sender ID is that key's own
/// blinded ID, encrypting the plaintext again with the nonce at the end gives back exactly
/// the ciphertext. The plaintext then goes through [`unpad`](super::unpad)'s and
/// [`content_decode`](super::content_decode)'s checks.
pub fn blinded_decrypt(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Some((other_key, ciphertext)) = rest.split_first_chunk::<32>() else {
        return;
    };
    let blind25 = flags & flags::BLIND25 != 0;
    let own = own_blinded_ids()[usize::from(blind25)];
    let other_prefix = if flags & flags::UNBLINDED != 0 {
        IdPrefix::Standard
    } else if blind25 == (flags & flags::MISMATCHED != 0) {
        IdPrefix::Blinded15
    } else {
        IdPrefix::Blinded25
    };
    let other = SessionId::new(other_prefix, *other_key);
    // With our own key as the other party's, we are a party after all.
    let excluded = flags & flags::NOT_A_PARTY != 0 && other_key != own.key_bytes();
    let own = if excluded {
        SessionId::new(own.prefix(), *other_key)
    } else {
        own
    };
    let (sender_id, recipient_id) = if flags & flags::OUTGOING != 0 {
        (own, other)
    } else {
        (other, own)
    };

    let result = blinded::decrypt_from_blinded_recipient(
        recipient(),
        &SERVER_PUBKEY,
        &sender_id,
        &recipient_id,
        ciphertext,
    );
    let prefixes_ok = flags & (flags::UNBLINDED | flags::MISMATCHED) == 0;
    match result {
        Ok(decrypted) => {
            assert!(prefixes_ok && !excluded);
            assert_eq!(
                decrypted.plaintext.len() + blinded::OVERHEAD,
                ciphertext.len()
            );
            check_sender(&decrypted.sender, &decrypted.sender_ed25519);
            assert_eq!(
                session_id_matches_blinded_id(&decrypted.sender, &sender_id, &SERVER_PUBKEY),
                Ok(true),
                "the sender inside does not own the sender ID"
            );
            check_blinded_reencryption(
                &decrypted.sender_ed25519,
                &sender_id,
                &recipient_id,
                &decrypted.plaintext,
                ciphertext,
            );
            if let Some(content) = message::check_unpad(&decrypted.plaintext) {
                let _ = message::check_content(content);
            }
        }
        Err(BlindedError::WrongPrefix { found }) => {
            assert_eq!(found, IdPrefix::Standard);
            assert!(flags & flags::UNBLINDED != 0);
        }
        Err(BlindedError::MismatchedPrefixes { .. }) => {
            assert!(flags & flags::MISMATCHED != 0);
        }
        Err(BlindedError::Truncated { len }) => {
            assert!(prefixes_ok);
            assert_eq!(len, ciphertext.len());
            assert!(len < blinded::OVERHEAD);
        }
        Err(BlindedError::UnsupportedVersion(version)) => {
            assert!(prefixes_ok && ciphertext.len() >= blinded::OVERHEAD);
            assert_eq!(version, ciphertext[0]);
            assert_ne!(version, blinded::VERSION);
        }
        Err(e) => {
            assert!(
                prefixes_ok && ciphertext.len() >= blinded::OVERHEAD,
                "{e:?}"
            );
            assert_eq!(ciphertext[0], blinded::VERSION, "{e:?}");
            if e == BlindedError::NotAParticipant {
                assert!(excluded);
            }
        }
    }
}

/// If the sender inside is a party whose keys we hold and the sender ID is its own blinded
/// ID, re-encrypting must reproduce the ciphertext exactly (the nonce is its last 24 bytes).
fn check_blinded_reencryption(
    sender_ed25519: &[u8; 32],
    sender_id: &SessionId,
    recipient_id: &SessionId,
    plaintext: &[u8],
    ciphertext: &[u8],
) {
    let Some(keypair) = [sender(), recipient()]
        .into_iter()
        .find(|keypair| keypair.ed25519_public() == sender_ed25519)
    else {
        return;
    };
    if blinded_id(keypair, sender_id.prefix()) != *sender_id {
        return;
    }
    let nonce = ciphertext
        .last_chunk::<24>()
        .expect("a decrypted message has a nonce");
    let again = blinded::encrypt_for_blinded_recipient_with_nonce(
        keypair,
        &SERVER_PUBKEY,
        recipient_id,
        plaintext,
        nonce,
    )
    .expect("a decrypted message encrypts again");
    assert_eq!(again, ciphertext, "re-encryption differs");
}

/// `keypair`'s blinded ID with `prefix` (`15` or `25`) on [`SERVER_PUBKEY`].
fn blinded_id(keypair: &Keypair, prefix: IdPrefix) -> SessionId {
    if prefix == IdPrefix::Blinded25 {
        blind25::id(keypair, &SERVER_PUBKEY)
    } else {
        blind15::id(keypair, &SERVER_PUBKEY)
    }
}
