//! Fault injection while the network runs.

use std::time::{Duration, Instant};

use serde_json::json;
use session_localnet::AccountId;

use crate::common::{
    account, client, inbox_store, network, now_ms, rpc, rpc_json, signed_retrieve,
};

#[tokio::test]
async fn a_skewed_clock_rejects_signatures_and_reports_its_time() {
    let net = network(3, 1).await;
    let node = net.node(0).unwrap();
    let bob = account(10);
    node.skew_clock(10 * 60 * 1000);
    let (status, body) = rpc(&node, "retrieve", signed_retrieve(&bob, 0, now_ms())).await;
    assert_eq!(
        (status, body.as_str()),
        (406, "retrieve timestamp too far from current time")
    );

    // Its `t` is ten minutes ahead, which is how clients learn the offset.
    let (_, info) = rpc_json(&node, "info", json!({})).await;
    let skew = i128::from(info["t"].as_u64().unwrap()) - i128::from(now_ms());
    assert!((590_000..610_000).contains(&skew), "skew {skew}");

    // A request signed with the node's clock passes.
    let node_now = info["t"].as_u64().unwrap();
    let (status, _) = rpc(&node, "retrieve", signed_retrieve(&bob, 0, node_now)).await;
    assert_eq!(status, 200);

    node.clear_faults();
    let (status, _) = rpc(&node, "retrieve", signed_retrieve(&bob, 0, now_ms())).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn dropped_requests_get_no_answer() {
    let net = network(3, 1).await;
    let node = net.node(0).unwrap();
    node.drop_requests(1.0);
    let result = client()
        .post(format!("{}/storage_rpc/v1", node.url()))
        .body(r#"{"method":"info","params":{}}"#)
        .send()
        .await;
    assert!(result.is_err());
    node.clear_faults();
    assert_eq!(rpc(&node, "info", json!({})).await.0, 200);
}

#[tokio::test]
async fn delayed_requests_arrive_late() {
    let net = network(3, 1).await;
    let node = net.node(0).unwrap();
    node.delay_requests(1.0, Duration::from_millis(300));
    let started = Instant::now();
    assert_eq!(rpc(&node, "info", json!({})).await.0, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn a_stopped_member_times_out_in_the_swarm_results() {
    // The real nodes wait 5 s for a member; a short wait keeps the test quick.
    let net = session_localnet::LocalNet::builder()
        .nodes(3)
        .swarms(1)
        .peer_timeout(Duration::from_millis(200))
        .start()
        .await
        .unwrap();
    let bob = account(11);
    let stopped = net.node(2).unwrap();
    stopped.stop().await;
    let (status, body) = rpc_json(
        &net.node(0).unwrap(),
        "store",
        inbox_store(&bob, b"hi", now_ms()),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let entry = &body["swarm"][hex::encode(stopped.ed25519())];
    assert_eq!(entry, &json!({"failed": true, "timeout": true}));

    // Back up, it serves what it had (nothing from while it was down, as a real node).
    stopped.restart().await.unwrap();
    let (status, body) = rpc_json(&stopped, "retrieve", signed_retrieve(&bob, 0, now_ms())).await;
    assert_eq!(status, 200);
    assert_eq!(body["messages"], json!([]));
    let account_id = AccountId::from_bytes(bob.session_id().to_bytes());
    assert_eq!(net.swarm_nodes(&account_id).len(), 3);
}

async fn statuses_of_a_burst(net: &session_localnet::LocalNet, count: usize) -> Vec<u16> {
    let node = net.node(0).unwrap();
    let client = client();
    let url = format!("{}/storage_rpc/v1", node.url());
    let mut statuses = Vec::with_capacity(count);
    for _ in 0..count {
        let response = client
            .post(&url)
            .body(r#"{"method":"info","params":{}}"#)
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    statuses
}

#[tokio::test]
async fn a_burst_from_one_ip_is_rate_limited_unless_turned_off() {
    // 600 tokens at once, 300 more a second: 700 quick requests run dry.
    let net = network(1, 1).await;
    let statuses = statuses_of_a_burst(&net, 700).await;
    assert!(statuses.contains(&429), "no 429 in a burst of 700");
    assert_eq!(statuses[0], 200);

    let net = session_localnet::LocalNet::builder()
        .nodes(1)
        .swarms(1)
        .rate_limit(false)
        .start()
        .await
        .unwrap();
    assert!(
        statuses_of_a_burst(&net, 700)
            .await
            .iter()
            .all(|&s| s == 200)
    );
}
