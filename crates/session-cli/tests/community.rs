//! `community ...` against the SOGS double of a local network started in this process:
//! straight to the server and through onion paths, with the JSON fields checked exactly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;

use serde_json::{Map, Value};
use session::identity::blinding::blind15;
use session::localnet::{LocalNet, SogsOptions};
use session::{Keypair, Seed};
use tokio::runtime::Runtime;

/// Alice by a 16-byte seed, Bob by his recovery phrase.
const ALICE_SEED: &str = "0123456789abcdef0123456789abcdef";
const BOB_PHRASE: &str =
    "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi";
const BOB_ID: &str = "054830367d369d94605247999a375dbd0a0f65fdec5de1535612bcb6d4de452c69";

/// A running network with its SOGS double, and the files the commands need.
struct Net {
    runtime: Runtime,
    net: Option<LocalNet>,
    dir: PathBuf,
    seed_url: String,
    cert: String,
    server: String,
    server_pubkey: [u8; 32],
    room_url: String,
}

impl Net {
    fn start(name: &str) -> Self {
        let runtime = Runtime::new().unwrap();
        let net = runtime
            .block_on(
                LocalNet::builder()
                    .nodes(8)
                    .swarms(2)
                    .rate_limit(false)
                    // Every poster connects from 127.0.0.1 and posts more than 5 in 16 s.
                    .sogs(SogsOptions::default().rate_limit(false))
                    .start(),
            )
            .unwrap();
        let dir =
            std::env::temp_dir().join(format!("session-cli-sogs-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let cert = dir.join("seed.pem");
        std::fs::write(&cert, net.seed_cert_pem()).unwrap();
        let sogs = net.sogs().clone();
        Self {
            seed_url: net.seed_url().to_owned(),
            cert: cert.to_str().unwrap().to_owned(),
            room_url: format!("{}/lobby?public_key={}", sogs.url, hex::encode(sogs.x25519)),
            server: sogs.url,
            server_pubkey: sogs.x25519,
            runtime,
            net: Some(net),
            dir,
        }
    }

    /// `community <command> --url <lobby>`, plus the onion route when `onion`.
    fn args<'a>(&'a self, command: &'a str, onion: bool) -> Vec<&'a str> {
        let mut args = vec!["community", command, "--url", &self.room_url];
        if onion {
            args.extend(["--seed-url", &self.seed_url, "--seed-cert", &self.cert]);
        }
        args
    }

    /// `id` blinded for this server (the first of the two candidates: the key's sign bit
    /// is clear for both test accounts).
    fn blinded(&self, keypair: &Keypair) -> String {
        blind15::id(keypair, &self.server_pubkey).to_string()
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

fn alice() -> Keypair {
    Seed::from_hex(ALICE_SEED).unwrap().keypair()
}

fn bob() -> Keypair {
    Seed::from_mnemonic(BOB_PHRASE).unwrap().keypair()
}

fn list(output: &Map<String, Value>, key: &str) -> Vec<Map<String, Value>> {
    assert_eq!(common::keys(output), [key]);
    output[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item.as_object().unwrap().clone())
        .collect()
}

/// Alice posts, Bob reads, reacts and DMs her; Alice reads the DM and uploads a file.
fn conversation(net: &Net, onion: bool) {
    let mut post = net.args("post", onion);
    post.extend(["--seed", ALICE_SEED, "--text", "hello room"]);
    let posted = common::ok(&post);
    assert_eq!(common::keys(&posted), ["id", "seqno"]);
    let id = posted["id"].as_u64().unwrap();
    let seqno = posted["seqno"].as_u64().unwrap();

    let mut read = net.args("read", onion);
    read.extend(["--mnemonic", BOB_PHRASE]);
    let messages = list(&common::ok(&read), "messages");
    let message = messages
        .iter()
        .find(|m| m["id"].as_u64() == Some(id))
        .unwrap();
    assert_eq!(
        common::keys(message),
        [
            "author",
            "id",
            "reactions",
            "seqno",
            "signature_valid",
            "text"
        ]
    );
    assert_eq!(common::field(message, "author"), net.blinded(&alice()));
    assert_eq!(common::field(message, "text"), "hello room");
    assert_eq!(message["signature_valid"], Value::Bool(true));
    assert_eq!(message["seqno"].as_u64(), Some(seqno));
    assert_eq!(message["reactions"], serde_json::json!({}));

    let message_id = id.to_string();
    let mut react = net.args("react", onion);
    react.extend([
        "--mnemonic",
        BOB_PHRASE,
        "--message-id",
        &message_id,
        "--emoji",
        "👍",
    ]);
    assert_eq!(common::ok(&react)["ok"], Value::Bool(true));

    let mut again = net.args("read", onion);
    again.extend(["--seed", ALICE_SEED]);
    let reread = list(&common::ok(&again), "messages");
    let reacted = reread
        .iter()
        .find(|m| m["id"].as_u64() == Some(id))
        .unwrap();
    assert_eq!(reacted["reactions"], serde_json::json!({"👍": 1}));

    // With --since, only the posts after that sequence number (a reaction alone does not
    // make a message new).
    let mut second = net.args("post", onion);
    second.extend(["--mnemonic", BOB_PHRASE, "--text", "second"]);
    let second_id = common::ok(&second)["id"].as_u64().unwrap();
    let since = reacted["seqno"].as_u64().unwrap().to_string();
    let mut newer = net.args("read", onion);
    newer.extend(["--seed", ALICE_SEED, "--since", &since]);
    let changed = list(&common::ok(&newer), "messages");
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0]["id"].as_u64(), Some(second_id));
    assert_eq!(common::field(&changed[0], "author"), net.blinded(&bob()));

    let alice_blinded = net.blinded(&alice());
    let mut dm = net.args("dm-send", onion);
    dm.extend([
        "--mnemonic",
        BOB_PHRASE,
        "--to",
        &alice_blinded,
        "--text",
        "psst",
    ]);
    let sent = common::ok(&dm);
    assert_eq!(common::keys(&sent), ["id"]);
    let dm_id = sent["id"].as_u64().unwrap();

    let mut dm_read = net.args("dm-read", onion);
    dm_read.extend(["--seed", ALICE_SEED]);
    let dms = list(&common::ok(&dm_read), "messages");
    let got = dms
        .iter()
        .find(|m| m["id"].as_u64() == Some(dm_id))
        .unwrap();
    assert_eq!(
        common::keys(got),
        ["id", "sender", "sender_session_id", "text"]
    );
    assert_eq!(common::field(got, "sender"), net.blinded(&bob()));
    assert_eq!(common::field(got, "sender_session_id"), BOB_ID);
    assert_eq!(common::field(got, "text"), "psst");
    let after = dm_id.to_string();
    let mut none_newer = net.args("dm-read", onion);
    none_newer.extend(["--seed", ALICE_SEED, "--since", &after]);
    assert!(list(&common::ok(&none_newer), "messages").is_empty());

    let file = net.dir.join(if onion { "onion.txt" } else { "direct.txt" });
    std::fs::write(&file, b"file bytes").unwrap();
    let file = file.to_str().unwrap().to_owned();
    let mut upload = net.args("upload", onion);
    upload.extend(["--seed", ALICE_SEED, "--file", &file]);
    let uploaded = common::ok(&upload);
    assert_eq!(common::keys(&uploaded), ["id", "url"]);
    let file_id = uploaded["id"].as_u64().unwrap();
    assert_eq!(
        common::field(&uploaded, "url"),
        format!("{}/room/lobby/file/{file_id}", net.server)
    );
}

#[test]
fn rooms_post_read_react_dm_and_upload_straight_to_the_server() {
    let net = Net::start("direct");
    let pubkey = hex::encode(net.server_pubkey);
    let rooms = list(
        &common::ok(&[
            "community",
            "rooms",
            "--server",
            &net.server,
            "--server-pubkey",
            &pubkey,
        ]),
        "rooms",
    );
    assert_eq!(rooms.len(), 1);
    assert_eq!(common::field(&rooms[0], "token"), "lobby");
    assert_eq!(common::field(&rooms[0], "name"), "Lobby");
    conversation(&net, false);
}

#[test]
fn the_same_through_onion_paths() {
    let net = Net::start("onion");
    let pubkey = hex::encode(net.server_pubkey);
    let rooms = list(
        &common::ok(&[
            "community",
            "rooms",
            "--server",
            &net.server,
            "--server-pubkey",
            &pubkey,
            "--seed-url",
            &net.seed_url,
            "--seed-cert",
            &net.cert,
        ]),
        "rooms",
    );
    assert_eq!(common::field(&rooms[0], "token"), "lobby");
    conversation(&net, true);
}

#[test]
fn errors_are_json_and_name_no_secret() {
    let net = Net::start("errors");
    let message = common::fails(
        &[
            "community",
            "read",
            "--url",
            "http://127.0.0.1:1/lobby",
            "--seed",
            ALICE_SEED,
        ],
        1,
        &[ALICE_SEED],
    );
    assert!(message.contains("public_key"), "{message}");

    // A room the server does not have.
    let missing = net.room_url.replace("/lobby?", "/nowhere?");
    let message = common::fails(
        &[
            "community",
            "post",
            "--url",
            &missing,
            "--mnemonic",
            BOB_PHRASE,
            "--text",
            "secret text",
        ],
        1,
        &["puffin", "secret text"],
    );
    assert!(message.contains("not found"), "{message}");

    // The certificate belongs to the onion route.
    let mut args = net.args("read", false);
    args.extend(["--seed", ALICE_SEED, "--seed-cert", &net.cert]);
    common::fails(&args, 2, &[ALICE_SEED]);
}
