//! The messenger end to end: Alice and Bob talk, a restarted receiver resumes without
//! redelivering, a saved pool spares the seed, and 200 messages cross a network where a
//! third of the nodes go down and up at random and a tenth of the requests are dropped.

use std::sync::Arc;
use std::time::Duration;

use session_localnet::LocalNet;
use session_swarm::client::SwarmClient;
use session_swarm::messaging::{IncomingMessage, MessageStream, Messenger, MessengerOptions};
use session_swarm::net::{Network, SeedNode};
use session_swarm::store::{MemoryStore, SqliteStore, Store};

use crate::common::{keypair, network, options};

/// 12 nodes in 4 swarms of 3; short timeouts keep the chaos test's failed attempts cheap.
async fn start() -> LocalNet {
    crate::common::builder(12, 4)
        .seed([9; 32])
        .relay_timeout(Duration::from_millis(500))
        .peer_timeout(Duration::from_millis(200))
        .start()
        .await
        .unwrap()
}

fn client_options() -> session_swarm::client::ClientOptions {
    let mut options = options();
    options.request_timeout = Duration::from_millis(1500);
    options
}

fn messenger_options() -> MessengerOptions {
    let mut options = MessengerOptions::default();
    options.poll_interval = Duration::from_millis(100);
    options
}

async fn messenger(net: &LocalNet, byte: u8, store: Arc<dyn Store>) -> Messenger {
    let client = SwarmClient::connect(network(net), client_options())
        .await
        .unwrap();
    Messenger::new(client, keypair(byte), store, messenger_options())
}

async fn next(stream: &mut MessageStream) -> IncomingMessage {
    let item = tokio::time::timeout(Duration::from_secs(20), stream.next())
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
        // Handled: recorded before the stream goes.
        inbox.commit().await.unwrap();
    }
    alice.send_text(&bob_keys, "m3").await.unwrap();
    let bob = messenger(&net, 4, Arc::new(SqliteStore::open(&path).unwrap())).await;
    let mut inbox = bob.messages();
    assert_eq!(next(&mut inbox).await.text(), Some("m3"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Stops and restarts random nodes (never more than a third at once) until told to stop.
async fn chaos(net: Arc<LocalNet>, stop: Arc<std::sync::atomic::AtomicBool>, seed: u64) {
    use std::sync::atomic::Ordering;
    let nodes = net.nodes().len();
    let mut down: Vec<usize> = Vec::new();
    let mut state = seed;
    let mut next = move || {
        // xorshift: a reproducible schedule from the test's seed.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    while !stop.load(Ordering::Relaxed) {
        let pick = usize::try_from(next() % nodes as u64).unwrap();
        if down.contains(&pick) {
            net.node(pick).unwrap().restart().await.unwrap();
            down.retain(|&n| n != pick);
        } else if down.len() < nodes / 3 {
            net.node(pick).unwrap().stop().await;
            down.push(pick);
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    for n in down {
        net.node(n).unwrap().restart().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_messages_through_chaos_arrive_once_in_order() {
    use std::sync::atomic::{AtomicBool, Ordering};
    const EACH: usize = 100;
    let net = Arc::new(start().await);
    let alice = messenger(&net, 11, Arc::new(MemoryStore::new())).await;
    let bob = messenger(&net, 12, Arc::new(MemoryStore::new())).await;
    for node in net.nodes() {
        node.drop_requests(0.1);
    }
    let stop = Arc::new(AtomicBool::new(false));
    let chaos = tokio::spawn(chaos(net.clone(), stop.clone(), 0x5e55_10f1));

    let talk = |from: Messenger, to: session_identity::SessionId, tag: &'static str| async move {
        for i in 0..EACH {
            from.send_text(&to, format!("{tag}{i}")).await.unwrap();
        }
    };
    let listen = |me: Messenger, tag: &'static str| async move {
        let mut inbox = me.messages();
        let mut got = Vec::new();
        while got.len() < EACH {
            let message = next(&mut inbox).await;
            got.push(message.text().unwrap().to_owned());
        }
        // Nothing more comes (no duplicates), which also records the last one.
        let extra = tokio::time::timeout(Duration::from_secs(1), next(&mut inbox)).await;
        assert!(extra.is_err(), "{tag}: a message came twice");
        got
    };
    let alice_id = *alice.session_id();
    let bob_id = *bob.session_id();
    let (_, _, to_bob, to_alice) = tokio::join!(
        talk(alice.clone(), bob_id, "a"),
        talk(bob.clone(), alice_id, "b"),
        tokio::time::timeout(Duration::from_secs(240), listen(bob.clone(), "bob")),
        tokio::time::timeout(Duration::from_secs(240), listen(alice.clone(), "alice")),
    );
    stop.store(true, Ordering::Relaxed);
    chaos.await.unwrap();
    let expected = |tag: &str| (0..EACH).map(|i| format!("{tag}{i}")).collect::<Vec<_>>();
    assert_eq!(to_bob.expect("bob timed out"), expected("a"));
    assert_eq!(to_alice.expect("alice timed out"), expected("b"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_pool_and_swarm_spare_the_seed() {
    let net = start().await;
    let store: Arc<dyn Store> = Arc::new(SqliteStore::in_memory().unwrap());
    let mut with_store = client_options();
    with_store.store = Some(store.clone());
    let first = SwarmClient::connect(network(&net), with_store.clone())
        .await
        .unwrap();
    let me = keypair(21).session_id();
    let members = first.swarm(&(&me).into()).await.unwrap();
    drop(first);
    // Let the background writes land.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(store.load_node_pool().unwrap().is_some());

    // A seed that cannot answer: the saved pool and swarm must do.
    let nowhere = Network::Custom {
        seeds: vec![SeedNode {
            url: "https://127.0.0.1:9".to_owned(),
            cert_der: None,
        }],
    };
    let second = SwarmClient::new(nowhere, with_store).unwrap();
    assert_eq!(second.pool().len(), net.nodes().len());
    let again = second.swarm(&(&me).into()).await.unwrap();
    let keys = |nodes: &[session_swarm::net::ServiceNode]| {
        let mut keys: Vec<[u8; 32]> = nodes.iter().map(|n| n.ed25519).collect();
        keys.sort_unstable();
        keys
    };
    assert_eq!(keys(&again), keys(&members));
    let messenger = Messenger::new(second, keypair(21), store, messenger_options());
    messenger.send_text(&me, "note to self").await.unwrap();
}

/// The next message that is not a typing indicator or a receipt of ours (the order of
/// kinds is checked one by one below).
async fn next_kind(stream: &mut MessageStream) -> session_protocol::message::MessageKind {
    next(stream).await.message.kind
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_message_works_end_to_end() {
    use session_protocol::Message;
    use session_protocol::message::{
        Disappearing, MessageKind, Profile, ReactionAction, TypingAction, VisibleMessage,
    };
    use session_swarm::rpc::Signer;

    let net = start().await;
    let alice = messenger(&net, 31, Arc::new(MemoryStore::new())).await;
    let bob = messenger(&net, 32, Arc::new(MemoryStore::new())).await;
    let (alice_id, bob_id) = (*alice.session_id(), *bob.session_id());
    let mut bob_inbox = bob.messages();
    let mut alice_inbox = alice.messages();

    // A profile rides on every visible message once set.
    alice.set_profile(Some(Profile::named("Alice")));
    let hello = alice.send_text(&bob_id, "hello").await.unwrap();
    let got = next(&mut bob_inbox).await;
    match &got.message.kind {
        MessageKind::Visible(visible) => {
            assert_eq!(visible.body.as_deref(), Some("hello"));
            assert_eq!(visible.profile, Some(Profile::named("Alice")));
        }
        other => panic!("expected a visible message, got {other:?}"),
    }

    // Typing, a reaction and a read receipt from Bob, in that order.
    bob.send_typing(&alice_id, true).await.unwrap();
    bob.react(&alice_id, hello.timestamp_ms, &alice_id, "👍", true)
        .await
        .unwrap();
    bob.send_read_receipt(&alice_id, &[hello.timestamp_ms])
        .await
        .unwrap();
    match next_kind(&mut alice_inbox).await {
        MessageKind::Typing(typing) => assert_eq!(typing.action, TypingAction::Started),
        other => panic!("expected typing, got {other:?}"),
    }
    match next_kind(&mut alice_inbox).await {
        MessageKind::Reaction(reaction) => {
            assert_eq!(reaction.emoji, "👍");
            assert_eq!(reaction.action, ReactionAction::React);
            assert_eq!(reaction.target_timestamp_ms, hello.timestamp_ms);
            assert_eq!(reaction.target_author, alice_id);
        }
        other => panic!("expected a reaction, got {other:?}"),
    }
    match next_kind(&mut alice_inbox).await {
        MessageKind::ReadReceipt(receipt) => {
            assert_eq!(receipt.timestamps_ms, vec![hello.timestamp_ms]);
        }
        other => panic!("expected a read receipt, got {other:?}"),
    }

    // Unsend: Bob gets the request naming the message; Alice's sync copy is deleted.
    let unsent = alice.unsend(&bob_id, &hello).await.unwrap();
    match next_kind(&mut bob_inbox).await {
        MessageKind::Unsend(request) => {
            assert_eq!(request.target_timestamp_ms, hello.timestamp_ms);
            assert_eq!(request.author, alice_id);
        }
        other => panic!("expected an unsend request, got {other:?}"),
    }
    let alice_signer = Signer::user(keypair(31));
    let sync_hash = hello.sync_hash.clone().unwrap();
    let left = alice
        .client()
        .get_expiries(&alice_signer, &[sync_hash.as_str()])
        .await
        .unwrap();
    assert!(left.expiries.is_empty(), "the sync copy is still there");
    assert_ne!(unsent.hash, hello.hash);
    // Alice's own copy of the unsend request is for her other devices, not for this one.
    let own_copy = tokio::time::timeout(Duration::from_millis(500), alice_inbox.next()).await;
    assert!(
        own_copy.is_err(),
        "this device received its own unsend request"
    );

    // Disappear after send: stored for exactly the timer.
    let after_send = Message::new(VisibleMessage::text("gone in 60 s"), 0)
        .with_disappearing(Disappearing::after_send(60));
    let sent = alice.send(&bob_id, after_send).await.unwrap();
    assert_eq!(sent.expires_at_ms, sent.timestamp_ms + 60_000);
    let got = next(&mut bob_inbox).await;
    assert_eq!(got.expires_at_ms, sent.timestamp_ms + 60_000);

    // Disappear after read: 14 days until read, then the timer from the read.
    let after_read = Message::new(VisibleMessage::text("read me"), 0)
        .with_disappearing(Disappearing::after_read(300));
    let sent = alice.send(&bob_id, after_read).await.unwrap();
    assert_eq!(sent.expires_at_ms, sent.timestamp_ms + 14 * 86_400_000);
    let got = next(&mut bob_inbox).await;
    let before = bob.client().now_ms();
    let shortened = bob.start_disappearing(&got).await.unwrap();
    assert!(shortened.is_some());
    let bob_signer = Signer::user(keypair(32));
    let expiries = bob
        .client()
        .get_expiries(&bob_signer, &[got.hash.as_str()])
        .await
        .unwrap();
    let expiry = expiries.expiries[&got.hash];
    assert!(
        (before + 300_000..=bob.client().now_ms() + 300_000).contains(&expiry),
        "expiry {expiry} is not 300 s after the read"
    );
}
