//! Known-answer vectors for the protocol's cryptography: libsession-util's
//! `session_encrypt.json` (every case) and the storage server's `message_hash.json`,
//! asserted byte for byte; error cases must give the typed error.

// Helpers outside `#[test]` functions: a malformed vector or fixture should stop the test loudly.
#![allow(clippy::unwrap_used)]

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use serde_json::Value;
use session_identity::blinding::{blind15, blind25};
use session_identity::{IdPrefix, Keypair, Seed, SessionId, SessionIdError};
use session_protocol::blinded::{self, BlindedError};
use session_protocol::direct::{self, DecryptError};
use session_protocol::hash::{compute_message_hash, compute_message_hash_base64};
use session_protocol::ons::{OnsError, decrypt_ons_response};
use session_protocol::push::{PushError, decrypt_push_notification};
use session_testkit::{VectorFile, hex_array, hex_field, str_field};

fn keypair(case: &Value, field: &str) -> Keypair {
    Seed::from_ed25519_seed(&hex_array(case, field)).keypair()
}

/// A field given either as `<key>_hex` or `<key>_utf8`.
fn bytes(case: &Value, key: &str) -> Vec<u8> {
    match case[format!("{key}_utf8")].as_str() {
        Some(text) => text.as_bytes().to_vec(),
        None => hex_field(case, &format!("{key}_hex")),
    }
}

fn session_id(case: &Value, field: &str) -> SessionId {
    str_field(case, field).parse().unwrap()
}

fn namespace(case: &Value) -> i16 {
    i16::try_from(case["namespace"].as_i64().unwrap()).unwrap()
}

/// libsession's `encrypt_for_recipient_deterministic`: exact ciphertext, and decryption.
fn deterministic_dm(case: &Value) {
    let sender = keypair(case, "sender_ed25519_seed_hex");
    assert_eq!(
        sender.ed25519_public(),
        &hex_array(case, "sender_ed25519_pubkey_hex")
    );
    assert_eq!(
        *sender.libsodium_secret_key(),
        hex_array::<64>(case, "sender_ed25519_secretkey64_hex")
    );
    let recipient = keypair(case, "recipient_ed25519_seed_hex");
    let recipient_id = session_id(case, "recipient_session_id");
    assert_eq!(recipient.session_id(), recipient_id);
    let message = str_field(case, "message_utf8").as_bytes();

    let sealed =
        direct::encrypt_for_recipient_deterministic(&sender, &recipient_id, message).unwrap();
    assert_eq!(sealed, hex_field(case, "expected_ciphertext_hex"));
    assert_eq!(
        sealed.len() as u64,
        case["expected_ciphertext_len"].as_u64().unwrap()
    );

    // decrypt_check: the recipient gets (message, sender key); the sender's own key fails.
    let opened = direct::decrypt_incoming(&recipient, &sealed).unwrap();
    assert_eq!(opened.plaintext, message);
    assert_eq!(&opened.sender_ed25519, sender.ed25519_public());
    assert_eq!(opened.sender, sender.session_id());
    assert_eq!(
        direct::decrypt_incoming(&sender, &sealed),
        Err(DecryptError::OpenFailed)
    );
}

fn ons(case: &Value) {
    let nonce = case["nonce_hex"]
        .as_str()
        .map(|_| hex_field(case, "nonce_hex"));
    let decrypted = decrypt_ons_response(
        str_field(case, "lowercase_name"),
        &hex_field(case, "ciphertext_hex"),
        nonce.as_deref(),
    )
    .unwrap();
    assert_eq!(decrypted, session_id(case, "expected_session_id"));
}

fn ons_error(case: &Value) {
    assert_eq!(str_field(case, "expected"), "throws");
    let ciphertext = bytes(case, "ciphertext");
    let nonce = bytes(case, "nonce");
    let expected = if ciphertext.len() < 16 {
        OnsError::Truncated {
            len: ciphertext.len(),
        }
    } else {
        OnsError::NonceLength { found: nonce.len() }
    };
    assert_eq!(
        decrypt_ons_response(str_field(case, "lowercase_name"), &ciphertext, Some(&nonce)),
        Err(expected)
    );
}

fn push(case: &Value) {
    let plaintext = decrypt_push_notification(
        &hex_field(case, "payload_hex"),
        &hex_field(case, "enc_key_hex"),
    )
    .unwrap();
    assert_eq!(
        plaintext,
        str_field(case, "expected_plaintext_utf8").as_bytes()
    );
}

fn push_error(case: &Value) {
    assert_eq!(str_field(case, "expected"), "throws");
    let payload = bytes(case, "payload");
    let key = bytes(case, "enc_key");
    let expected = if payload.len() < 40 {
        PushError::Truncated { len: payload.len() }
    } else {
        PushError::KeyLength { found: key.len() }
    };
    assert_eq!(decrypt_push_notification(&payload, &key), Err(expected));
}

fn message_hash(case: &Value) {
    let account = session_id(case, "pubkey_hex");
    let data_base64 = str_field(case, "data_base64");
    let expected = str_field(case, "expected_hash");
    assert_eq!(expected.len(), session_protocol::hash::HASH_LEN);
    assert_eq!(
        compute_message_hash_base64(&account, namespace(case), data_base64).unwrap(),
        expected
    );
}

/// The `session_blinding_protocol_roundtrip` description, checked for 15 and 25 IDs.
fn blinding_roundtrip(case: &Value) {
    let sender = keypair(case, "sender_ed25519_seed_hex");
    let recipient = keypair(case, "recipient_ed25519_seed_hex");
    let server: [u8; 32] = hex_array(case, "server_pubkey_hex");
    let sender_05 = sender.session_id().to_string();
    assert!(sender_05.starts_with("05d2ad01") && sender_05.ends_with("3a72"));
    let mut rng = ChaCha20Rng::seed_from_u64(15);

    let ids = [
        (
            blind15::id(&sender, &server),
            blind15::id(&recipient, &server),
        ),
        (
            blind25::id(&sender, &server),
            blind25::id(&recipient, &server),
        ),
    ];
    for (sender_id, recipient_id) in ids {
        let messages = case["messages_utf8"].as_array().unwrap();
        for (message, (length, flip_at)) in messages.iter().zip([(78, 23), (518, 463)]) {
            let message = message.as_str().unwrap().as_bytes();
            let sealed = blinded::encrypt_for_blinded_recipient(
                &mut rng,
                &sender,
                &server,
                &recipient_id,
                message,
            )
            .unwrap();
            // 0x00 || ct(msg || A) || tag || nonce
            assert_eq!(sealed.len(), length);
            assert_eq!(sealed.len(), 1 + message.len() + 32 + 16 + 24);
            assert_eq!(sealed[0], 0);

            // The recipient, and the sender reading its own copy, both get (msg, sender).
            for reader in [&recipient, &sender] {
                let opened = blinded::decrypt_from_blinded_recipient(
                    reader,
                    &server,
                    &sender_id,
                    &recipient_id,
                    &sealed,
                )
                .unwrap();
                assert_eq!(opened.plaintext, message);
                assert_eq!(opened.sender.to_string(), sender_05);
                assert_eq!(&opened.sender_ed25519, sender.ed25519_public());
            }

            // Bit 7 of the byte the test flips (inside the AEAD ciphertext) breaks it.
            let mut tampered = sealed.clone();
            tampered[flip_at] ^= 0x80;
            assert_eq!(
                blinded::decrypt_from_blinded_recipient(
                    &recipient,
                    &server,
                    &sender_id,
                    &recipient_id,
                    &tampered,
                ),
                Err(BlindedError::DecryptionFailed)
            );
        }

        // IDs without their prefix (32 bytes) are not IDs at all here, and the nearest thing
        // that can be passed, an unblinded 05 ID, is refused.
        for id in [sender_id, recipient_id] {
            assert_eq!(
                SessionId::from_bytes(&id.to_bytes()[1..]),
                Err(SessionIdError::WrongLength {
                    expected: 33,
                    found: 32
                })
            );
        }
        let sealed = blinded::encrypt_for_blinded_recipient(
            &mut rng,
            &sender,
            &server,
            &recipient_id,
            b"hello",
        )
        .unwrap();
        assert_eq!(
            blinded::decrypt_from_blinded_recipient(
                &recipient,
                &server,
                &sender.session_id(),
                &recipient_id,
                &sealed,
            ),
            Err(BlindedError::WrongPrefix {
                found: IdPrefix::Standard
            })
        );
        assert_eq!(
            blinded::encrypt_for_blinded_recipient(
                &mut rng,
                &sender,
                &server,
                &recipient.session_id(),
                b"hello",
            ),
            Err(BlindedError::WrongPrefix {
                found: IdPrefix::Standard
            })
        );
    }
}

#[test]
fn libsession_session_encrypt() {
    let file = VectorFile::load("libsession/session_encrypt.json");
    let mut ran = 0;
    for case in file.cases() {
        match str_field(case, "kind") {
            "encrypt_for_recipient_deterministic" => deterministic_dm(case),
            "decrypt_ons_response" | "decrypt_ons_response_legacy" => ons(case),
            "decrypt_ons_response_error" => ons_error(case),
            "decrypt_push_notification" => push(case),
            "decrypt_push_notification_error" => push_error(case),
            "compute_message_hash" => message_hash(case),
            "session_blinding_protocol_roundtrip" => blinding_roundtrip(case),
            other => panic!("unknown kind {other}"),
        }
        ran += 1;
    }
    assert_eq!(ran, file.cases().len());
    file.report("all", ran);
}

#[test]
fn storage_server_message_hash() {
    let file = VectorFile::load("storage-server/message_hash.json");
    let mut ran = 0;
    for case in file.cases() {
        message_hash(case);
        // also_equals: the same hash over the 33-byte ID and the data (namespace 0 adds
        // nothing), computed from the raw bytes.
        assert_eq!(namespace(case), 0);
        let data = base64_decode(str_field(case, "data_base64"));
        assert_eq!(
            compute_message_hash(&session_id(case, "pubkey_hex"), 0, &data),
            str_field(case, "expected_hash")
        );
        ran += 1;
    }
    assert_eq!(ran, file.cases().len());
    file.report("all", ran);
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap()
}
