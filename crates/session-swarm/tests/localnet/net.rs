//! The network layer against an in-process Session network: seed bootstrap with pinning,
//! direct and onion RPCs, path repair, v4 to the file server, network time and deadlines.

use std::time::Duration;

use serde_json::Value;
use session_localnet::LocalNet;
use session_onion::{ServerDestination, ServerRequest};
use session_swarm::Error;
use session_swarm::net::{
    DirectTransport, Network, OnionConfig, OnionTransport, SeedConfig, SeedNode, ServiceNode,
    SharedClock, Transport, bootstrap,
};

use crate::common::network;

const INFO: &[u8] = br#"{"method":"info","params":{}}"#;
const TIMEOUT: Duration = Duration::from_secs(10);

/// The shape these tests share: `nodes` nodes in 4 swarms, relays giving up after 0.5 s.
async fn start(nodes: usize) -> LocalNet {
    crate::common::builder(nodes, 4)
        .relay_timeout(Duration::from_millis(500))
        .start()
        .await
        .unwrap()
}

async fn pool(net: &LocalNet) -> Vec<ServiceNode> {
    bootstrap(&network(net), &SeedConfig::once(TIMEOUT))
        .await
        .unwrap()
}

fn onion_config() -> OnionConfig {
    let mut config = OnionConfig::default();
    // Every local node is on 127.0.0.1: one /24.
    config.ignore_subnets = true;
    config
}

fn json(body: &[u8]) -> Value {
    serde_json::from_slice(body).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bootstrap_from_the_pinned_seed() {
    let net = start(12).await;
    let nodes = pool(&net).await;
    assert_eq!(nodes.len(), 12);
    for handle in net.nodes() {
        let node = nodes
            .iter()
            .find(|n| n.ed25519 == handle.ed25519())
            .unwrap();
        assert_eq!(node.x25519, handle.x25519());
        assert_eq!(node.https_port, handle.https_port());
        assert_eq!(node.url(), handle.url());
    }

    // A node's certificate is not the seed's: the pin refuses the TLS handshake.
    let wrong = Network::Custom {
        seeds: vec![SeedNode {
            url: net.seed_url().to_owned(),
            cert_der: Some(b"not the certificate".to_vec()),
        }],
    };
    let error = bootstrap(&wrong, &SeedConfig::once(TIMEOUT))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");

    // An https seed without a pin is refused outright.
    let unpinned = Network::Custom {
        seeds: vec![SeedNode {
            url: net.seed_url().to_owned(),
            cert_der: None,
        }],
    };
    let error = bootstrap(&unpinned, &SeedConfig::once(TIMEOUT))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn direct_info_and_network_time() {
    let net = start(6).await;
    let nodes = pool(&net).await;
    let clock = std::sync::Arc::new(SharedClock::new());
    let direct = DirectTransport::new().unwrap().with_clock(clock.clone());

    let answer = direct.send(&nodes[0], INFO, TIMEOUT).await.unwrap();
    assert_eq!(answer.status, 200);
    assert!(json(&answer.body)["version"].is_array());

    // A node ten minutes ahead: its `t` moves our network clock forward.
    let skewed = net.node_by_ed25519(&nodes[1].ed25519).unwrap();
    skewed.skew_clock(600_000);
    let fresh = std::sync::Arc::new(SharedClock::new());
    let direct = DirectTransport::new().unwrap().with_clock(fresh.clone());
    direct.send(&nodes[1], INFO, TIMEOUT).await.unwrap();
    let offset = fresh.offset_ms();
    assert!((-605_000..=-595_000).contains(&offset), "offset {offset}");
    let ahead = fresh.now_ms() - session_swarm::net::local_now_ms();
    assert!((595_000..=605_000).contains(&ahead), "ahead {ahead}");
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delayed_node_gives_a_typed_timeout() {
    let net = start(6).await;
    let nodes = pool(&net).await;
    net.node_by_ed25519(&nodes[2].ed25519)
        .unwrap()
        .delay_requests(1.0, Duration::from_secs(5));
    let started = std::time::Instant::now();
    let error = DirectTransport::new()
        .unwrap()
        .send(&nodes[2], INFO, Duration::from_millis(300))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Timeout { limit_ms: 300 }),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn onion_info_through_three_hops() {
    let net = start(12).await;
    let nodes = pool(&net).await;
    let onion = OnionTransport::new(onion_config()).unwrap();
    onion.set_pool(&nodes).unwrap();
    onion.warm_up(TIMEOUT).await.unwrap();
    let paths = onion.paths();
    assert!(!paths.is_empty());
    assert!(paths.iter().all(|p| p.len() == 3));

    // A destination outside every path.
    let destination = nodes
        .iter()
        .find(|n| paths.iter().all(|p| !p.contains(n)))
        .unwrap();
    let answer = onion.send(destination, INFO, TIMEOUT).await.unwrap();
    assert_eq!(answer.status, 200);
    assert!(json(&answer.body)["t"].as_i64().unwrap() > 0);
    assert_eq!(onion.path_failures(), 0);

    // The node's own refusals come back as answers, not errors.
    let bad = br#"{"method":"retrieve","params":{}}"#;
    let answer = onion.send(destination, bad, TIMEOUT).await.unwrap();
    assert_eq!(answer.status, 400);
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_relay_is_routed_around() {
    let net = start(16).await;
    let nodes = pool(&net).await;
    let mut config = onion_config();
    config.max_attempts = 20;
    let onion = OnionTransport::new(config).unwrap();
    onion.set_pool(&nodes).unwrap();
    onion.warm_up(TIMEOUT).await.unwrap();
    let paths = onion.paths();

    // Stop a relay of every path: the first attempt must fail, whichever path it takes.
    let mut stopped = Vec::new();
    for path in &paths {
        let relay = &path[1];
        net.node_by_ed25519(&relay.ed25519).unwrap().stop().await;
        stopped.push(relay.clone());
    }
    let destination = nodes
        .iter()
        .find(|n| !stopped.contains(n) && paths.iter().all(|p| !p.contains(n)))
        .unwrap();
    for _ in 0..5 {
        let answer = onion.send(destination, INFO, TIMEOUT).await.unwrap();
        assert_eq!(answer.status, 200);
    }
    assert!(onion.path_failures() >= 1);
    // Paths were rebuilt: the ones left work.
    let answer = onion.send(destination, INFO, TIMEOUT).await.unwrap();
    assert_eq!(answer.status, 200);
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v4_upload_and_download_through_the_file_server() {
    let net = start(12).await;
    let nodes = pool(&net).await;
    let onion = OnionTransport::new(onion_config()).unwrap();
    onion.set_pool(&nodes).unwrap();

    let server = net.file_server();
    let destination = ServerDestination::from_url(&server.url, server.x25519).unwrap();
    let payload = b"attachment bytes, already encrypted by the caller".to_vec();
    let upload = ServerRequest::new("POST", "/file")
        .with_header("Content-Type", "application/octet-stream")
        .with_body(payload.clone());
    let answer = onion
        .send_to_server(&destination, &upload, TIMEOUT)
        .await
        .unwrap();
    assert_eq!(
        answer.status,
        200,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    let id = json(&answer.body)["id"].as_str().unwrap().to_owned();

    let download = ServerRequest::new("GET", format!("/file/{id}"));
    let answer = onion
        .send_to_server(&destination, &download, TIMEOUT)
        .await
        .unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body, payload);

    // A missing file is the server's answer, not a path failure.
    let missing = ServerRequest::new("GET", "/file/doesnotexist");
    let answer = onion
        .send_to_server(&destination, &missing, TIMEOUT)
        .await
        .unwrap();
    assert_eq!(answer.status, 404);
    assert_eq!(onion.path_failures(), 0);
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pool_refresh_needs_three_nodes_to_agree() {
    use rand::SeedableRng;
    use session_swarm::net::{NodePool, PoolConfig, maintain_pool, refresh_from_nodes};

    let net = start(12).await;
    let network = network(&net);
    let seeds = SeedConfig::once(TIMEOUT);
    let direct = DirectTransport::new().unwrap();
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(3);

    // The official agreement threshold (24) cannot be met by 12 nodes.
    let mut pool = NodePool::new(PoolConfig::default());
    maintain_pool(&mut pool, &direct, &network, &seeds, &mut rng, TIMEOUT)
        .await
        .unwrap();
    assert_eq!(pool.nodes().len(), 12);
    let error = refresh_from_nodes(&mut pool, &direct, &mut rng, TIMEOUT)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Malformed(_)), "{error:?}");

    // With a threshold the network can meet, the three lists agree on every node.
    let mut config = PoolConfig::default();
    config.required_agreement = 12;
    let mut pool = NodePool::new(config);
    maintain_pool(&mut pool, &direct, &network, &seeds, &mut rng, TIMEOUT)
        .await
        .unwrap();
    let agreed = refresh_from_nodes(&mut pool, &direct, &mut rng, TIMEOUT)
        .await
        .unwrap();
    assert_eq!(agreed, 12);
    assert!(!pool.refresh_due(std::time::Instant::now()));
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_onion_to_a_delayed_node_times_out() {
    let net = start(12).await;
    let nodes = pool(&net).await;
    let onion = OnionTransport::new(onion_config()).unwrap();
    onion.set_pool(&nodes).unwrap();
    onion.warm_up(TIMEOUT).await.unwrap();
    let paths = onion.paths();
    let destination = nodes
        .iter()
        .find(|n| paths.iter().all(|p| !p.contains(n)))
        .unwrap();
    net.node_by_ed25519(&destination.ed25519)
        .unwrap()
        .delay_requests(1.0, Duration::from_secs(5));
    let error = onion
        .send(destination, INFO, Duration::from_millis(300))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Timeout { limit_ms: 300 }),
        "{error:?}"
    );
    net.shutdown().await;
}
