//! Property tests for the protocol's cryptography: padding in both layouts, 1:1 and blinded
//! messages round trip, and every way of breaking them gives its own error.

// Helpers outside `#[test]` functions: a malformed vector or fixture should stop the test loudly.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use session_crypto::{X25519Secret, sealed_box};
use session_identity::blinding::{blind15, blind25};
use session_identity::{IdPrefix, Keypair, Seed};
use session_protocol::blinded::{self, BlindedError};
use session_protocol::direct::{self, DecryptError};
use session_protocol::padding::{self, PaddingError, PaddingFormat};
use sha2::{Digest, Sha512};

fn any_keypair() -> impl Strategy<Value = Keypair> {
    prop_oneof![
        any::<[u8; 16]>().prop_map(|b| Seed::from_recovery_bytes(&b).keypair()),
        any::<[u8; 32]>().prop_map(|b| Seed::from_ed25519_seed(&b).keypair()),
    ]
}

fn any_format() -> impl Strategy<Value = PaddingFormat> {
    prop_oneof![Just(PaddingFormat::Current), Just(PaddingFormat::Legacy)]
}

/// Content that often ends in the bytes padding is made of.
fn any_content() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..500),
        proptest::collection::vec(prop_oneof![Just(0u8), Just(0x80u8), any::<u8>()], 0..400),
    ]
}

/// Seals `inner` (`M || A || SIG`, built by hand) to `recipient`.
fn seal_raw(recipient: &Keypair, inner: &[u8]) -> Vec<u8> {
    let ephemeral = X25519Secret::from_bytes([42; 32]);
    sealed_box::seal_with_ephemeral(&ephemeral, recipient.x25519_public(), inner).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn padding_round_trips_in_both_layouts(content in any_content(), format in any_format()) {
        let padded = format.pad(&content);
        prop_assert_eq!(Some(padded.len()), format.padded_len(content.len()));
        match format {
            PaddingFormat::Current => prop_assert_eq!(padded.len() % 160, 0),
            _ => prop_assert_eq!(padded.len() % 160, 159),
        }
        prop_assert!(padded.len() > content.len());
        prop_assert_eq!(padded[content.len()], 0x80);
        prop_assert_eq!(padding::unpad(&padded), Ok(&content[..]));
        prop_assert_eq!(PaddingFormat::identify(content.len(), padded.len()), Some(format));
    }

    #[test]
    fn unpadding_rejects_garbage(
        content in any_content(),
        format in any_format(),
        junk in 1u8..,
        zeros in 0usize..20,
    ) {
        // Non-zero bytes after the terminator.
        let mut padded = format.pad(&content);
        padded.push(junk);
        padded.extend(std::iter::repeat_n(0, zeros));
        let expected = if junk == 0x80 {
            // Another terminator: the first one and its zeros become content.
            Ok(&padded[..padded.len() - zeros - 1])
        } else {
            Err(PaddingError::BytesAfterTerminator { offset: content.len() + 1 })
        };
        prop_assert_eq!(padding::unpad(&padded), expected);

        // No terminator at all.
        let mut bare: Vec<u8> = content.iter().map(|&b| if b == 0x80 { 0x7f } else { b }).collect();
        bare.extend(std::iter::repeat_n(0, zeros));
        prop_assert_eq!(padding::unpad(&bare), Err(PaddingError::MissingTerminator));
    }

    #[test]
    fn direct_messages_round_trip(
        sender in any_keypair(),
        recipient in any_keypair(),
        content in any_content(),
        format in any_format(),
        rng_seed in any::<u64>(),
        eph_seed in any::<[u8; 32]>(),
    ) {
        let padded = format.pad(&content);
        let to = recipient.session_id();
        let mut rng = ChaCha20Rng::seed_from_u64(rng_seed);
        let sealed = [
            direct::encrypt_for_recipient(&mut rng, &sender, &to, &padded).unwrap(),
            direct::encrypt_for_recipient_deterministic(&sender, &to, &padded).unwrap(),
            direct::encrypt_for_recipient_with_ephemeral_seed(&sender, &to, &padded, &eph_seed)
                .unwrap(),
        ];
        for sealed in &sealed {
            prop_assert_eq!(sealed.len(), padded.len() + direct::OVERHEAD);
            let opened = direct::decrypt_incoming(&recipient, sealed).unwrap();
            prop_assert_eq!(opened.sender, sender.session_id());
            prop_assert_eq!(&opened.sender_ed25519, sender.ed25519_public());
            prop_assert_eq!(padding::unpad(&opened.plaintext), Ok(&content[..]));
        }
        // Deterministic means deterministic; the explicit seed is crypto_box_seed_keypair's.
        prop_assert_eq!(
            &sealed[1],
            &direct::encrypt_for_recipient_deterministic(&sender, &to, &padded).unwrap()
        );
        let digest = Sha512::digest(eph_seed);
        let eph = X25519Secret::from_bytes(digest[..32].try_into().unwrap());
        prop_assert_eq!(&sealed[2][..32], &eph.public_key()[..]);
    }

    #[test]
    fn direct_message_failures_are_told_apart(
        sender in any_keypair(),
        recipient in any_keypair(),
        other in any_keypair(),
        content in any_content(),
        format in any_format(),
        flip in any::<prop::sample::Index>(),
        bit in 0u8..8,
        cut in any::<prop::sample::Index>(),
        junk in proptest::collection::vec(any::<u8>(), 1..=160),
    ) {
        prop_assume!(other.session_id() != recipient.session_id());
        let padded = format.pad(&content);
        let sealed =
            direct::encrypt_for_recipient_deterministic(&sender, &recipient.session_id(), &padded)
                .unwrap();

        // A different recipient cannot open it.
        prop_assert_eq!(direct::decrypt_incoming(&other, &sealed), Err(DecryptError::OpenFailed));

        // Any flipped bit breaks the box.
        let mut tampered = sealed.clone();
        tampered[flip.index(sealed.len())] ^= 1 << bit;
        prop_assert_eq!(direct::decrypt_incoming(&recipient, &tampered), Err(DecryptError::OpenFailed));

        // Cut below the framing: truncated; cut above it: the box no longer opens.
        let len = cut.index(sealed.len());
        let expected = if len < direct::OVERHEAD {
            DecryptError::Truncated { len }
        } else {
            DecryptError::OpenFailed
        };
        prop_assert_eq!(direct::decrypt_incoming(&recipient, &sealed[..len]), Err(expected));

        // Junk after the box.
        let mut extended = sealed.clone();
        extended.extend_from_slice(&junk);
        prop_assert_eq!(
            direct::decrypt_incoming(&recipient, &extended),
            Err(DecryptError::TrailingJunk { extra: junk.len() })
        );

        // A box that opens but whose signature does not verify: a flipped signature bit, or a
        // signature made for someone else, re-sealed to the recipient.
        let mut inner = padded.clone();
        inner.extend_from_slice(sender.ed25519_public());
        inner.extend_from_slice(other.x25519_public());
        let signed_for_other = sender.sign(&inner);
        inner.truncate(padded.len() + 32);
        let mut bad_sig = inner.clone();
        bad_sig.extend_from_slice(&signed_for_other);
        prop_assert_eq!(
            direct::decrypt_incoming(&recipient, &seal_raw(&recipient, &bad_sig)),
            Err(DecryptError::InvalidSignature)
        );
        let mut opened_inner = sealed_box::open(recipient.x25519_secret(), &sealed).unwrap();
        let last = opened_inner.len() - 1;
        opened_inner[last] ^= 1 << bit;
        prop_assert_eq!(
            direct::decrypt_incoming(&recipient, &seal_raw(&recipient, &opened_inner)),
            Err(DecryptError::InvalidSignature)
        );

        // A sender key that is not a key: here of small order (the identity).
        let mut identity = [0u8; 32];
        identity[0] = 1;
        let mut bad_key = padded.clone();
        bad_key.extend_from_slice(&identity);
        bad_key.extend_from_slice(&signed_for_other);
        prop_assert_eq!(
            direct::decrypt_incoming(&recipient, &seal_raw(&recipient, &bad_key)),
            Err(DecryptError::InvalidSenderKey)
        );
    }

    #[test]
    fn blinded_messages_round_trip_both_ways(
        sender in any_keypair(),
        recipient in any_keypair(),
        stranger in any_keypair(),
        server in any::<[u8; 32]>(),
        content in any_content(),
        rng_seed in any::<u64>(),
        flip in any::<prop::sample::Index>(),
        cut in 0usize..blinded::OVERHEAD,
    ) {
        prop_assume!(stranger.session_id() != recipient.session_id());
        prop_assume!(stranger.session_id() != sender.session_id());
        let padded = padding::pad(&content);
        let mut rng = ChaCha20Rng::seed_from_u64(rng_seed);
        let pairs = [
            (blind15::id(&sender, &server), blind15::id(&recipient, &server)),
            (blind25::id(&sender, &server), blind25::id(&recipient, &server)),
        ];
        for (from, to) in pairs {
            let sealed =
                blinded::encrypt_for_blinded_recipient(&mut rng, &sender, &server, &to, &padded)
                    .unwrap();
            prop_assert_eq!(sealed.len(), padded.len() + blinded::OVERHEAD);
            // The recipient reads it; so does the sender, from its outgoing copy.
            for reader in [&recipient, &sender] {
                let opened =
                    blinded::decrypt_from_blinded_recipient(reader, &server, &from, &to, &sealed)
                        .unwrap();
                prop_assert_eq!(opened.sender, sender.session_id());
                prop_assert_eq!(&opened.plaintext, &padded);
            }
            // And the reply goes the other way.
            let reply =
                blinded::encrypt_for_blinded_recipient(&mut rng, &recipient, &server, &from, b"re")
                    .unwrap();
            let opened =
                blinded::decrypt_from_blinded_recipient(&sender, &server, &to, &from, &reply)
                    .unwrap();
            prop_assert_eq!(opened.sender, recipient.session_id());
            prop_assert_eq!(opened.plaintext, b"re");

            let decrypt = |bytes: &[u8], who: &Keypair| {
                blinded::decrypt_from_blinded_recipient(who, &server, &from, &to, bytes)
            };
            // Someone else's key: not a party to it.
            prop_assert_eq!(decrypt(&sealed, &stranger), Err(BlindedError::NotAParticipant));
            // Tampering anywhere past the version byte breaks the tag.
            let mut tampered = sealed.clone();
            let at = 1 + flip.index(sealed.len() - 1);
            tampered[at] ^= 0x80;
            prop_assert_eq!(decrypt(&tampered, &recipient), Err(BlindedError::DecryptionFailed));
            // Another version, a truncation below the framing, junk after the nonce.
            let mut versioned = sealed.clone();
            versioned[0] = 1;
            prop_assert_eq!(decrypt(&versioned, &recipient), Err(BlindedError::UnsupportedVersion(1)));
            prop_assert_eq!(decrypt(&sealed[..cut], &recipient), Err(BlindedError::Truncated { len: cut }));
            let mut extended = sealed.clone();
            extended.push(0);
            prop_assert_eq!(decrypt(&extended, &recipient), Err(BlindedError::DecryptionFailed));
        }

        // Sender and recipient must use the same blinding.
        let mixed = blinded::decrypt_from_blinded_recipient(
            &recipient,
            &server,
            &blind15::id(&sender, &server),
            &blind25::id(&recipient, &server),
            &[0; 100],
        );
        prop_assert_eq!(
            mixed,
            Err(BlindedError::MismatchedPrefixes {
                sender: IdPrefix::Blinded15,
                recipient: IdPrefix::Blinded25,
            })
        );
    }
}

#[test]
fn direct_recipient_must_be_a_05_id() {
    let alice = Seed::from_ed25519_seed(&[1; 32]).keypair();
    let blinded = blind15::id(&alice, &[2; 32]);
    assert!(matches!(
        direct::encrypt_for_recipient_deterministic(&alice, &blinded, b"x"),
        Err(direct::EncryptError::WrongRecipientPrefix { .. })
    ));
}
