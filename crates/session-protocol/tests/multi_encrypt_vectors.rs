//! libsession's multi-recipient encryption vectors (`libsession/multi_encrypt.json`):
//! exact bytes for the fixed-nonce cases, the stated properties for the random-nonce one.

use rand::SeedableRng;
use serde_json::Value;
use session_crypto::X25519Secret;
use session_identity::{Keypair, Seed};
use session_protocol::multi_encrypt::{
    MultiEncryptError, NONCE_LEN, OVERHEAD, decrypt_for_multiple, decrypt_for_multiple_simple,
    decrypt_for_multiple_simple_ed25519, decrypt_for_multiple_simple_ed25519_from_x25519,
    encrypt_for_multiple, encrypt_for_multiple_simple, encrypt_for_multiple_simple_ed25519,
};
use session_testkit::{VectorFile, hex_array, hex_field, str_field};

/// One of the file's parties, with its keys checked against the file.
struct Party {
    keypair: Keypair,
    x25519_public: [u8; 32],
}

impl Party {
    fn secret(&self) -> &X25519Secret {
        self.keypair.x25519_secret()
    }
}

fn parties(file: &VectorFile) -> Vec<Party> {
    file.root()["parties"]
        .as_array()
        .expect("array field")
        .iter()
        .map(|p| {
            let keypair = Seed::from_ed25519_seed(&hex_array(p, "ed25519_seed_hex")).keypair();
            let x25519_public = hex_array(p, "x25519_pubkey_hex");
            assert_eq!(
                keypair.x25519_secret().expose_secret(),
                &hex_array::<32>(p, "x25519_seckey_hex")
            );
            assert_eq!(keypair.x25519_public(), &x25519_public);
            assert_eq!(keypair.x25519_secret().public_key(), x25519_public);
            Party {
                keypair,
                x25519_public,
            }
        })
        .collect()
}

fn indices(case: &Value, key: &str) -> Vec<usize> {
    case[key]
        .as_array()
        .expect("array field")
        .iter()
        .map(|i| i.as_u64().expect("party index") as usize)
        .collect()
}

fn messages(case: &Value) -> Vec<&str> {
    case["messages_utf8"]
        .as_array()
        .expect("array field")
        .iter()
        .map(|m| m.as_str().expect("message text"))
        .collect()
}

fn hex_list(case: &Value, key: &str) -> Vec<Vec<u8>> {
    case[key]
        .as_array()
        .expect("array field")
        .iter()
        .map(|h| hex::decode(h.as_str().expect("hex text")).expect("hex"))
        .collect()
}

#[test]
fn libsession_multi_encrypt() {
    let file = VectorFile::load("libsession/multi_encrypt.json");
    let parties = parties(&file);
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(3);
    let mut ran = 0;
    for case in file.cases() {
        let sender = &parties[case["sender"].as_u64().unwrap() as usize];
        let recipient_ids = indices(case, "recipients");
        let recipients: Vec<[u8; 32]> = recipient_ids
            .iter()
            .map(|&i| parties[i].x25519_public)
            .collect();
        let domain = str_field(case, "domain");
        let messages = messages(case);
        let outsider = &parties[4];
        assert!(!recipient_ids.contains(&4));

        match str_field(case, "kind") {
            "encrypt_for_multiple" => {
                let nonce: [u8; NONCE_LEN] = hex_array(case, "nonce_hex");
                let copies =
                    encrypt_for_multiple(&messages, &recipients, &nonce, sender.secret(), domain)
                        .unwrap();
                assert_eq!(copies, hex_list(case, "expected_ciphertexts_hex"));

                let slices = || copies.iter().map(Vec::as_slice);
                for (position, &id) in recipient_ids.iter().enumerate() {
                    let plain = decrypt_for_multiple(
                        slices(),
                        &nonce,
                        parties[id].secret(),
                        &sender.x25519_public,
                        domain,
                    )
                    .unwrap();
                    let expected = messages.get(position).unwrap_or(&messages[0]);
                    assert_eq!(plain, expected.as_bytes());
                }
                let last = parties[*recipient_ids.last().unwrap()].secret();
                assert_eq!(
                    decrypt_for_multiple(
                        slices(),
                        &nonce,
                        last,
                        &sender.x25519_public,
                        "not test suite"
                    ),
                    Err(MultiEncryptError::NotARecipient)
                );
                assert_eq!(
                    decrypt_for_multiple(
                        slices(),
                        &nonce,
                        outsider.secret(),
                        &sender.x25519_public,
                        domain
                    ),
                    Err(MultiEncryptError::NotARecipient)
                );
                if messages.len() > 1 {
                    assert_eq!(
                        encrypt_for_multiple(
                            &messages[..2],
                            &recipients,
                            &nonce,
                            sender.secret(),
                            domain
                        ),
                        Err(MultiEncryptError::MessageCount {
                            messages: 2,
                            recipients: 3
                        })
                    );
                }
            }
            "encrypt_for_multiple_simple" => {
                let nonce: [u8; NONCE_LEN] = hex_array(case, "nonce_hex");
                let expected = hex_field(case, "expected_encoded_hex");
                let encoded = encrypt_for_multiple_simple(
                    &mut rng,
                    &messages,
                    &recipients,
                    sender.secret(),
                    domain,
                    Some(&nonce),
                    0,
                )
                .unwrap();
                assert_eq!(hex::encode(&encoded), hex::encode(&expected));
                let from_keypair = encrypt_for_multiple_simple_ed25519(
                    &mut rng,
                    &messages,
                    &recipients,
                    &sender.keypair,
                    domain,
                    Some(&nonce),
                    0,
                )
                .unwrap();
                assert_eq!(from_keypair, expected);
                check_simple_decrypts(&expected, sender, &parties, &recipient_ids, &messages);
            }
            "encrypt_for_multiple_simple_random_nonce" => {
                let first = encrypt_for_multiple_simple(
                    &mut rng,
                    &messages,
                    &recipients,
                    sender.secret(),
                    domain,
                    None,
                    0,
                )
                .unwrap();
                let second = encrypt_for_multiple_simple(
                    &mut rng,
                    &messages,
                    &recipients,
                    sender.secret(),
                    domain,
                    None,
                    0,
                )
                .unwrap();
                // 2 + "1:#" "24:<nonce>" + "1:e" "l" ... "e" + 3 x "21:<21 bytes>".
                let message_len = messages[0].len();
                let expected_len =
                    2 + (3 + 27) + (3 + 2) + recipients.len() * (3 + message_len + OVERHEAD);
                assert_eq!(expected_len, 109);
                assert_eq!((first.len(), second.len()), (109, 109));
                assert_ne!(first, second);
                check_simple_decrypts(&first, sender, &parties, &recipient_ids, &messages);
                check_simple_decrypts(&second, sender, &parties, &recipient_ids, &messages);
            }
            other => panic!("unknown case kind {other}"),
        }
        ran += 1;
    }
    file.report("multi_encrypt", ran);
}

/// Every recipient reads its message from the container through each API; the outsider and
/// a wrong domain read nothing.
fn check_simple_decrypts(
    encoded: &[u8],
    sender: &Party,
    parties: &[Party],
    recipient_ids: &[usize],
    messages: &[&str],
) {
    let domain = "test suite";
    let sender_ed = sender.keypair.ed25519_public();
    for (position, &id) in recipient_ids.iter().enumerate() {
        let me = &parties[id];
        let expected = messages.get(position).unwrap_or(&messages[0]).as_bytes();
        let plain =
            decrypt_for_multiple_simple(encoded, me.secret(), &sender.x25519_public, domain);
        assert_eq!(plain.expect("recipient decrypts"), expected);
        let plain = decrypt_for_multiple_simple_ed25519(encoded, &me.keypair, sender_ed, domain);
        assert_eq!(plain.expect("recipient decrypts"), expected);
        let plain = decrypt_for_multiple_simple_ed25519_from_x25519(
            encoded,
            &me.keypair,
            &sender.x25519_public,
            domain,
        );
        assert_eq!(plain.expect("recipient decrypts"), expected);
    }
    let outsider = &parties[4];
    assert_eq!(
        decrypt_for_multiple_simple(encoded, outsider.secret(), &sender.x25519_public, domain),
        Err(MultiEncryptError::NotARecipient)
    );
    let last = &parties[*recipient_ids.last().expect("recipients")];
    assert_eq!(
        decrypt_for_multiple_simple(
            encoded,
            last.secret(),
            &sender.x25519_public,
            "not test suite"
        ),
        Err(MultiEncryptError::NotARecipient)
    );
    assert_eq!(
        decrypt_for_multiple_simple_ed25519(encoded, &last.keypair, &[0; 32], domain),
        Err(MultiEncryptError::InvalidSenderKey)
    );
}
