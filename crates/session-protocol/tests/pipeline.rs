//! The send and receive pipelines (`outgoing`, `incoming`): round trips in both framings,
//! determinism, the legacy framing byte for byte against an expectation assembled by hand,
//! tampering with every byte of stored data, and the wrong recipient.

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use session_identity::{Keypair, Seed, SessionId};
use session_protocol::direct::{self, DecryptError};
use session_protocol::envelope::{self, EnvelopeFormat, ProSignature, TimestampError};
use session_protocol::hash::{compute_message_hash, compute_message_hash_base64};
use session_protocol::message::{
    Message, MessageKind, Reaction, ReactionAction, ReadReceipt, TypingAction, VisibleMessage,
    namespace, ttl,
};
use session_protocol::outgoing::OutgoingMessage;
use session_protocol::{IncomingError, OutgoingError, Received, incoming, outgoing, padding};
use sha2::{Digest, Sha512};

const FORMATS: [EnvelopeFormat; 2] = [EnvelopeFormat::Current, EnvelopeFormat::Legacy];
const NOW_MS: u64 = 1_700_000_000_000;
const EPH_SEED: [u8; 32] = [0xe5; 32];
const DECOY: [u8; 64] = [0xd0; 64];

fn alice() -> Keypair {
    Seed::from_ed25519_seed(&[0xa1; 32]).keypair()
}

fn bob() -> Keypair {
    Seed::from_ed25519_seed(&[0xb0; 32]).keypair()
}

fn text(body: &str) -> Message {
    Message::new(VisibleMessage::text(body), NOW_MS)
}

fn send(message: &Message, format: EnvelopeFormat) -> OutgoingMessage {
    outgoing::encrypt_with_seed(
        message,
        &alice(),
        &bob().session_id(),
        NOW_MS,
        format,
        &EPH_SEED,
        &DECOY,
    )
    .expect("encrypts")
}

#[test]
fn round_trips_in_both_formats() {
    let (alice, bob) = (alice(), bob());
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let messages = [
        text("hi"),
        text(&"long ".repeat(100)),
        Message::new(
            Reaction::new(NOW_MS - 5, alice.session_id(), "👍", ReactionAction::React),
            NOW_MS,
        ),
        Message::new(ReadReceipt::new(vec![NOW_MS - 1, NOW_MS - 2]), NOW_MS),
        Message::typing(TypingAction::Started, NOW_MS),
    ];
    for format in FORMATS {
        for message in &messages {
            let sent =
                outgoing::encrypt(&mut rng, message, &alice, &bob.session_id(), NOW_MS, format)
                    .unwrap();
            assert_eq!(sent.format, format);
            assert_eq!(sent.timestamp_ms, NOW_MS);
            assert_eq!(sent.ttl, message.ttl());
            assert_eq!(sent.namespace, message.namespace());
            assert_eq!(sent.content, message.encode());
            assert_eq!(envelope::from_base64(&sent.data_base64).unwrap(), sent.data);

            for received in [
                incoming::decrypt(&bob, &sent.data).unwrap(),
                incoming::decrypt_base64(&bob, &sent.data_base64).unwrap(),
            ] {
                assert_eq!(received.sender, alice.session_id());
                assert_eq!(received.sender_ed25519, *alice.ed25519_public());
                assert_eq!(received.format, format);
                assert_eq!(received.envelope_timestamp, NOW_MS);
                assert_eq!(&received.message, message);
                assert_eq!(received.content, sent.content);
            }
        }
    }
}

#[test]
fn ttl_namespace_and_hash() {
    let recipient = bob().session_id();
    for format in FORMATS {
        let sent = send(&text("hi"), format);
        assert_eq!(sent.ttl, ttl::CONTENT_TTL);
        assert_eq!(sent.namespace, namespace::DEFAULT);
        // The storage server hashes the stored bytes (base64 decoded) under the recipient.
        assert_eq!(sent.hash, compute_message_hash(&recipient, 0, &sent.data));
        assert_eq!(
            sent.hash,
            compute_message_hash_base64(&recipient, 0, &sent.data_base64).unwrap()
        );
        let typing = send(&Message::typing(TypingAction::Stopped, NOW_MS), format);
        assert_eq!(typing.ttl, ttl::TYPING_TTL);
    }
}

#[test]
fn same_seeds_same_bytes() {
    for format in FORMATS {
        let first = send(&text("hi"), format);
        let second = send(&text("hi"), format);
        assert_eq!(first, second);

        // Each seed reaches the output where its format uses it.
        let other_eph = outgoing::encrypt_with_seed(
            &text("hi"),
            &alice(),
            &bob().session_id(),
            NOW_MS,
            format,
            &[0xe6; 32],
            &DECOY,
        )
        .unwrap();
        assert_ne!(other_eph.data, first.data);
        let other_decoy = outgoing::encrypt_with_seed(
            &text("hi"),
            &alice(),
            &bob().session_id(),
            NOW_MS,
            format,
            &EPH_SEED,
            &[0xd1; 64],
        )
        .unwrap();
        assert_eq!(
            other_decoy.data == first.data,
            format == EnvelopeFormat::Legacy,
            "only the current format carries the decoy"
        );
    }
}

#[test]
fn rng_version_draws_the_seed_then_the_decoy() {
    let mut rng = ChaCha20Rng::seed_from_u64(42);
    let mut draws = ChaCha20Rng::seed_from_u64(42);
    let mut seed = [0u8; 32];
    let mut decoy = [0u8; 64];
    rand::Rng::fill_bytes(&mut draws, &mut seed);
    rand::Rng::fill_bytes(&mut draws, &mut decoy);
    let message = text("hi");
    let (alice, to) = (alice(), bob().session_id());
    let format = EnvelopeFormat::Current;
    assert_eq!(
        outgoing::encrypt(&mut rng, &message, &alice, &to, NOW_MS, format).unwrap(),
        outgoing::encrypt_with_seed(&message, &alice, &to, NOW_MS, format, &seed, &decoy).unwrap()
    );
}

/// The legacy framing of "hi" at `NOW_MS`, assembled here field by field.
///
/// - `Content`: `dataMessage{body "hi"}` (field 1), `expirationType` 0 (12) and
///   `expirationTimer` 0 (13), which visible messages always carry, and `sigTimestamp` (15);
///   17 bytes. Keys are `(field << 3) | wire type`; the timestamp varint is
///   `80 d0 95 ff bc 31`.
/// - Legacy padding: the content, `0x80`, then zeros to `ceil((17 + 2) / 160) * 160 - 1`
///   = 159 bytes.
/// - The sealed box of [`direct::encrypt_for_recipient_with_ephemeral_seed`] (pinned to
///   libsession's vectors in `crypto_vectors.rs`): 144 + 159 = 303 bytes, starting with the
///   ephemeral public key, checked here to be X25519 of the first 32 bytes of SHA-512(seed).
/// - `Envelope{type 6, timestamp, content}`: 2 + 7 + 3 + 303 = 315 bytes (303 = varint
///   `af 02`).
/// - `WebSocketRequestMessage{verb "PUT", path "/api/v1/message", body, requestId 0}`:
///   5 + 17 + 3 + 315 + 2 = 342 bytes (315 = `bb 02`), inside
///   `WebSocketMessage{type REQUEST, request}`: 2 + 3 + 342 = 347 bytes (342 = `d6 02`).
#[test]
fn legacy_format_matches_the_hand_assembled_bytes() {
    let (alice, bob) = (alice(), bob());
    let sent = send(&text("hi"), EnvelopeFormat::Legacy);

    let content = [
        &[0x0a, 0x04][..],                           // 1 dataMessage, 4 bytes
        &[0x0a, 0x02, b'h', b'i'],                   //   1 body "hi"
        &[0x60, 0x00],                               // 12 expirationType 0
        &[0x68, 0x00],                               // 13 expirationTimer 0
        &[0x78, 0x80, 0xd0, 0x95, 0xff, 0xbc, 0x31], // 15 sigTimestamp
    ]
    .concat();
    assert_eq!(content.len(), 17);
    assert_eq!(sent.content, content);

    let mut padded = content.clone();
    padded.push(0x80);
    padded.resize(159, 0);
    assert_eq!(padded, padding::pad_legacy(&content));

    let sealed = direct::encrypt_for_recipient_with_ephemeral_seed(
        &alice,
        &bob.session_id(),
        &padded,
        &EPH_SEED,
    )
    .unwrap();
    assert_eq!(sealed.len(), 303);
    let mut eph_secret = [0u8; 32];
    eph_secret.copy_from_slice(&Sha512::digest(EPH_SEED)[..32]);
    assert_eq!(
        sealed[..32],
        x25519_dalek::x25519(eph_secret, x25519_dalek::X25519_BASEPOINT_BYTES)
    );

    let envelope = [
        &[0x08, 0x06][..],                           // 1 type SESSION_MESSAGE
        &[0x28, 0x80, 0xd0, 0x95, 0xff, 0xbc, 0x31], // 5 timestamp
        &[0x42, 0xaf, 0x02],                         // 8 content, 303 bytes
        &sealed,
    ]
    .concat();
    assert_eq!(envelope.len(), 315);
    assert_eq!(sent.envelope, envelope);

    let request = [
        &[0x0a, 0x03][..], // 1 verb
        b"PUT",
        &[0x12, 0x0f], // 2 path
        b"/api/v1/message",
        &[0x1a, 0xbb, 0x02], // 3 body, 315 bytes
        &envelope,
        &[0x20, 0x00], // 4 requestId 0
    ]
    .concat();
    assert_eq!(request.len(), 342);
    let data = [
        &[0x08, 0x01][..],   // 1 type REQUEST
        &[0x12, 0xd6, 0x02], // 2 request, 342 bytes
        &request,
    ]
    .concat();
    assert_eq!(data.len(), 347);
    assert_eq!(hex::encode(&sent.data), hex::encode(&data));
    assert_eq!(sent.data_base64, envelope::to_base64(&data));
    assert_eq!(sent.hash, compute_message_hash(&bob.session_id(), 0, &data));
}

#[test]
fn current_format_is_the_pieces_put_together() {
    let (alice, bob) = (alice(), bob());
    let sent = send(&text("hi"), EnvelopeFormat::Current);
    let sealed = direct::encrypt_for_recipient_with_ephemeral_seed(
        &alice,
        &bob.session_id(),
        &padding::pad(&text("hi").encode()),
        &EPH_SEED,
    )
    .unwrap();
    let data = envelope::wrap(&sealed, NOW_MS, &ProSignature::decoy(&DECOY));
    assert_eq!(sent.data, data);
    assert!(data.ends_with(&[&sent.envelope[..], &[0x20, 0x00]].concat()));
    let unwrapped = envelope::unwrap(&data).unwrap();
    assert_eq!(unwrapped.content, sealed);
    assert_eq!(
        unwrapped.pro_sig,
        Some(ProSignature::decoy(&DECOY).to_bytes())
    );
}

/// Flips every bit of every byte of a small stored message, one at a time.
///
/// What the protocol authenticates (see `incoming`'s documentation) must fail: any change
/// inside the envelope other than its `sourceDevice` and `proSig` fields. Changes outside it
/// (the `WebSocketMessage` framing) and to those two fields are not authenticated and may be
/// accepted, but never change the sender, the timestamp or the message. They may change the
/// reported format, which is read from the unauthenticated verb and path: a flipped bit in
/// the empty verb's length makes it non-empty, which reads as the legacy framing. Both sets
/// are checked.
#[test]
fn tampering_with_any_byte_fails_or_changes_nothing() {
    let bob = bob();
    for format in FORMATS {
        let sent = send(&text("hi"), format);
        let original = incoming::decrypt(&bob, &sent.data).unwrap();
        let data = &sent.data;

        // The envelope is the request body, followed only by `requestId` (2 bytes).
        let envelope_end = data.len() - 2;
        let envelope_start = envelope_end - sent.envelope.len();
        assert_eq!(data[envelope_start..envelope_end], sent.envelope);
        // Its unauthenticated fields: `sourceDevice` (key and value, after the 2 bytes of
        // type and 7 of timestamp) and `proSig` (key, length and 64 bytes, last), current
        // format only.
        let unauthenticated = match format {
            EnvelopeFormat::Current => vec![
                envelope_start + 9..envelope_start + 11,
                envelope_end - 66..envelope_end,
            ],
            _ => vec![],
        };
        if format == EnvelopeFormat::Current {
            assert_eq!(data[envelope_start + 9..envelope_start + 11], [0x38, 0x01]);
            assert_eq!(data[envelope_end - 66..envelope_end - 64], [0x5a, 0x40]);
        }
        let authenticated = |position: usize| {
            (envelope_start..envelope_end).contains(&position)
                && !unauthenticated
                    .iter()
                    .any(|range| range.contains(&position))
        };

        let (mut rejected, mut accepted, mut reframed) = (0, 0, 0);
        for position in 0..data.len() {
            for bit in 0..8 {
                let mut tampered = data.clone();
                tampered[position] ^= 1 << bit;
                let result = incoming::decrypt(&bob, &tampered);
                match &result {
                    Err(_) => rejected += 1,
                    Ok(received) => {
                        accepted += 1;
                        assert!(
                            !authenticated(position),
                            "{format:?}: bit {bit} of byte {position} changed undetected"
                        );
                        let what = |r: &Received| {
                            (
                                r.sender,
                                r.sender_ed25519,
                                r.envelope_timestamp,
                                r.message.clone(),
                                r.content.clone(),
                            )
                        };
                        assert_eq!(
                            what(received),
                            what(&original),
                            "{format:?}: byte {position}"
                        );
                        if received.format != original.format {
                            assert!(position < envelope_start, "byte {position}");
                            reframed += 1;
                        }
                    }
                }
                // The base64 form reads alike (checked for one bit per byte: it is slow).
                if bit == 0 {
                    let text = envelope::to_base64(&tampered);
                    assert_eq!(incoming::decrypt_base64(&bob, &text), result);
                }
            }
        }
        assert_eq!(rejected + accepted, 8 * data.len());
        println!(
            "{format:?}: {} bytes, {rejected} single-bit changes rejected, {accepted} accepted \
             (unauthenticated framing; {reframed} of them read as the other format)",
            data.len()
        );
    }
}

#[test]
fn errors_of_each_step() {
    let (alice, bob) = (alice(), bob());
    let carol = Seed::from_ed25519_seed(&[0xc0; 32]).keypair();
    for format in FORMATS {
        let sent = send(&text("hi"), format);
        // Sealed to Bob: nobody else opens it, the sender included.
        for wrong in [&carol, &alice] {
            assert_eq!(
                incoming::decrypt(wrong, &sent.data),
                Err(IncomingError::Decrypt(DecryptError::OpenFailed))
            );
        }
        assert!(matches!(
            incoming::decrypt_base64(&bob, "not base64!"),
            Err(IncomingError::Envelope(_))
        ));
        assert!(matches!(
            incoming::decrypt(&bob, &sent.envelope),
            Err(IncomingError::Envelope(_))
        ));

        // A genuine message re-framed with another envelope timestamp.
        let sealed = envelope::unwrap(&sent.data).unwrap().content;
        let reframed = envelope::wrap_as(format, &sealed, NOW_MS + 1, &ProSignature::decoy(&DECOY));
        assert_eq!(
            incoming::decrypt(&bob, &reframed),
            Err(IncomingError::Timestamp(
                TimestampError::SigTimestampMismatch {
                    envelope_ms: NOW_MS + 1,
                    content_ms: NOW_MS
                }
            ))
        );
    }

    // Padding and content errors: sealed correctly, but not a padded Content inside.
    let to = bob.session_id();
    let unpadded =
        direct::encrypt_for_recipient_with_ephemeral_seed(&alice, &to, b"hi", &EPH_SEED).unwrap();
    assert!(matches!(
        incoming::decrypt(&bob, &envelope::wrap_legacy(&unpadded, NOW_MS)),
        Err(IncomingError::Padding(_))
    ));
    let garbage = padding::pad(&[0xff; 8]);
    let sealed =
        direct::encrypt_for_recipient_with_ephemeral_seed(&alice, &to, &garbage, &EPH_SEED)
            .unwrap();
    assert!(matches!(
        incoming::decrypt(&bob, &envelope::wrap_legacy(&sealed, NOW_MS)),
        Err(IncomingError::Content(_))
    ));
}

#[test]
fn sending_refuses_what_receivers_drop() {
    let (alice, to) = (alice(), bob().session_id());
    let late = Message::new(VisibleMessage::text("hi"), NOW_MS - 1);
    assert!(matches!(
        outgoing::encrypt_with_seed(
            &late,
            &alice,
            &to,
            NOW_MS,
            EnvelopeFormat::Current,
            &EPH_SEED,
            &DECOY
        ),
        Err(OutgoingError::Timestamp(_))
    ));
    let blinded = SessionId::new(session_identity::IdPrefix::Blinded15, [9; 32]);
    assert!(matches!(
        outgoing::encrypt_with_seed(
            &text("hi"),
            &alice,
            &blinded,
            NOW_MS,
            EnvelopeFormat::Current,
            &EPH_SEED,
            &DECOY
        ),
        Err(OutgoingError::Encrypt(_))
    ));
    // The kind survives the trip.
    let sent = send(
        &Message::typing(TypingAction::Started, NOW_MS),
        EnvelopeFormat::Current,
    );
    let received = incoming::decrypt(&bob(), &sent.data).unwrap();
    assert!(matches!(received.message.kind, MessageKind::Typing(_)));
}
