//! Starting, stopping and restarting networks and nodes.

use session_localnet::{Error, LocalNet};

use crate::common::{client, network, rpc_json};

#[tokio::test]
async fn a_default_network_starts_and_shuts_down() {
    let net = LocalNet::builder().start().await.unwrap();
    assert_eq!(net.nodes().len(), 12);
    assert_eq!(net.swarm_ids().len(), 4);
    for swarm in net.swarm_ids() {
        assert_eq!(
            net.nodes()
                .iter()
                .filter(|n| n.swarm_id() == *swarm)
                .count(),
            3
        );
    }
    let ports: std::collections::BTreeSet<u16> =
        net.nodes().iter().map(|n| n.https_port()).collect();
    assert_eq!(ports.len(), 12);
    let (status, info) = rpc_json(&net.node(11).unwrap(), "info", serde_json::json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(info["version"], serde_json::json!([2, 8, 0]));
    net.shutdown().await;
}

#[tokio::test]
async fn dropping_a_network_closes_its_ports() {
    let net = network(3, 1).await;
    let url = net.node(0).unwrap().url();
    drop(net);
    // The listener tasks are aborted; give the runtime a moment to run the aborts.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(
        client()
            .post(format!("{url}/ping_test/v1"))
            .send()
            .await
            .is_err()
    );
}

#[tokio::test]
async fn bad_settings_are_refused() {
    for builder in [
        LocalNet::builder().nodes(0),
        LocalNet::builder().nodes(3).swarms(4),
        LocalNet::builder().nodes(3).swarms(0),
        LocalNet::builder().port_base(65_530),
    ] {
        assert!(matches!(builder.start().await, Err(Error::Config(_))));
    }
}

#[tokio::test]
async fn fixed_ports_follow_the_port_base() {
    // A base in the dynamic range that other tests (which use port 0) cannot collide with
    // for long; retry a few bases in case something else holds one.
    for base in [47_100u16, 48_300, 49_500] {
        let Ok(net) = LocalNet::builder()
            .nodes(3)
            .swarms(1)
            .port_base(base)
            .start()
            .await
        else {
            continue;
        };
        assert_eq!(net.seed_url(), format!("https://127.0.0.1:{base}"));
        let ports: Vec<u16> = net.nodes().iter().map(|n| n.https_port()).collect();
        assert_eq!(ports, vec![base + 1, base + 2, base + 3]);
        assert_eq!(net.file_server().port, base + 4);
        net.shutdown().await;
        return;
    }
    panic!("no port base was free");
}

#[tokio::test]
async fn a_stopped_node_refuses_connections_and_comes_back() {
    let net = network(3, 1).await;
    let node = net.node(1).unwrap();
    node.stop().await;
    assert!(!node.is_running());
    assert!(
        client()
            .post(format!("{}/ping_test/v1", node.url()))
            .send()
            .await
            .is_err()
    );
    node.restart().await.unwrap();
    assert!(node.is_running());
    let response = client()
        .post(format!("{}/ping_test/v1", node.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    net.shutdown().await;
}

#[tokio::test]
async fn the_same_seed_gives_the_same_nodes() {
    let first = network(4, 2).await;
    let second = network(4, 2).await;
    let keys =
        |net: &LocalNet| -> Vec<[u8; 32]> { net.nodes().iter().map(|n| n.ed25519()).collect() };
    assert_eq!(keys(&first), keys(&second));
    assert_eq!(first.swarm_ids(), second.swarm_ids());
    assert_eq!(first.file_server().x25519, second.file_server().x25519);
}
