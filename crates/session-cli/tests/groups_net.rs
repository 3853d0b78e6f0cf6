//! The networked `group` commands and `config show` against a local network started in
//! this process, every run a fresh process: Alice creates a group with Bob and posts; Bob
//! (by his recovery phrase) accepts the invite and reads it, but may not promote; Alice
//! invites and promotes Carol, removes Bob and posts again; Bob is then refused (removed),
//! while Alice, taking the group up from her UserGroups config, reads both posts; `config
//! show` lists the group; a `--store` remembers what was read. Every JSON field is checked
//! exactly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;

use serde_json::{Map, Value};
use session::Seed;
use session::localnet::LocalNet;
use tokio::runtime::Runtime;

/// Alice by a 16-byte seed, Bob by his recovery phrase, Carol by a 32-byte seed.
const ALICE_SEED: &str = "0123456789abcdef0123456789abcdef";
const BOB_PHRASE: &str =
    "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi";
const BOB_ID: &str = "054830367d369d94605247999a375dbd0a0f65fdec5de1535612bcb6d4de452c69";
const CAROL_SEED: &str = "4242424242424242424242424242424242424242424242424242424242424242";

/// A running network and the seed certificate file. The runtime's worker threads serve
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

    /// `words` (the subcommand), the network options, then `rest`.
    fn args<'a>(&'a self, words: &[&'a str], rest: &[&'a str]) -> Vec<&'a str> {
        let mut args = words.to_vec();
        args.extend(["--seed-url", &self.seed_url, "--seed-cert", &self.cert]);
        args.extend(rest);
        args
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

fn id_of(seed: &str) -> String {
    Seed::from_hex(seed)
        .unwrap()
        .keypair()
        .session_id()
        .to_string()
}

/// A JSON array of strings.
fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

/// The messages of a `group read` output, whose only field is `messages`.
fn messages(output: &Map<String, Value>) -> Vec<Map<String, Value>> {
    assert_eq!(common::keys(output), ["messages"]);
    output["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_object().unwrap().clone())
        .collect()
}

/// Checks one read message exactly.
fn check_message(
    message: &Map<String, Value>,
    sender: &str,
    text: &str,
    sent: &Map<String, Value>,
) {
    assert_eq!(
        common::keys(message),
        ["hash", "kind", "sender", "text", "timestamp"]
    );
    assert_eq!(common::field(message, "sender"), sender);
    assert_eq!(common::field(message, "kind"), "visible");
    assert_eq!(common::field(message, "text"), text);
    assert_eq!(common::field(message, "hash"), common::field(sent, "hash"));
    assert_eq!(message["timestamp"], sent["timestamp"]);
}

#[test]
fn a_group_is_created_read_administered_and_left_behind() {
    let started = std::time::Instant::now();
    let net = Net::start("groups-net");
    let (alice, carol) = (id_of(ALICE_SEED), id_of(CAROL_SEED));
    let as_alice = ["--seed", ALICE_SEED];
    let as_bob = ["--mnemonic", BOB_PHRASE, "--wait-ms", "10000"];

    let created = common::ok(&net.args(
        &["group", "create"],
        &[&as_alice[..], &["--name", "CLI group", "--member", BOB_ID]].concat(),
    ));
    assert_eq!(common::keys(&created), ["failed", "group_id", "invited"]);
    let group = common::field(&created, "group_id").to_owned();
    assert!(group.starts_with("03") && group.len() == 66, "{group}");
    assert_eq!(strings(&created["invited"]), [BOB_ID]);
    assert!(strings(&created["failed"]).is_empty());
    let on_group = ["--group-id", group.as_str()];

    let first = common::ok(&net.args(
        &["group", "send"],
        &[&as_alice[..], &on_group, &["--text", "hello group"]].concat(),
    ));
    assert_eq!(common::keys(&first), ["hash", "timestamp"]);
    assert_eq!(common::field(&first, "hash").len(), 43);
    assert!(first["timestamp"].as_u64().unwrap() > 1_700_000_000_000);

    // Bob, in a process of his own, takes the invite from his inbox, joins and reads.
    let read = messages(&common::ok(
        &net.args(&["group", "read"], &[&as_bob[..], &on_group].concat()),
    ));
    assert_eq!(read.len(), 1, "{read:?}");
    check_message(&read[0], &alice, "hello group", &first);
    // A member is no admin.
    let words: Vec<&str> = BOB_PHRASE.split(' ').collect();
    let message = common::fails(
        &net.args(
            &["group", "promote"],
            &[
                "--mnemonic",
                BOB_PHRASE,
                "--group-id",
                &group,
                "--member",
                BOB_ID,
            ],
        ),
        1,
        &words,
    );
    assert_eq!(
        message,
        format!("this needs the admin key of group {group}")
    );

    // Alice's UserGroups lists the group, named by its Info config.
    let shown = common::ok(&net.args(&["config", "show"], &as_alice));
    assert_eq!(
        common::keys(&shown),
        ["communities", "contacts", "groups", "profile"]
    );
    assert_eq!(
        shown["groups"],
        serde_json::json!([{"group_id": group, "name": "CLI group"}])
    );
    assert_eq!(
        shown["profile"],
        serde_json::json!({"name": null, "profile_pic_url": null})
    );
    assert_eq!(shown["contacts"], serde_json::json!([]));
    assert_eq!(shown["communities"], serde_json::json!([]));

    let invited = common::ok(&net.args(
        &["group", "invite"],
        &[&as_alice[..], &on_group, &["--member", &carol]].concat(),
    ));
    assert_eq!(common::keys(&invited), ["failed", "invited"]);
    assert_eq!(strings(&invited["invited"]), [carol.as_str()]);
    assert!(strings(&invited["failed"]).is_empty());
    let promoted = common::ok(&net.args(
        &["group", "promote"],
        &[&as_alice[..], &on_group, &["--member", &carol]].concat(),
    ));
    assert_eq!(
        promoted,
        serde_json::json!({"promoted": carol})
            .as_object()
            .unwrap()
            .clone()
    );

    let removed = common::ok(&net.args(
        &["group", "remove"],
        &[&as_alice[..], &on_group, &["--member", BOB_ID]].concat(),
    ));
    assert_eq!(
        removed,
        serde_json::json!({"removed": [BOB_ID]})
            .as_object()
            .unwrap()
            .clone()
    );
    let second = common::ok(&net.args(
        &["group", "send"],
        &[&as_alice[..], &on_group, &["--text", "after Bob"]].concat(),
    ));

    // Bob's next run finds the kicked notice: refused, exit 1, nothing on stdout.
    let message = common::fails(
        &net.args(&["group", "read"], &[&as_bob[..], &on_group].concat()),
        1,
        &words,
    );
    assert_eq!(message, format!("removed from group {group}"));
    // And the run after it learns it from his UserGroups config at once.
    let message = common::fails(
        &net.args(&["group", "read"], &[&as_bob[..], &on_group].concat()),
        1,
        &words,
    );
    assert_eq!(message, format!("removed from group {group}"));

    // Alice, in a fresh process, reads both posts.
    let read = messages(&common::ok(
        &net.args(&["group", "read"], &[&as_alice[..], &on_group].concat()),
    ));
    assert_eq!(read.len(), 2, "{read:?}");
    check_message(&read[0], &alice, "hello group", &first);
    check_message(&read[1], &alice, "after Bob", &second);
    eprintln!("groups over the network: {:?}", started.elapsed());
}

#[test]
fn bad_group_commands_fail_cleanly() {
    let net = Net::start("groups-net-errors");
    let unknown = "03".to_owned() + &"ab".repeat(32);
    let message = common::fails(
        &net.args(
            &["group", "send"],
            &[
                "--seed",
                ALICE_SEED,
                "--group-id",
                &unknown,
                "--text",
                "secret text",
            ],
        ),
        1,
        &[ALICE_SEED, "secret text"],
    );
    assert_eq!(message, format!("not in group {unknown}"));

    let message = common::fails(
        &net.args(
            &["group", "read"],
            &["--seed", ALICE_SEED, "--group-id", BOB_ID],
        ),
        1,
        &[ALICE_SEED],
    );
    assert!(message.starts_with("--group-id must be a 03"), "{message}");

    let message = common::fails(
        &net.args(
            &["group", "read"],
            &["--seed", ALICE_SEED, "--group-id", &unknown],
        ),
        1,
        &[ALICE_SEED],
    );
    assert_eq!(
        message,
        format!("not in group {unknown}, and no invite to it arrived")
    );

    let message = common::fails(
        &[
            "group",
            "invite",
            "--seed",
            ALICE_SEED,
            "--group-id",
            &unknown,
        ],
        2,
        &[ALICE_SEED],
    );
    assert!(message.contains("--seed-url"), "{message}");
}

#[test]
fn a_store_remembers_what_was_read() {
    let net = Net::start("groups-net-store");
    let store = net.dir.join("bob.db");
    let store = store.to_str().unwrap();
    let created = common::ok(&net.args(
        &["group", "create"],
        &["--seed", ALICE_SEED, "--name", "Stored", "--member", BOB_ID],
    ));
    let group = common::field(&created, "group_id").to_owned();
    let sent = common::ok(&net.args(
        &["group", "send"],
        &["--seed", ALICE_SEED, "--group-id", &group, "--text", "once"],
    ));
    let as_bob = [
        "--mnemonic",
        BOB_PHRASE,
        "--group-id",
        group.as_str(),
        "--store",
        store,
    ];
    let read = messages(&common::ok(&net.args(
        &["group", "read"],
        &[&as_bob[..], &["--wait-ms", "10000"]].concat(),
    )));
    assert_eq!(read.len(), 1, "{read:?}");
    check_message(&read[0], &id_of(ALICE_SEED), "once", &sent);

    // The same store: the group is joined and nothing is new. Without it, the swarm's
    // copy is read again.
    assert!(messages(&common::ok(&net.args(&["group", "read"], &as_bob))).is_empty());
    let fresh = messages(&common::ok(&net.args(
        &["group", "read"],
        &["--mnemonic", BOB_PHRASE, "--group-id", &group],
    )));
    assert_eq!(fresh.len(), 1);
    check_message(&fresh[0], &id_of(ALICE_SEED), "once", &sent);
}
