//! Replays the committed corpus of this crate's fuzz targets (`fuzz/corpus/localnet_*`, and
//! any crash cargo-fuzz saved in `fuzz/artifacts/`) on stable, and writes the seed corpus
//! (`cargo test -p session-localnet --test fuzz_corpus -- --ignored write_seed_corpus`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use session_testkit::corpus;

use rand::SeedableRng;
use session_crypto::{Ed25519Seed, X25519Secret};
use session_identity::Keypair;
use session_localnet::fuzzing;
use session_onion::frame::Frame;
use session_onion::{Builder, ChannelKey, EncType, Hop, Scheme, ServerDestination, ServerRequest};

const TARGETS: [(&str, corpus::Target); 5] = [
    ("localnet_storage_rpc", fuzzing::storage_rpc),
    ("localnet_onion", fuzzing::onion_request),
    ("localnet_sogs_request", fuzzing::sogs_request),
    ("localnet_sogs_batch", fuzzing::sogs_batch),
    ("localnet_sogs_onion", fuzzing::sogs_onion),
];

#[test]
fn corpus_replays_without_failures() {
    corpus::replay(&TARGETS);
}

fn hop(seed: u8) -> Hop {
    let keypair = Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([seed; 32]));
    Hop::new(*keypair.ed25519_public(), *keypair.x25519_public())
}

fn storage_rpc_seeds() -> Vec<Vec<u8>> {
    let account = "05".to_owned() + &"ab".repeat(32);
    [
        r#"{"method":"info","params":{}}"#.to_owned(),
        format!(r#"{{"method":"get_swarm","params":{{"pubkey":"{account}"}}}}"#),
        format!(
            r#"{{"method":"store","params":{{"pubkey":"{account}","timestamp":1700000000000,"ttl":86400000,"data":"aGVsbG8="}}}}"#
        ),
        format!(r#"{{"method":"retrieve","params":{{"pubkey":"{account}","namespace":0}}}}"#),
        format!(
            r#"{{"method":"batch","params":{{"requests":[{{"method":"info","params":{{}}}},{{"method":"retrieve","params":{{"pubkey":"{account}"}}}}]}}}}"#
        ),
        format!(
            r#"{{"method":"sequence","params":{{"requests":[{{"method":"store","params":{{"pubkey":"{account}","namespace":33,"timestamp":1,"ttl":1,"data":""}}}}]}}}}"#
        ),
        format!(
            r#"{{"method":"expire","params":{{"pubkey":"{account}","messages":["x"],"expiry":[1,2],"shorten":true,"extend":true}}}}"#
        ),
        r#"{"method":"oxend_request","params":{"endpoint":"get_service_nodes","params":{"fields":["public_ip"]}}}"#.to_owned(),
        r#"{"method":"delete_all","params":{"pubkey":"05","namespace":"all"}}"#.to_owned(),
        r#"{"method":1,"params":[]}"#.to_owned(),
        "{nope".to_owned(),
    ]
    .into_iter()
    .map(String::into_bytes)
    .collect()
}

fn onion_seeds() -> Vec<Vec<u8>> {
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
    let mut seeds = vec![
        b"garbage".to_vec(),
        vec![0xff, 0xff, 0xff, 0x7f, b'{', b'}'],
    ];
    for enc_type in [EncType::XChaCha20, EncType::AesGcm] {
        let to_node = Builder::new(&[hop(1)])
            .enc_type(enc_type)
            .to_node(&hop(2), br#"{"method":"info","params":{}}"#, &mut rng)
            .unwrap();
        seeds.push(to_node.body().to_vec());
        let server = ServerDestination::new(Scheme::Http, "127.0.0.1", 9, *hop(3).x25519());
        let to_server = Builder::new(&[hop(1)])
            .enc_type(enc_type)
            .to_server(&server, &ServerRequest::new("GET", "/file/x"), &mut rng)
            .unwrap();
        seeds.push(to_server.body().to_vec());
    }
    seeds
}

fn sogs_request_seeds() -> Vec<Vec<u8>> {
    [
        &b"GET /capabilities?required=sogs,blind\n\n"[..],
        b"GET /room/lobby/messages/since/0?t=r&reactors=25&limit=-4\n\n",
        b"PUT /room/lobby/reaction/1/%F0%9F%91%8D\ncontent-type: application/json\n\n{}",
        b"POST /room/lobby/message\ncontent-type: application/json\n\n{\"data\":\"AA==\",\"signature\":\"\"}",
        b"GET /auth_test/whoami\nX-SOGS-Pubkey: 15ff\nX-SOGS-Nonce: a\nX-SOGS-Timestamp: 1\nX-SOGS-Signature: x\n\n",
        b"POST /inbox/15ff\ncontent-type: application/json\n\n{\"message\":\"AA==\"}",
        b"GET /room/lobby/file/99999999999999999999999\n\n",
        b"DELETE /rooms/all/05\n\n",
    ]
    .iter()
    .map(|seed| seed.to_vec())
    .collect()
}

fn sogs_batch_seeds() -> Vec<Vec<u8>> {
    [
        &br#"[{"method":"GET","path":"/rooms"},{"method":"GET","path":"/room/lobby/pollInfo/0"}]"#[..],
        br#"[{"method":"POST","path":"/room/lobby/message","json":{"data":"AA==","signature":"AA=="}}]"#,
        br#"[{"method":"POST","path":"/room/lobby/file","b64":"aGVsbG8=","headers":{"Content-Type":"image/png"}}]"#,
        br#"[{"method":"GET","path":"/inbox/since/1","bytes":"x"}]"#,
        b"{}",
    ]
    .iter()
    .map(|seed| seed.to_vec())
    .collect()
}

/// Inner v4 requests sealed to the fuzz SOGS key, framed as the last node posts them.
fn sogs_onion_seeds() -> Vec<Vec<u8>> {
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(2);
    let sogs = Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes(fuzzing::FUZZ_SOGS_SEED));
    let mut seeds = vec![b"garbage".to_vec()];
    for (enc_type, name) in [
        (EncType::XChaCha20, "xchacha20"),
        (EncType::AesGcm, "aes-gcm"),
    ] {
        for request in [
            ServerRequest::new("GET", "/capabilities"),
            ServerRequest::new("GET", "/room/lobby/reaction/1/👍"),
            ServerRequest::new("POST", "/batch")
                .with_header("Content-Type", "application/json")
                .with_body(br#"[{"method":"GET","path":"/rooms"}]"#.to_vec()),
        ] {
            let secret = X25519Secret::generate(&mut rng);
            let key = ChannelKey::for_client(enc_type, &secret, sogs.x25519_public()).unwrap();
            let ciphertext = key.encrypt(&mut rng, &request.encode()).unwrap();
            let json = format!(
                r#"{{"ephemeral_key":"{}","enc_type":"{name}"}}"#,
                hex::encode(secret.public_key())
            );
            seeds.push(Frame::encode(&ciphertext, json.as_bytes()).unwrap());
        }
    }
    seeds
}

#[test]
#[ignore = "writes the seed corpus into fuzz/corpus"]
fn write_seed_corpus() {
    for (name, seeds) in [
        ("localnet_storage_rpc", storage_rpc_seeds()),
        ("localnet_onion", onion_seeds()),
        ("localnet_sogs_request", sogs_request_seeds()),
        ("localnet_sogs_batch", sogs_batch_seeds()),
        ("localnet_sogs_onion", sogs_onion_seeds()),
    ] {
        corpus::write_seeds(name, &seeds);
    }
}
