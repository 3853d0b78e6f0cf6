//! `session::Client` against the loopback network: a message each way, and the builder's
//! errors.
#![cfg(all(feature = "swarm", feature = "localnet"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use session::localnet::LocalNet;
use session::{Client, Error, Seed};

async fn start() -> LocalNet {
    LocalNet::builder()
        .nodes(8)
        .swarms(2)
        .seed([7; 32])
        .rate_limit(false)
        .start()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alice_and_bob_exchange_a_message() {
    let net = start().await;
    let alice = Client::builder()
        .localnet(&net)
        .seed(&Seed::from_ed25519_seed(&[0xa1; 32]))
        .connect()
        .await
        .unwrap();
    let bob = Client::builder()
        .localnet(&net)
        .seed(&Seed::from_ed25519_seed(&[0xb0; 32]))
        .connect()
        .await
        .unwrap();

    let sent = alice.send_text(bob.session_id(), "hi Bob").await.unwrap();
    let mut inbox = bob.messages();
    let got = tokio::time::timeout(Duration::from_secs(20), inbox.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(got.sender, *alice.session_id());
    assert_eq!(got.text(), Some("hi Bob"));
    assert_eq!(got.hash, sent.hash);

    bob.send_text(alice.session_id(), "hi Alice").await.unwrap();
    let mut replies = Vec::new();
    for _ in 0..50 {
        replies.extend(alice.receive_once().await.unwrap());
        if !replies.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0].text(), Some("hi Alice"));
    assert_eq!(replies[0].sender, *bob.session_id());
}

#[tokio::test]
async fn connect_needs_a_valid_account() {
    let unset = Client::builder().connect().await.unwrap_err();
    assert!(matches!(unset, Error::NoAccount));
    let bad = Client::builder()
        .mnemonic("puffin luxury")
        .connect()
        .await
        .unwrap_err();
    assert!(matches!(bad, Error::Identity(_)));
}
