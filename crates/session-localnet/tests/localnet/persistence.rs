//! SQLite persistence: a network started again on its data directory has the same nodes and
//! messages.

use session_localnet::LocalNet;

use crate::common::{account, inbox_store, inside_and_outside, now_ms, rpc_json, signed_retrieve};

#[tokio::test]
async fn a_network_restarted_on_its_data_directory_keeps_its_messages() {
    let dir = std::env::temp_dir().join(format!("session-localnet-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let bob = account(20);

    let net = LocalNet::builder()
        .nodes(4)
        .swarms(2)
        .data_dir(&dir)
        .start()
        .await
        .unwrap();
    let keys: Vec<[u8; 32]> = net.nodes().iter().map(|n| n.ed25519()).collect();
    let (node, _) = inside_and_outside(&net, &bob);
    let (status, stored) = rpc_json(&node, "store", inbox_store(&bob, b"kept", now_ms())).await;
    assert_eq!(status, 200);
    net.shutdown().await;

    let net = LocalNet::builder()
        .nodes(4)
        .swarms(2)
        .data_dir(&dir)
        .start()
        .await
        .unwrap();
    assert_eq!(
        keys,
        net.nodes().iter().map(|n| n.ed25519()).collect::<Vec<_>>()
    );
    let (node, _) = inside_and_outside(&net, &bob);
    let (status, body) = rpc_json(&node, "retrieve", signed_retrieve(&bob, 0, now_ms())).await;
    assert_eq!(status, 200);
    assert_eq!(body["messages"][0]["hash"], stored["hash"]);
    assert_eq!(node.message_count().unwrap(), 1);
    net.shutdown().await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn expired_messages_are_swept_on_the_timer() {
    let net = LocalNet::builder()
        .nodes(2)
        .swarms(1)
        .sweep_interval(std::time::Duration::from_millis(20))
        .start()
        .await
        .unwrap();
    let bob = account(21);
    let node = net.node(0).unwrap();
    let mut params = inbox_store(&bob, b"short-lived", now_ms());
    params["ttl"] = serde_json::json!(10_000);
    assert_eq!(rpc_json(&node, "store", params).await.0, 200);
    assert_eq!(node.message_count().unwrap(), 1);

    // Eleven seconds later, as the nodes see it, the message has expired and is swept.
    for node in net.nodes() {
        node.skew_clock(11_000);
    }
    let mut swept = false;
    for _ in 0..100 {
        if net.nodes().iter().all(|n| n.message_count().unwrap() == 0) {
            swept = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(swept, "the sweep did not run");
}
