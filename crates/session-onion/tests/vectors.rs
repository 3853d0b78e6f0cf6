//! Every case of the onion vector files, byte for byte: libsession-util's hop encryption and
//! request parser, the storage server's channel encryption and inner-request parsing, and
//! pysogs' v4 framing.

// Helpers outside #[test] functions unwrap too: a failure is the test failing.
#![allow(clippy::unwrap_used)]

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use serde_json::Value;
use session_crypto::X25519Secret;
use session_onion::node::{self, Control, Next};
use session_onion::v4::{self, ServerRequest, ServerResponse};
use session_onion::{ChannelKey, EncType, Scheme};
use session_testkit::{VectorFile, hex_field, str_field};

fn secret(case: &Value, key: &str) -> X25519Secret {
    X25519Secret::from_bytes(hex_field(case, key).try_into().unwrap())
}

fn key32(case: &Value, key: &str) -> [u8; 32] {
    hex_field(case, key).try_into().unwrap()
}

fn rng() -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(7)
}

#[test]
fn libsession_onionreq() {
    let file = VectorFile::load("libsession/onionreq.json");
    let mut ran = 0;
    for case in file.cases() {
        let kind = str_field(case, "kind");
        match kind {
            "hop_decrypt_aes_gcm" | "hop_decrypt_xchacha20" => {
                let enc = if kind.ends_with("aes_gcm") {
                    EncType::AesGcm
                } else {
                    EncType::XChaCha20
                };
                let b = secret(case, "server_x25519_seckey_b_hex");
                let a = secret(case, "client_x25519_seckey_a_hex");
                let node_key =
                    ChannelKey::for_node(enc, &b, &key32(case, "client_x25519_pubkey_A_hex"))
                        .unwrap();
                let client_key =
                    ChannelKey::for_client(enc, &a, &key32(case, "server_x25519_pubkey_B_hex"))
                        .unwrap();
                assert_eq!(node_key, client_key, "both ends derive one key");
                let plaintext = node_key
                    .decrypt(&hex_field(case, "ciphertext_hex"))
                    .unwrap();
                assert_eq!(
                    plaintext,
                    str_field(case, "expected_plaintext_utf8").as_bytes()
                );
            }
            "hop_decrypt_aes_gcm_must_fail" | "hop_decrypt_xchacha20_must_fail" => {
                let enc = if kind.contains("aes_gcm") {
                    EncType::AesGcm
                } else {
                    EncType::XChaCha20
                };
                let b = secret(case, "server_x25519_seckey_b_hex");
                let key = ChannelKey::for_node(enc, &b, &key32(case, "client_x25519_pubkey_A_hex"))
                    .unwrap();
                assert_eq!(
                    key.decrypt(&hex_field(case, "ciphertext_hex")),
                    Err(session_onion::Error::DecryptionFailed),
                    "{}",
                    str_field(case, "test_name")
                );
            }
            "onion_request_parse" => {
                let b = secret(case, "hop_x25519_seckey_b_hex");
                let request = hex_field(case, "request_hex");
                let incoming = node::IncomingOnion::parse(&request).unwrap();
                let enc: EncType = str_field(case, "expected_enc_type").parse().unwrap();
                assert_eq!(incoming.enc_type, enc);
                assert_eq!(
                    incoming.ephemeral_key,
                    key32(case, "expected_remote_pubkey_hex")
                );
                let layer = node::peel(&b, &request).unwrap();
                assert_eq!(
                    layer.plaintext(),
                    str_field(case, "expected_payload_utf8").as_bytes()
                );
                // The reply check: the node's answer opens under the client's key.
                let reply = layer
                    .reply_key()
                    .encrypt(&mut rng(), b"Goodbye world")
                    .unwrap();
                assert_eq!(reply.len(), enc.overhead() + 13);
                let a = secret(case, "client_ephemeral_x25519_seckey_a_hex");
                let client =
                    ChannelKey::for_client(enc, &a, &key32(case, "hop_x25519_pubkey_B_hex"))
                        .unwrap();
                assert_eq!(client.decrypt(&reply).unwrap(), b"Goodbye world");
            }
            other => panic!("unknown kind {other}"),
        }
        ran += 1;
    }
    file.report("hop encryption and request parsing", ran);
}

#[test]
fn storage_server_channel_encryption() {
    let file = VectorFile::load("storage-server/channel_encryption.json");
    let keys = &file.root()["keys"];
    let alice = secret(keys, "alice_x25519_sec");
    let bob = secret(keys, "bob_x25519_sec");
    let plaintext = str_field(keys, "plaintext_utf8").as_bytes();
    let party = |name: &str| match name {
        "alice" => (&alice, alice.public_key()),
        _ => (&bob, bob.public_key()),
    };
    // A party in a role and the other party's public key give that side's key.
    let role_key = |who: &str, other: &str| {
        let mut words = who.split_whitespace();
        let (own, _) = party(words.next().unwrap());
        let (_, other_public) = party(other);
        if who.contains("as client") {
            ChannelKey::for_client(EncType::XChaCha20, own, &other_public).unwrap()
        } else {
            ChannelKey::for_node(EncType::XChaCha20, own, &other_public).unwrap()
        }
    };
    let mut ran = 0;
    for case in file.cases() {
        match str_field(case, "kind") {
            "keypair" => {
                assert_eq!(
                    secret(case, "sec").public_key().to_vec(),
                    hex_field(case, "pub")
                );
            }
            "size" => {
                let expected =
                    case["ciphertext_len_minus_plaintext_len"].as_u64().unwrap() as usize;
                match str_field(case, "enc_type") {
                    // Removed from the storage server after v2.8.0; we follow the newer code and
                    // refuse the name.
                    "aes-cbc" => {
                        assert_eq!(expected, 29);
                        assert_eq!(EncType::from_name("aes-cbc"), None);
                    }
                    name => {
                        let enc: EncType = name.parse().unwrap();
                        let key = ChannelKey::for_client(enc, &alice, &bob.public_key()).unwrap();
                        let sealed = key.encrypt(&mut rng(), plaintext).unwrap();
                        assert_eq!(sealed.len() - plaintext.len(), expected);
                        assert_eq!(enc.overhead(), expected);
                    }
                }
            }
            "xchacha20_roles" => {
                let encryptor = str_field(case, "encryptor");
                let decryptor = str_field(case, "decryptor");
                let other = |who: &str| {
                    if who.starts_with("alice") {
                        "bob"
                    } else {
                        "alice"
                    }
                };
                let sealed = role_key(encryptor, other(encryptor))
                    .encrypt(&mut rng(), plaintext)
                    .unwrap();
                let opened = role_key(decryptor, other(decryptor)).decrypt(&sealed);
                assert_eq!(
                    opened.is_ok(),
                    case["decrypts"].as_bool().unwrap(),
                    "{encryptor} -> {decryptor}"
                );
                if let Ok(opened) = opened {
                    assert_eq!(opened, plaintext);
                }
            }
            "aes_gcm_known_answer" => {
                let key = ChannelKey::for_node(
                    EncType::AesGcm,
                    &secret(case, "decryptor_sec"),
                    &key32(case, "sender_pub"),
                )
                .unwrap();
                let sealed = hex_field(case, "ciphertext_hex");
                assert_eq!(
                    key.decrypt(&sealed).unwrap(),
                    str_field(case, "expected_plaintext_utf8").as_bytes()
                );
                for byte in [0, 12, sealed.len() - 1] {
                    let mut bad = sealed.clone();
                    bad[byte] ^= 0x01;
                    assert!(key.decrypt(&bad).is_err(), "flipped byte {byte}");
                }
                assert!(key.decrypt(&sealed[..27]).is_err());
            }
            other => panic!("unknown kind {other}"),
        }
        ran += 1;
    }
    file.report("channel encryption", ran);
}

#[test]
fn storage_server_onion_parsing() {
    let file = VectorFile::load("storage-server/onion_parsing.json");
    let mut ran = 0;
    for case in file.cases() {
        match str_field(case, "kind") {
            "inner_request" => {
                let input = hex_field(case, "input_hex");
                let expected = &case["expected"];
                let next = Next::from_plaintext(&input).unwrap();
                match (str_field(expected, "result"), next) {
                    ("FinalDestination", Next::Deliver { request, control }) => {
                        assert_eq!(request, str_field(expected, "body").as_bytes());
                        assert_eq!(
                            control,
                            Control {
                                json: expected["json"].as_bool().unwrap(),
                                base64: expected["base64"].as_bool().unwrap(),
                            }
                        );
                    }
                    (
                        "RelayToServer",
                        Next::Server {
                            host,
                            port,
                            protocol,
                            target,
                            payload,
                        },
                    ) => {
                        assert_eq!(payload, input, "the whole plaintext is forwarded");
                        assert_eq!(host, str_field(expected, "host"));
                        assert_eq!(u64::from(port), expected["port"].as_u64().unwrap());
                        let scheme = match str_field(expected, "protocol") {
                            "https" => Scheme::Https,
                            _ => Scheme::Http,
                        };
                        assert_eq!(protocol, scheme);
                        assert_eq!(target, str_field(expected, "target"));
                    }
                    ("RelayToNode", next @ Next::Relay { .. }) => {
                        let Next::Relay {
                            destination,
                            ephemeral_key,
                            enc_type,
                            ciphertext,
                        } = &next
                        else {
                            unreachable!()
                        };
                        assert_eq!(ciphertext, str_field(expected, "ciphertext").as_bytes());
                        assert_eq!(*ephemeral_key, key32(expected, "ephemeral_key_x25519_hex"));
                        assert_eq!(enc_type.as_str(), str_field(expected, "enc_type"));
                        assert_eq!(*destination, key32(expected, "next_node_ed25519_hex"));
                        // Forwarded as the next node's /onion_req/v2 body.
                        let body = next.relay_body().unwrap();
                        let forwarded = node::IncomingOnion::parse(&body).unwrap();
                        assert_eq!(forwarded.ciphertext, ciphertext.as_slice());
                        assert_eq!(forwarded.ephemeral_key, *ephemeral_key);
                        assert_eq!(forwarded.enc_type, *enc_type);
                    }
                    (expected, next) => panic!("expected {expected}, got {next:?}"),
                }
            }
            "url_target_filter" => {
                assert_eq!(
                    node::is_allowed_target(str_field(case, "target")),
                    case["allowed"].as_bool().unwrap(),
                    "{}",
                    str_field(case, "target")
                );
            }
            other => panic!("unknown kind {other}"),
        }
        ran += 1;
    }
    file.report("inner request parsing and target filter", ran);
}

#[test]
fn pysogs_onion_v4() {
    let file = VectorFile::load("sogs/onion_v4_pysogs.json");
    let mut ran = 0;
    for case in file.cases() {
        match str_field(case, "kind") {
            "request" => {
                let encoded = str_field(case, "encoded").as_bytes();
                let decoded = ServerRequest::decode(encoded).unwrap();
                assert_eq!(decoded.method, str_field(case, "method"));
                assert_eq!(decoded.endpoint, str_field(case, "endpoint"));
                let headers: Vec<(String, String)> = case["headers"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                    .collect();
                assert_eq!(decoded.headers.into_iter().collect::<Vec<_>>(), headers);
                let body = case["body"].as_str().map(str::as_bytes);
                assert_eq!(decoded.body.as_deref(), body);
                // The framing, byte for byte, around pysogs' own (unsorted) metadata JSON.
                let meta = format!(
                    r#"{{"method":{},"endpoint":{},"headers":{}}}"#,
                    case["method"], case["endpoint"], case["headers"]
                );
                assert_eq!(v4::encode_parts(meta.as_bytes(), body), encoded);
            }
            "response" => {
                let encoded = str_field(case, "encoded").as_bytes();
                let decoded = ServerResponse::decode(encoded).unwrap();
                assert_eq!(
                    u64::from(decoded.status),
                    case["meta"]["code"].as_u64().unwrap()
                );
                assert_eq!(decoded.body, str_field(case, "body").as_bytes());
                assert_eq!(decoded.headers["content-type"], "application/json");
                assert_eq!(decoded.encode(), encoded);
            }
            "x25519_keypair" => {
                assert_eq!(
                    secret(case, "private_key").public_key().to_vec(),
                    hex_field(case, "public_key")
                );
            }
            other => panic!("unknown kind {other}"),
        }
        ran += 1;
    }
    file.report("v4 framing and keypair", ran);
}
