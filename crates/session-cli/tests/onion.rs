//! Runs the built `session-cli` binary on `onion` commands: requests it builds are peeled hop
//! by hop with the library's node side, answered as a service node or a server would, and the
//! answers decrypted by the binary again; then tampering and bad arguments.

// Helpers outside #[test] functions unwrap too: a failure is the test failing.
#![allow(clippy::unwrap_used)]

mod common;

use common::ok;
use serde_json::{Map, Value, json};
use session::crypto::X25519Secret;
use session::onion::ServerResponse;
use session::onion::node::{self, Control, IncomingOnion, Layer, Next};
use session::onion::rand_core::UnwrapErr;

const ENC_TYPES: [&str; 2] = ["aes-gcm", "xchacha20"];
const RPC: &str = r#"{"method":"info","params":{}}"#;

/// A service node of the tests: its X25519 secret, and its keys as `--hop` takes them.
struct Node {
    secret: X25519Secret,
    ed25519: [u8; 32],
}

impl Node {
    fn new(i: u8) -> Self {
        Self {
            secret: X25519Secret::from_bytes([i; 32]),
            ed25519: [i ^ 0x80; 32],
        }
    }

    fn arg(&self) -> String {
        format!(
            "{}:{}",
            hex::encode(self.ed25519),
            hex::encode(self.secret.public_key())
        )
    }
}

fn path() -> Vec<Node> {
    (1..=3).map(Node::new).collect()
}

/// A test stands in for every node, so the OS generator will do for their randomness.
fn rng() -> UnwrapErr<getrandom::SysRng> {
    UnwrapErr(getrandom::SysRng)
}

/// `onion build` over `hops` with `extra` (the destination and options).
fn build(hops: &[Node], extra: &[&str]) -> Map<String, Value> {
    let hop_args: Vec<String> = hops.iter().map(Node::arg).collect();
    let mut args = vec!["onion", "build"];
    for hop in &hop_args {
        args.extend_from_slice(&["--hop", hop]);
    }
    args.extend_from_slice(extra);
    let built = ok(&args);
    assert_eq!(
        common::keys(&built),
        [
            "final_ephemeral_pubkey",
            "guard_request_hex",
            "response_key_hex"
        ]
    );
    built
}

/// Walks the guard request through `hops` as each node would, and returns what the last one
/// is asked to do.
fn relay(hops: &[Node], built: &Map<String, Value>) -> Next {
    let mut body = hex::decode(common::field(built, "guard_request_hex")).unwrap();
    for (i, hop) in hops.iter().enumerate() {
        let next = node::peel(&hop.secret, &body).unwrap().next().unwrap();
        if i + 1 == hops.len() {
            return next;
        }
        let Next::Relay { destination, .. } = &next else {
            panic!("hop {i} should relay, got {next:?}")
        };
        assert_eq!(destination, &hops[i + 1].ed25519);
        body = next.relay_body().unwrap();
    }
    unreachable!("a path has at least one hop")
}

/// Relays a request built for `destination` to it and opens its layer, checking the printed
/// ephemeral and response keys against it: the layer, and the RPC body it asks to run.
fn deliver(hops: &[Node], destination: &Node, built: &Map<String, Value>) -> (Layer, Vec<u8>) {
    let last = relay(hops, built);
    let Next::Relay {
        destination: to, ..
    } = &last
    else {
        panic!("the last hop should relay to the destination, got {last:?}")
    };
    assert_eq!(to, &destination.ed25519);
    let body = last.relay_body().unwrap();
    assert_eq!(
        hex::encode(IncomingOnion::parse(&body).unwrap().ephemeral_key),
        common::field(built, "final_ephemeral_pubkey")
    );
    let layer = node::peel(&destination.secret, &body).unwrap();
    assert_eq!(
        hex::encode(layer.reply_key().expose_secret()),
        common::field(built, "response_key_hex")
    );
    let Next::Deliver { request, control } = layer.next().unwrap() else {
        panic!("the destination should be asked to run the RPC")
    };
    assert_eq!(control, Control::default());
    (layer, request)
}

/// `onion decrypt-response` of `data_hex` with the response key `key`.
fn decrypt_args<'a>(key: &'a str, enc: &'a str, kind: &'a str, data_hex: &'a str) -> Vec<&'a str> {
    vec![
        "onion",
        "decrypt-response",
        "--response-key",
        key,
        "--enc-type",
        enc,
        kind,
        "--data-hex",
        data_hex,
    ]
}

fn snode_args(destination: &Node, payload: &str, enc: &str) -> Vec<String> {
    [
        "--snode",
        &destination.arg(),
        "--payload",
        payload,
        "--enc-type",
        enc,
    ]
    .map(str::to_owned)
    .to_vec()
}

fn server_args(server: &X25519Secret, body: Option<&str>, enc: &str) -> Vec<String> {
    let mut args = vec![
        "--server".to_owned(),
        "http://127.0.0.1:8080".to_owned(),
        "--server-pubkey".to_owned(),
        hex::encode(server.public_key()),
        "--method".to_owned(),
        "POST".to_owned(),
        "--endpoint".to_owned(),
        "/room/lokinet/message?x=1".to_owned(),
        "--enc-type".to_owned(),
        enc.to_owned(),
    ];
    if let Some(body) = body {
        args.extend(["--body".to_owned(), body.to_owned()]);
    }
    args
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

#[test]
fn build_to_a_node_and_decrypt_its_answer() {
    let hops = path();
    let destination = Node::new(200);
    for enc in ENC_TYPES {
        let built = build(&hops, &strs(&snode_args(&destination, RPC, enc)));
        let (layer, request) = deliver(&hops, &destination, &built);
        assert_eq!(request, RPC.as_bytes());

        let answer = r#"{"version":[2,8,0],"t":1700000000000}"#;
        let reply = layer
            .reply(200, answer, Control::default(), &mut rng())
            .unwrap();
        let opened = ok(&decrypt_args(
            common::field(&built, "response_key_hex"),
            enc,
            "--snode",
            &hex::encode(&reply),
        ));
        assert_eq!(common::keys(&opened), ["body", "headers", "status"]);
        assert_eq!(opened["status"], json!(200));
        assert_eq!(opened["headers"], json!({}));
        assert_eq!(common::field(&opened, "body"), answer);

        // A status outside 2xx is what the node said, not an error of the command.
        let swarm = r#"{"snodes":[],"swarm":"1f","t":1700000000000,"hf":[19,3]}"#;
        let reply = layer
            .reply(421, swarm, Control::default(), &mut rng())
            .unwrap();
        let opened = ok(&decrypt_args(
            common::field(&built, "response_key_hex"),
            enc,
            "--snode",
            &hex::encode(&reply),
        ));
        assert_eq!(opened["status"], json!(421));
        assert_eq!(common::field(&opened, "body"), swarm);
    }
}

#[test]
fn node_answer_inside_a_result_object_is_accepted() {
    let hops = path();
    let destination = Node::new(201);
    for enc in ENC_TYPES {
        let built = build(&hops, &strs(&snode_args(&destination, RPC, enc)));
        let (layer, _) = deliver(&hops, &destination, &built);
        let reply = layer
            .reply(200, "{}", Control::default(), &mut rng())
            .unwrap();
        let base64 = String::from_utf8(reply).unwrap();
        for data in [
            format!(r#"{{"result":"{base64}"}}"#),
            format!("  {{ \"result\" : \"{base64}\" }}\n"),
            format!("{base64}\r\n"),
        ] {
            let opened = ok(&decrypt_args(
                common::field(&built, "response_key_hex"),
                enc,
                "--snode",
                &hex::encode(data.as_bytes()),
            ));
            assert_eq!(
                (&opened["status"], common::field(&opened, "body")),
                (&json!(200), "{}")
            );
        }
    }
}

#[test]
fn build_to_a_server_and_decrypt_its_v4_answer() {
    let hops = path();
    let server = X25519Secret::from_bytes([99; 32]);
    for enc in ENC_TYPES {
        for body in [Some(r#"{"data":"aGk="}"#), None] {
            let built = build(&hops, &strs(&server_args(&server, body, enc)));
            let Next::Server {
                host,
                port,
                protocol,
                target,
                payload,
            } = relay(&hops, &built)
            else {
                panic!("the last hop should proxy to the server")
            };
            assert_eq!(
                (host.as_str(), port, protocol.as_str(), target.as_str()),
                ("127.0.0.1", 8080, "http", "/oxen/v4/lsrpc")
            );
            let incoming = IncomingOnion::parse(&payload).unwrap();
            assert_eq!(
                hex::encode(incoming.ephemeral_key),
                common::field(&built, "final_ephemeral_pubkey")
            );
            assert_eq!(incoming.enc_type.as_str(), enc);
            let (request, key) = node::open_server_request(&server, &payload).unwrap();
            assert_eq!(
                hex::encode(key.expose_secret()),
                common::field(&built, "response_key_hex")
            );
            assert_eq!(request.method, "POST");
            assert_eq!(request.endpoint, "/room/lokinet/message?x=1");
            assert_eq!(request.body.as_deref(), body.map(str::as_bytes));
            let headers: Vec<_> = request.headers.iter().collect();
            match body {
                Some(_) => assert_eq!(
                    headers,
                    [(&"Content-Type".to_owned(), &"application/json".to_owned())]
                ),
                None => assert!(headers.is_empty()),
            }

            let answer = ServerResponse {
                status: 201,
                headers: [("content-type".to_owned(), "application/json".to_owned())].into(),
                body: br#"{"id":1}"#.to_vec(),
            };
            let sealed = node::seal_server_response(&key, &answer, &mut rng()).unwrap();
            let opened = ok(&decrypt_args(
                common::field(&built, "response_key_hex"),
                enc,
                "--v4",
                &hex::encode(&sealed),
            ));
            assert_eq!(common::keys(&opened), ["body", "headers", "status"]);
            assert_eq!(opened["status"], json!(201));
            assert_eq!(
                opened["headers"],
                json!({"content-type": "application/json"})
            );
            assert_eq!(common::field(&opened, "body"), r#"{"id":1}"#);

            // A server's error status and a binary body are data too.
            let answer = ServerResponse {
                status: 404,
                headers: Default::default(),
                body: vec![0xff, 0x00, b'a'],
            };
            let sealed = node::seal_server_response(&key, &answer, &mut rng()).unwrap();
            let opened = ok(&decrypt_args(
                common::field(&built, "response_key_hex"),
                enc,
                "--v4",
                &hex::encode(&sealed),
            ));
            assert_eq!(
                common::keys(&opened),
                ["body", "body_hex", "headers", "status"]
            );
            assert_eq!(opened["status"], json!(404));
            assert_eq!(common::field(&opened, "body"), "\u{fffd}\u{0}a");
            assert_eq!(common::field(&opened, "body_hex"), "ff0061");
        }
    }
}

#[test]
fn enc_type_aliases_and_the_default() {
    let hops = path();
    let destination = Node::new(202);
    for (alias, name) in [("gcm", "aes-gcm"), ("xchacha20-poly1305", "xchacha20")] {
        let built = build(&hops, &strs(&snode_args(&destination, RPC, alias)));
        let (layer, _) = deliver(&hops, &destination, &built);
        assert_eq!(layer.reply_key().enc_type().as_str(), name);
        let reply = layer
            .reply(200, "hi", Control::default(), &mut rng())
            .unwrap();
        for enc in [alias, name] {
            let opened = ok(&decrypt_args(
                common::field(&built, "response_key_hex"),
                enc,
                "--snode",
                &hex::encode(&reply),
            ));
            assert_eq!(common::field(&opened, "body"), "hi");
        }
    }
    // XChaCha20 unless told otherwise.
    let built = build(&hops, &["--snode", &destination.arg(), "--payload", RPC]);
    let (layer, _) = deliver(&hops, &destination, &built);
    assert_eq!(layer.reply_key().enc_type().as_str(), "xchacha20");
}

#[test]
fn every_build_is_fresh_and_paths_of_1_to_15_hops_work() {
    let destination = Node::new(203);
    let one = build(&path(), &strs(&snode_args(&destination, RPC, "xchacha20")));
    let two = build(&path(), &strs(&snode_args(&destination, RPC, "xchacha20")));
    for key in common::keys(&one) {
        assert_ne!(one[key], two[key], "{key}");
    }
    for hops in [1, 15] {
        let nodes: Vec<Node> = (1..=hops).map(Node::new).collect();
        let built = build(&nodes, &strs(&snode_args(&destination, RPC, "aes-gcm")));
        let (_, request) = deliver(&nodes, &destination, &built);
        assert_eq!(request, RPC.as_bytes());
    }
}

#[test]
fn tampered_or_misread_answers_are_errors() {
    let hops = path();
    let destination = Node::new(204);
    let built = build(&hops, &strs(&snode_args(&destination, RPC, "xchacha20")));
    let key = common::field(&built, "response_key_hex");
    let (layer, _) = deliver(&hops, &destination, &built);
    let reply = layer
        .reply(200, "{}", Control::default(), &mut rng())
        .unwrap();
    let raw = Control {
        json: false,
        base64: false,
    };
    let sealed = layer.reply(200, "{}", raw, &mut rng()).unwrap();

    // One changed base64 character, one changed ciphertext byte.
    let mut tampered = reply.clone();
    tampered[20] = if tampered[20] == b'A' { b'B' } else { b'A' };
    let mut flipped = sealed.clone();
    flipped[30] ^= 1;
    let (reply, sealed) = (hex::encode(&reply), hex::encode(&sealed));
    let (tampered, flipped) = (hex::encode(&tampered), hex::encode(&flipped));
    let other_key = "07".repeat(32);
    for args in [
        decrypt_args(key, "xchacha20", "--snode", &tampered),
        decrypt_args(key, "xchacha20", "--v4", &flipped),
        // The right bytes with the wrong key, or the wrong enc type.
        decrypt_args(&other_key, "xchacha20", "--snode", &reply),
        decrypt_args(key, "aes-gcm", "--snode", &reply),
        // A node's base64 read as a server's raw ciphertext.
        decrypt_args(key, "xchacha20", "--v4", &reply),
    ] {
        let message = common::fails(&args, 1, &[key, &other_key]);
        assert_eq!(message, "the response could not be decrypted", "{args:?}");
    }

    // Opened fine, but not a node's answer: the raw bytes are not base64, and a server's v4
    // answer is not a node's JSON. Or not even encrypted.
    let not_encrypted = [r#"{"status":200}"#, r#"{"result":5}"#, "{"].map(hex::encode);
    for args in [
        decrypt_args(key, "xchacha20", "--snode", &sealed),
        decrypt_args(key, "xchacha20", "--v4", &sealed),
        decrypt_args(key, "xchacha20", "--snode", &not_encrypted[0]),
        decrypt_args(key, "xchacha20", "--snode", &not_encrypted[1]),
        decrypt_args(key, "xchacha20", "--snode", &not_encrypted[2]),
    ] {
        let message = common::fails(&args, 1, &[key]);
        assert!(
            message.starts_with("malformed response: "),
            "{args:?}: {message}"
        );
    }
    let message = common::fails(&decrypt_args(key, "xchacha20", "--snode", "zz"), 1, &[key]);
    assert!(
        message.starts_with("--data-hex is not valid hex"),
        "{message}"
    );

    // A bad key is named, never shown.
    for bad in ["07".to_owned(), "zz".repeat(32), "07".repeat(33)] {
        let message = common::fails(
            &decrypt_args(&bad, "xchacha20", "--snode", &reply),
            1,
            &[&bad],
        );
        assert!(message.starts_with("--response-key "), "{message}");
    }
}

/// `onion build --hop <hop> --snode <snode> --payload <payload>`.
fn to_node<'a>(hop: &'a str, snode: &'a str, payload: &'a str) -> Vec<&'a str> {
    vec![
        "onion",
        "build",
        "--hop",
        hop,
        "--snode",
        snode,
        "--payload",
        payload,
    ]
}

/// `onion build --hop <hop> --server https://example.org --server-pubkey <key> --method
/// <method> --endpoint <endpoint>`.
fn to_server<'a>(hop: &'a str, key: &'a str, method: &'a str, endpoint: &'a str) -> Vec<&'a str> {
    vec![
        "onion",
        "build",
        "--hop",
        hop,
        "--server",
        "https://example.org",
        "--server-pubkey",
        key,
        "--method",
        method,
        "--endpoint",
        endpoint,
    ]
}

fn with<'a>(mut args: Vec<&'a str>, extra: &[&'a str]) -> Vec<&'a str> {
    args.extend_from_slice(extra);
    args
}

#[test]
fn bad_build_arguments() {
    let hop = Node::new(1).arg();
    let hop = hop.as_str();
    let (ed, x) = hop.split_once(':').unwrap();
    let joined = format!("{ed}{x}");
    let short = format!("{ed}:{}", &x[2..]);
    let server = hex::encode(X25519Secret::from_bytes([99; 32]).public_key());
    let sixteen: Vec<String> = (1..=16).map(|i| Node::new(i).arg()).collect();
    let mut too_long = vec!["onion", "build"];
    for hop in &sixteen {
        too_long.extend_from_slice(&["--hop", hop]);
    }
    too_long.extend_from_slice(&["--snode", hop, "--payload", RPC]);

    // Values the command reads itself: exit 1.
    for (args, says) in [
        (
            to_node(&joined, hop, RPC),
            "--hop 1 must be <ed25519 hex>:<x25519 hex>",
        ),
        (
            to_node(&short, hop, RPC),
            "--hop 1's X25519 key must be 32 bytes of hex, got 31 bytes",
        ),
        (
            with(to_node(hop, hop, RPC), &["--hop", "ab:cd"]),
            "--hop 2's Ed25519 key must be 32 bytes of hex",
        ),
        (
            to_node(hop, &joined, RPC),
            "--snode must be <ed25519 hex>:<x25519 hex>",
        ),
        (to_node(hop, hop, r#"{"method":"#), "--payload is not JSON"),
        (to_node(hop, hop, "info"), "--payload is not JSON"),
        (
            vec!["onion", "build", "--snode", hop, "--payload", RPC],
            "an onion path needs 1..=15 hops, got 0",
        ),
        (too_long, "an onion path needs 1..=15 hops, got 16"),
        (
            to_server(hop, &server, "GET", "/")
                .into_iter()
                .map(|arg| {
                    if arg.starts_with("https:") {
                        "ftp://x"
                    } else {
                        arg
                    }
                })
                .collect(),
            "invalid server URL",
        ),
        (
            to_server(hop, "abcd", "GET", "/"),
            "--server-pubkey must be 32 bytes of hex",
        ),
        (
            to_server(hop, &server, "GET", "capabilities"),
            "--endpoint must start with '/'",
        ),
        (
            to_server(hop, &server, "G T", "/"),
            "--method must be an HTTP method",
        ),
    ] {
        let message = common::fails(&args, 1, &[]);
        assert!(message.starts_with(says), "{args:?}: {message}");
    }

    // A command line that does not parse: exit 2, and a payload or body is never repeated.
    for (args, says) in [
        (
            with(to_node(hop, hop, RPC), &["--enc-type", "aes-cbc"]),
            "invalid value 'aes-cbc' for '--enc-type",
        ),
        (
            vec!["onion", "build", "--hop", hop, "--snode", hop],
            "--payload",
        ),
        (
            vec!["onion", "build", "--hop", hop, "--payload", RPC],
            "--snode",
        ),
        (vec!["onion", "build", "--hop", hop], "required"),
        (
            with(to_node(hop, hop, RPC), &["--server", "https://example.org"]),
            "cannot be used with",
        ),
        (
            to_server(hop, &server, "GET", "/")[..10].to_vec(),
            "--endpoint",
        ),
        (
            with(to_node(hop, hop, RPC), &["--body", "secret body"]),
            "--server",
        ),
        (
            with(to_node(hop, hop, "secret"), &["payload"]),
            "unexpected argument '<redacted>'",
        ),
    ] {
        let message = common::fails(&args, 2, &[RPC, "secret"]);
        assert!(message.contains(says), "{args:?}: {message}");
    }
}

#[test]
fn bad_decrypt_arguments() {
    let key = "07".repeat(32);
    for (args, says) in [
        (
            vec![
                "onion",
                "decrypt-response",
                "--response-key",
                &key,
                "--enc-type",
                "aes-gcm",
                "--data-hex",
                "00",
            ],
            "--v4",
        ),
        (
            vec![
                "onion",
                "decrypt-response",
                "--response-key",
                &key,
                "--enc-type",
                "aes-gcm",
                "--v4",
                "--snode",
                "--data-hex",
                "00",
            ],
            "cannot be used with",
        ),
        (
            vec![
                "onion",
                "decrypt-response",
                "--response-key",
                &key,
                "--v4",
                "--data-hex",
                "00",
            ],
            "--enc-type",
        ),
        (
            vec![
                "onion",
                "decrypt-response",
                "--response-key",
                &key,
                "--enc-type",
                "chacha",
                "--v4",
                "--data-hex",
                "00",
            ],
            "invalid value",
        ),
        (
            vec![
                "onion",
                "decrypt-response",
                "--enc-type",
                "gcm",
                "--v4",
                "--data-hex",
                "00",
            ],
            "--response-key",
        ),
    ] {
        let message = common::fails(&args, 2, &[&key]);
        assert!(message.contains(says), "{args:?}: {message}");
    }
}
