//! Builder -> every hop's node-side parser -> destination -> reply -> client, for both
//! destination kinds and both enc types, path lengths 1..=4, and payloads up to 1 MiB.

// Helpers outside #[test] functions unwrap too: a failure is the test failing.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use session_crypto::X25519Secret;
use session_onion::node::{self, Control, Next};
use session_onion::response::{self, Failure};
use session_onion::{
    Builder, ChannelKey, EncType, Hop, ServerDestination, ServerRequest, ServerResponse,
};

struct Node {
    hop: Hop,
    secret: X25519Secret,
}

fn node(i: u8) -> Node {
    let secret = X25519Secret::from_bytes([i; 32]);
    Node {
        hop: Hop::new([i ^ 0x80; 32], secret.public_key()),
        secret,
    }
}

fn path(hops: usize) -> Vec<Node> {
    (1..=hops as u8).map(node).collect()
}

/// Walks `body` through the path's nodes and returns what the last one is asked to do.
fn relay(nodes: &[Node], mut body: Vec<u8>) -> Next {
    for (i, hop) in nodes.iter().enumerate() {
        let next = node::peel(&hop.secret, &body).unwrap().next().unwrap();
        if i + 1 == nodes.len() {
            return next;
        }
        let Next::Relay { destination, .. } = &next else {
            panic!("hop {i} should relay, got {next:?}")
        };
        assert_eq!(destination, nodes[i + 1].hop.ed25519());
        body = next.relay_body().unwrap();
    }
    unreachable!("a path has at least one hop")
}

/// A node destination answers `answer` with `status`; returns the guard's HTTP body.
fn node_round_trip(
    hops: usize,
    enc: EncType,
    rpc: &[u8],
    status: u16,
    answer: &str,
) -> (Vec<u8>, session_onion::ResponseKey) {
    let mut rng = ChaCha20Rng::seed_from_u64(hops as u64);
    let nodes = path(hops);
    let hop_list: Vec<Hop> = nodes.iter().map(|n| n.hop.clone()).collect();
    let destination = node(200);
    let onion = Builder::new(&hop_list)
        .enc_type(enc)
        .to_node(&destination.hop, rpc, &mut rng)
        .unwrap();
    let (body, key) = onion.into_parts();
    let last = relay(&nodes, body);
    let Next::Relay {
        destination: to, ..
    } = &last
    else {
        panic!("{last:?}")
    };
    assert_eq!(to, destination.hop.ed25519());
    let layer = node::peel(&destination.secret, &last.relay_body().unwrap()).unwrap();
    let Next::Deliver { request, control } = layer.next().unwrap() else {
        panic!("not delivered")
    };
    assert_eq!(request, rpc);
    assert_eq!(control, Control::default());
    (layer.reply(status, answer, control, &mut rng).unwrap(), key)
}

fn server_round_trip(
    hops: usize,
    enc: EncType,
    request: &ServerRequest,
    answer: &ServerResponse,
) -> Result<ServerResponse, Failure> {
    let mut rng = ChaCha20Rng::seed_from_u64(100 + hops as u64);
    let nodes = path(hops);
    let hop_list: Vec<Hop> = nodes.iter().map(|n| n.hop.clone()).collect();
    let server_secret = X25519Secret::from_bytes([99; 32]);
    let server =
        ServerDestination::from_url("http://127.0.0.1:8080", server_secret.public_key()).unwrap();
    let onion = Builder::new(&hop_list)
        .enc_type(enc)
        .to_server(&server, request, &mut rng)
        .unwrap();
    let Next::Server {
        host,
        port,
        protocol,
        target,
        payload,
    } = relay(&nodes, onion.body().to_vec())
    else {
        panic!("the last hop should proxy to the server")
    };
    assert_eq!(
        (host.as_str(), port, protocol.as_str(), target.as_str()),
        ("127.0.0.1", 8080, "http", "/oxen/v4/lsrpc")
    );
    assert!(node::is_allowed_target(&target));
    let (received, reply_key) = node::open_server_request(&server_secret, &payload).unwrap();
    assert_eq!(received.method, request.method);
    assert_eq!(received.endpoint, request.endpoint);
    assert_eq!(received.body, request.body);
    let sealed = node::seal_server_response(&reply_key, answer, &mut rng).unwrap();
    response::decode_server_response(onion.response_key(), 200, &sealed)
}

#[test]
fn node_destination_every_enc_type_and_path_length() {
    let rpc = br#"{"method":"info","params":{}}"#;
    for enc in [EncType::AesGcm, EncType::XChaCha20] {
        for hops in 1..=4 {
            let (reply, key) = node_round_trip(hops, enc, rpc, 200, r#"{"version":[2,8,0]}"#);
            let answer = response::decode_node_response(&key, 200, &reply).unwrap();
            assert_eq!(
                (answer.status, answer.body.as_slice()),
                (200, &br#"{"version":[2,8,0]}"#[..])
            );
            // The same answer wrapped as {"result": ...} reads the same.
            let wrapped = format!(r#"{{"result":"{}"}}"#, String::from_utf8(reply).unwrap());
            assert_eq!(
                response::decode_node_response(&key, 200, wrapped.as_bytes()).unwrap(),
                answer
            );
        }
    }
}

#[test]
fn node_destination_failures_keep_what_the_path_logic_needs() {
    let rpc = br#"{"method":"retrieve","params":{}}"#;
    let swarm = r#"{"snodes":[],"swarm":"1f","t":1700000000000,"hf":[19,3]}"#;
    let (reply, key) = node_round_trip(3, EncType::XChaCha20, rpc, 421, swarm);
    assert_eq!(
        response::decode_node_response(&key, 200, &reply),
        Err(Failure::WrongSwarm {
            body: swarm.as_bytes().to_vec()
        })
    );
    let (reply, key) = node_round_trip(
        3,
        EncType::AesGcm,
        rpc,
        406,
        "Timestamp error: check your clock",
    );
    assert!(matches!(
        response::decode_node_response(&key, 200, &reply),
        Err(Failure::ClockSkew { status: 406, .. })
    ));
    // A batch whose sub-results all failed the same way fails with that code.
    let batch = r#"{"results":[{"code":401,"body":"no"},{"code":401,"body":"no"}]}"#;
    let (reply, key) = node_round_trip(2, EncType::XChaCha20, rpc, 200, batch);
    assert!(matches!(
        response::decode_node_response(&key, 200, &reply),
        Err(Failure::Status { status: 401, .. })
    ));
    let mixed = r#"{"results":[{"code":200,"body":{}},{"code":401,"body":"no"}]}"#;
    let (reply, key) = node_round_trip(2, EncType::XChaCha20, rpc, 200, mixed);
    assert_eq!(
        response::decode_node_response(&key, 200, &reply)
            .unwrap()
            .status,
        200
    );
    // Tampering, and plain-text errors from a hop.
    let (mut reply, key) = node_round_trip(1, EncType::XChaCha20, rpc, 200, "{}");
    reply[10] ^= 1;
    assert!(response::decode_node_response(&key, 200, &reply).is_err());
    let not_found = format!("Next node not found: {}", "ab".repeat(32));
    assert_eq!(
        response::decode_node_response(&key, 502, not_found.as_bytes()),
        Err(Failure::NextNodeNotFound {
            ed25519: [0xab; 32]
        })
    );
    assert_eq!(
        response::decode_node_response(&key, 504, b"Request time out"),
        Err(Failure::HopTimeout)
    );
}

#[test]
fn server_destination_every_enc_type_and_path_length() {
    let request = ServerRequest::new("POST", "/room/lokinet/message")
        .with_header("X-SOGS-Pubkey", "00aa")
        .with_body(&br#"{"data":"aGk="}"#[..]);
    let answer = ServerResponse {
        status: 201,
        headers: [("content-type".to_owned(), "application/json".to_owned())].into(),
        body: br#"{"id":1}"#.to_vec(),
    };
    for enc in [EncType::AesGcm, EncType::XChaCha20] {
        for hops in 1..=4 {
            assert_eq!(
                server_round_trip(hops, enc, &request, &answer).unwrap(),
                answer
            );
        }
    }
    let clock = ServerResponse {
        status: 425,
        ..ServerResponse::default()
    };
    assert!(matches!(
        server_round_trip(3, EncType::XChaCha20, &request, &clock),
        Err(Failure::ClockSkew { status: 425, .. })
    ));
}

#[test]
fn xchacha20_request_accepts_an_aes_gcm_answer() {
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    let hops = path(3);
    let hop_list: Vec<Hop> = hops.iter().map(|n| n.hop.clone()).collect();
    let server_secret = X25519Secret::from_bytes([98; 32]);
    let server =
        ServerDestination::from_url("https://example.org", server_secret.public_key()).unwrap();
    let onion = Builder::new(&hop_list)
        .to_server(
            &server,
            &ServerRequest::new("GET", "/capabilities"),
            &mut rng,
        )
        .unwrap();
    // A legacy server answers with the AES-GCM key of the same agreement.
    let legacy = ChannelKey::for_node(
        EncType::AesGcm,
        &server_secret,
        onion.destination_ephemeral_key(),
    )
    .unwrap();
    let answer = ServerResponse {
        status: 200,
        ..ServerResponse::default()
    };
    let sealed = node::seal_server_response(&legacy, &answer, &mut rng).unwrap();
    assert_eq!(
        response::decode_server_response(onion.response_key(), 200, &sealed).unwrap(),
        answer
    );
    // An AES-GCM request has no fallback to try.
    let gcm = Builder::new(&hop_list)
        .enc_type(EncType::AesGcm)
        .to_server(
            &server,
            &ServerRequest::new("GET", "/capabilities"),
            &mut rng,
        )
        .unwrap();
    let other = ChannelKey::for_node(
        EncType::XChaCha20,
        &server_secret,
        gcm.destination_ephemeral_key(),
    )
    .unwrap();
    let sealed = node::seal_server_response(&other, &answer, &mut rng).unwrap();
    assert_eq!(
        response::decode_server_response(gcm.response_key(), 200, &sealed),
        Err(Failure::DecryptionFailed)
    );
}

#[test]
fn path_lengths_outside_the_limit_are_refused() {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let dest = node(9).hop;
    assert!(Builder::new(&[]).to_node(&dest, b"{}", &mut rng).is_err());
    let long: Vec<Hop> = (0..16).map(|i| node(i).hop).collect();
    assert!(Builder::new(&long).to_node(&dest, b"{}", &mut rng).is_err());
    assert!(
        Builder::new(&long[..15])
            .to_node(&dest, b"{}", &mut rng)
            .is_ok()
    );
    // A small-order node key is refused rather than giving a known shared secret.
    let weak = Hop::new([1; 32], [0; 32]);
    assert_eq!(
        Builder::new(&[weak])
            .to_node(&dest, b"{}", &mut rng)
            .unwrap_err(),
        session_onion::Error::InvalidPublicKey
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn payloads_up_to_one_mebibyte_round_trip(
        size in prop_oneof![0usize..=2048, 0usize..=(1 << 20)],
        xchacha: bool,
        to_server: bool,
        seed: u64,
    ) {
        let enc = if xchacha { EncType::XChaCha20 } else { EncType::AesGcm };
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let payload: Vec<u8> = (0..size).map(|i| (i as u64 ^ seed) as u8).collect();
        if to_server {
            let request = ServerRequest::new("POST", "/file").with_body(payload.clone());
            let answer = ServerResponse { status: 200, headers: Default::default(), body: payload };
            prop_assert_eq!(server_round_trip(3, enc, &request, &answer).unwrap(), answer);
        } else {
            let nodes = path(3);
            let hop_list: Vec<Hop> = nodes.iter().map(|n| n.hop.clone()).collect();
            let destination = node(201);
            let onion = Builder::new(&hop_list).enc_type(enc).to_node(&destination.hop, &payload, &mut rng).unwrap();
            let last = relay(&nodes, onion.body().to_vec());
            let layer = node::peel(&destination.secret, &last.relay_body().unwrap()).unwrap();
            let Next::Deliver { request, .. } = layer.next().unwrap() else { panic!("not delivered") };
            prop_assert_eq!(request, payload);
        }
    }
}
