//! Messaging against the loopback network (work in progress; joins the localnet binary).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use session_crypto::Ed25519Seed;
use session_identity::Keypair;
use session_localnet::LocalNet;
use session_swarm::client::{ClientOptions, SwarmClient};
use session_swarm::messaging::{IncomingMessage, MessageStream, Messenger, MessengerOptions};
use session_swarm::net::{Network, SeedConfig, SeedNode};
use session_swarm::store::{MemoryStore, SqliteStore, Store};

fn keypair(byte: u8) -> Keypair {
    Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([byte; 32]))
}

async fn start() -> LocalNet {
    LocalNet::builder()
        .nodes(12)
        .swarms(4)
        .seed([9; 32])
        .rate_limit(false)
        .relay_timeout(Duration::from_secs(2))
        .peer_timeout(Duration::from_millis(500))
        .start()
        .await
        .unwrap()
}

fn options() -> ClientOptions {
    let mut options = ClientOptions::default();
    options.onion.ignore_subnets = true;
    options.seed = SeedConfig::once(Duration::from_secs(5));
    options.request_timeout = Duration::from_secs(3);
    options.deadline = Duration::from_secs(10);
    options.backoff_base = Duration::from_millis(50);
    options.backoff_max = Duration::from_millis(200);
    options
}

fn messenger_options() -> MessengerOptions {
    let mut options = MessengerOptions::default();
    options.poll_interval = Duration::from_millis(100);
    options
}

async fn messenger(net: &LocalNet, byte: u8, store: Arc<dyn Store>) -> Messenger {
    let network = Network::Custom {
        seeds: vec![SeedNode {
            url: net.seed_url().to_owned(),
            cert_der: Some(net.seed_cert_der().to_vec()),
        }],
    };
    let client = SwarmClient::connect(network, options()).await.unwrap();
    Messenger::new(client, keypair(byte), store, messenger_options())
}

async fn next(stream: &mut MessageStream) -> IncomingMessage {
    use std::future::poll_fn;
    use std::pin::Pin;
    let item = tokio::time::timeout(
        Duration::from_secs(20),
        poll_fn(|cx| futures_core::Stream::poll_next(Pin::new(&mut *stream), cx)),
    )
    .await
    .expect("no message in time");
    item.unwrap().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alice_and_bob_talk() {
    let net = start().await;
    let alice = messenger(&net, 1, Arc::new(MemoryStore::new())).await;
    let bob = messenger(&net, 2, Arc::new(MemoryStore::new())).await;

    let sent = alice.send_text(bob.session_id(), "hi Bob").await.unwrap();
    assert!(sent.sync_hash.is_some());
    let mut inbox = bob.messages();
    let got = next(&mut inbox).await;
    assert_eq!(got.sender, *alice.session_id());
    assert_eq!(got.text(), Some("hi Bob"));
    assert_eq!(got.hash, sent.hash);
    assert_eq!(got.sent_at_ms, sent.timestamp_ms);

    bob.send_text(alice.session_id(), "hi Alice").await.unwrap();
    let mut alice_inbox = alice.messages();
    let reply = next(&mut alice_inbox).await;
    assert_eq!(reply.text(), Some("hi Alice"));
    // Alice's own sync copy is not delivered back to her; asking again records the reply.
    let more = tokio::time::timeout(Duration::from_millis(500), next(&mut alice_inbox)).await;
    assert!(more.is_err());
    drop(alice_inbox);
    assert!(alice.receive_once().await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_resumes_without_redelivering() {
    let net = start().await;
    let dir = std::env::temp_dir().join(format!("swarm-msg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bob.db");
    let _ = std::fs::remove_file(&path);
    let alice = messenger(&net, 3, Arc::new(MemoryStore::new())).await;
    let bob_keys = keypair(4).session_id();
    for i in 0..3 {
        alice.send_text(&bob_keys, format!("m{i}")).await.unwrap();
    }
    {
        let bob = messenger(&net, 4, Arc::new(SqliteStore::open(&path).unwrap())).await;
        let mut inbox = bob.messages();
        for i in 0..3 {
            assert_eq!(
                next(&mut inbox).await.text(),
                Some(format!("m{i}").as_str())
            );
        }
        // Asking for a fourth records the third; none is there yet.
        let more = tokio::time::timeout(Duration::from_millis(500), next(&mut inbox)).await;
        assert!(more.is_err());
    }
    alice.send_text(&bob_keys, "m3").await.unwrap();
    let bob = messenger(&net, 4, Arc::new(SqliteStore::open(&path).unwrap())).await;
    let mut inbox = bob.messages();
    assert_eq!(next(&mut inbox).await.text(), Some("m3"));
    let _ = std::fs::remove_dir_all(&dir);
}
