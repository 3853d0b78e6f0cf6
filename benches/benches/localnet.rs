//! The local network, each measurement beside its floor in the same run.
//!
//! - Starting and shutting down a network of 12 nodes in 4 swarms (and of 3 nodes), beside
//!   the floor of binding as many loopback listeners and closing them again: what the
//!   network adds is key derivation, one self-signed certificate per node and the tasks.
//! - One storage RPC over a kept-alive HTTPS connection: an unauthenticated `store` (hash,
//!   three members storing and signing in-process) and a signed `retrieve`, beside a
//!   `/ping_test/v1` on the same connection (TLS, HTTP and the listener, no RPC).
//!
//! Run with `cargo bench -p session-benches --bench localnet`; `docs/performance.md` records
//! a run.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use criterion::{Criterion, criterion_group, criterion_main};
use session_crypto::Ed25519Seed;
use session_identity::Keypair;
use session_localnet::{AccountId, LocalNet};
use tokio::net::TcpListener;
use tokio::runtime::Runtime;

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

fn start_and_shutdown(c: &mut Criterion) {
    let runtime = runtime();
    let mut group = c.benchmark_group("localnet start+shutdown");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(5));
    for (nodes, swarms) in [(12usize, 4usize), (3, 1)] {
        group.bench_function(format!("ours, {nodes} nodes"), |b| {
            b.to_async(&runtime).iter(|| async move {
                let net = LocalNet::builder()
                    .nodes(nodes)
                    .swarms(swarms)
                    .seed([9; 32])
                    .start()
                    .await
                    .expect("the network starts");
                net.shutdown().await;
            });
        });
        // Nodes, the seed endpoint and the file server each hold one listener.
        group.bench_function(format!("floor: bind+close {} listeners", nodes + 2), |b| {
            b.to_async(&runtime).iter(|| async move {
                let mut listeners = Vec::with_capacity(nodes + 2);
                for _ in 0..nodes + 2 {
                    listeners.push(TcpListener::bind(("127.0.0.1", 0)).await.expect("bind"));
                }
                drop(listeners);
            });
        });
    }
    group.finish();
}

fn rpc_round_trips(c: &mut Criterion) {
    let runtime = runtime();
    let net = runtime.block_on(async {
        // Thousands of requests a second from one IP: the real nodes' limit would refuse them.
        LocalNet::builder()
            .nodes(6)
            .swarms(2)
            .seed([9; 32])
            .rate_limit(false)
            .start()
            .await
            .expect("the network starts")
    });
    let tls = session_localnet::tls::accept_any_certificate().expect("a TLS config");
    let client = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .build()
        .expect("a client");
    let account = Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([3; 32]));
    let id = AccountId::from_bytes(account.session_id().to_bytes());
    let node = net
        .swarm_nodes(&id)
        .into_iter()
        .next()
        .expect("a swarm member");
    let rpc_url = format!("{}/storage_rpc/v1", node.url());
    let ping_url = format!("{}/ping_test/v1", node.url());

    let mut group = c.benchmark_group("localnet rpc over https");
    group
        .sample_size(30)
        .measurement_time(Duration::from_secs(5));
    group.bench_function("floor: ping_test", |b| {
        b.to_async(&runtime).iter(|| async {
            let response = client.post(&ping_url).send().await.expect("ping");
            assert_eq!(response.status(), 200);
        });
    });
    let mut counter = 0u64;
    group.bench_function("store (3 members)", |b| {
        b.to_async(&runtime).iter(|| {
            counter += 1;
            let body = serde_json::json!({"method": "store", "params": {
                "pubkey": account.session_id().to_string(),
                "timestamp": now_ms(),
                "ttl": 60_000,
                "data": STANDARD.encode(counter.to_le_bytes()),
            }})
            .to_string();
            let (client, url) = (&client, &rpc_url);
            async move {
                let response = client.post(url).body(body).send().await.expect("store");
                assert_eq!(response.status(), 200);
                response.bytes().await.expect("a body");
            }
        });
    });
    group.bench_function("retrieve (signed)", |b| {
        b.to_async(&runtime).iter(|| {
            let timestamp = now_ms();
            let signature =
                STANDARD.encode(account.sign(format!("retrieve{timestamp}").as_bytes()));
            let body = serde_json::json!({"method": "retrieve", "params": {
                "pubkey": account.session_id().to_string(),
                "pubkey_ed25519": hex::encode(account.ed25519_public()),
                "timestamp": timestamp,
                "signature": signature,
                "max_count": 10,
            }})
            .to_string();
            let (client, url) = (&client, &rpc_url);
            async move {
                let response = client.post(url).body(body).send().await.expect("retrieve");
                assert_eq!(response.status(), 200);
                response.bytes().await.expect("a body");
            }
        });
    });
    group.finish();
    runtime.block_on(net.shutdown());
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| {
            u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX)
        })
}

criterion_group!(benches, start_and_shutdown, rpc_round_trips);
criterion_main!(benches);
