//! `send` and `receive` against a local network started in this process: a message from
//! Alice to Bob and back, with the JSON fields checked exactly, the store that stops
//! redelivery, and the errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;

use serde_json::Value;
use session::Seed;
use session::localnet::LocalNet;
use tokio::runtime::Runtime;

/// Alice by a 16-byte seed, Bob by his recovery phrase.
const ALICE_SEED: &str = "0123456789abcdef0123456789abcdef";
const BOB_PHRASE: &str =
    "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi";
const BOB_ID: &str = "054830367d369d94605247999a375dbd0a0f65fdec5de1535612bcb6d4de452c69";

/// A running network and the files the commands need. The runtime's worker threads serve
/// the network while the test blocks on the binary.
struct Net {
    runtime: Runtime,
    net: Option<LocalNet>,
    dir: PathBuf,
    seed_url: String,
    cert: String,
}

impl Net {
    fn start(name: &str) -> Self {
        let runtime = Runtime::new().unwrap();
        let net = runtime
            .block_on(
                LocalNet::builder()
                    .nodes(8)
                    .swarms(2)
                    // Every command connects from 127.0.0.1.
                    .rate_limit(false)
                    .start(),
            )
            .unwrap();
        let dir = std::env::temp_dir().join(format!("session-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let cert = dir.join("seed.pem");
        std::fs::write(&cert, net.seed_cert_pem()).unwrap();
        Self {
            seed_url: net.seed_url().to_owned(),
            cert: cert.to_str().unwrap().to_owned(),
            runtime,
            net: Some(net),
            dir,
        }
    }

    /// The options every network command takes.
    fn args<'a>(&'a self, command: &'a str) -> Vec<&'a str> {
        vec![
            command,
            "--seed-url",
            &self.seed_url,
            "--seed-cert",
            &self.cert,
        ]
    }

    fn path(&self, file: &str) -> String {
        self.dir.join(file).to_str().unwrap().to_owned()
    }
}

impl Drop for Net {
    fn drop(&mut self) {
        if let Some(net) = self.net.take() {
            self.runtime.block_on(net.shutdown());
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn alice_id() -> String {
    Seed::from_hex(ALICE_SEED)
        .unwrap()
        .keypair()
        .session_id()
        .to_string()
}

/// The messages of a `receive` output, whose only field is `messages`.
fn messages(output: &serde_json::Map<String, Value>) -> Vec<serde_json::Map<String, Value>> {
    assert_eq!(common::keys(output), ["messages"]);
    output["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|message| message.as_object().unwrap().clone())
        .collect()
}

#[test]
fn alice_sends_bob_receives_and_replies() {
    let net = Net::start("talk");

    let mut send = net.args("send");
    send.extend(["--seed", ALICE_SEED, "--to", BOB_ID, "--text", "hello Bob"]);
    let sent = common::ok(&send);
    assert_eq!(common::keys(&sent), ["hash", "timestamp"]);
    let hash = common::field(&sent, "hash").to_owned();
    assert_eq!(hash.len(), 43, "unpadded base64 of 32 bytes: {hash}");
    let timestamp = sent["timestamp"].as_u64().unwrap();
    assert!(timestamp > 1_700_000_000_000);

    let mut receive = net.args("receive");
    receive.extend(["--mnemonic", BOB_PHRASE, "--wait-ms", "10000"]);
    let got = messages(&common::ok(&receive));
    assert_eq!(got.len(), 1, "{got:?}");
    let message = &got[0];
    assert_eq!(
        common::keys(message),
        ["hash", "kind", "sender", "text", "timestamp"]
    );
    assert_eq!(common::field(message, "sender"), alice_id());
    assert_eq!(message["timestamp"].as_u64(), Some(timestamp));
    assert_eq!(common::field(message, "kind"), "visible");
    assert_eq!(common::field(message, "text"), "hello Bob");
    assert_eq!(common::field(message, "hash"), hash);

    // Bob answers; Alice sees the reply.
    let alice = alice_id();
    let mut reply = net.args("send");
    reply.extend([
        "--mnemonic",
        BOB_PHRASE,
        "--to",
        &alice,
        "--text",
        "hi Alice",
    ]);
    let replied = common::ok(&reply);
    let mut alice_receive = net.args("receive");
    alice_receive.extend(["--seed", ALICE_SEED, "--wait-ms", "10000"]);
    let got = messages(&common::ok(&alice_receive));
    let texts: Vec<(&str, &str)> = got
        .iter()
        .map(|m| (common::field(m, "sender"), common::field(m, "text")))
        .collect();
    // Without a shared --store, `send` did not record the copy kept for Alice's other
    // devices, so this fresh process receives it too (as `visible`, from Alice).
    assert!(texts.contains(&(BOB_ID, "hi Alice")), "{texts:?}");
    let from_bob = got
        .iter()
        .find(|m| common::field(m, "sender") == BOB_ID)
        .unwrap();
    assert_eq!(
        common::field(from_bob, "hash"),
        common::field(&replied, "hash")
    );
}

#[test]
fn a_store_stops_redelivery() {
    let net = Net::start("store");
    let mut send = net.args("send");
    send.extend(["--seed", ALICE_SEED, "--to", BOB_ID, "--text", "once"]);
    common::ok(&send);

    let store = net.path("bob.db");
    let mut receive = net.args("receive");
    receive.extend([
        "--mnemonic",
        BOB_PHRASE,
        "--wait-ms",
        "10000",
        "--store",
        &store,
    ]);
    let first = messages(&common::ok(&receive));
    assert_eq!(first.len(), 1);
    assert_eq!(common::field(&first[0], "text"), "once");

    // The same store: nothing new. No store: everything still on the swarm, again.
    let mut again = net.args("receive");
    again.extend(["--mnemonic", BOB_PHRASE, "--store", &store]);
    assert!(messages(&common::ok(&again)).is_empty());
    let mut fresh = net.args("receive");
    fresh.extend(["--mnemonic", BOB_PHRASE]);
    let redelivered = messages(&common::ok(&fresh));
    assert_eq!(redelivered.len(), 1);
    assert_eq!(
        common::field(&redelivered[0], "hash"),
        common::field(&first[0], "hash")
    );
}

#[test]
fn an_empty_inbox_waits_then_prints_no_messages() {
    let net = Net::start("empty");
    let mut receive = net.args("receive");
    receive.extend(["--seed", ALICE_SEED, "--wait-ms", "300"]);
    let started = std::time::Instant::now();
    assert!(messages(&common::ok(&receive)).is_empty());
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
}

#[test]
fn bad_input_is_reported_without_secrets() {
    let net = Net::start("errors");
    let words: Vec<&str> = BOB_PHRASE.split(' ').collect();

    let mut bad_to = net.args("send");
    bad_to.extend([
        "--mnemonic",
        BOB_PHRASE,
        "--to",
        "05abcd",
        "--text",
        "secret text",
    ]);
    let message = common::fails(&bad_to, 1, &words);
    assert!(!message.contains("secret text"), "{message}");

    let missing = net.path("missing.pem");
    let no_cert = [
        "receive",
        "--seed-url",
        &net.seed_url,
        "--seed-cert",
        &missing,
        "--seed",
        ALICE_SEED,
    ];
    let message = common::fails(&no_cert, 1, &[ALICE_SEED]);
    assert!(message.starts_with("cannot read --seed-cert"), "{message}");

    let not_pem = net.path("not.pem");
    std::fs::write(&not_pem, "hello").unwrap();
    let bad_cert = [
        "receive",
        "--seed-url",
        &net.seed_url,
        "--seed-cert",
        &not_pem,
        "--seed",
        ALICE_SEED,
    ];
    let message = common::fails(&bad_cert, 1, &[ALICE_SEED]);
    assert_eq!(message, "--seed-cert is not a PEM certificate");

    // An https seed without its certificate cannot be trusted.
    let unpinned = ["receive", "--seed-url", &net.seed_url, "--seed", ALICE_SEED];
    common::fails(&unpinned, 1, &[ALICE_SEED]);

    let no_url = ["receive", "--mnemonic", BOB_PHRASE];
    let message = common::fails(&no_url, 2, &words);
    assert!(message.contains("--seed-url"), "{message}");
}
