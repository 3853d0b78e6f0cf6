//! The seed over HTTPS with its certificate pinned.

use std::sync::Arc;

use serde_json::{Value, json};
use tokio::net::TcpListener;

use super::SeedHandler;
use crate::http::{TlsIdentity, serve};
use crate::network::NetworkConfig;
use crate::test_net::TestNet;

/// A client that trusts only the seed's certificate (verification on, as Session pins).
fn pinned(tls: &TlsIdentity) -> reqwest::Client {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(tls.cert_der().clone()).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(config)
        .no_proxy()
        .build()
        .unwrap()
}

async fn call(client: &reqwest::Client, url: &str, body: &str) -> (u16, Value) {
    let answer = client.post(url).body(body.to_owned()).send().await.unwrap();
    let status = answer.status().as_u16();
    assert_eq!(answer.headers()["content-type"], "application/json");
    (
        status,
        serde_json::from_str(&answer.text().await.unwrap()).unwrap(),
    )
}

#[tokio::test]
async fn get_n_service_nodes_over_pinned_https() {
    let net = TestNet::start(4, NetworkConfig::default()).await;
    let tls = TlsIdentity::generate().unwrap();
    assert!(tls.cert_pem().starts_with("-----BEGIN CERTIFICATE-----"));
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let task = serve(
        listener,
        Some(tls.acceptor().clone()),
        Arc::new(SeedHandler::new(net.network.clone())),
    );
    let client = pinned(&tls);
    for host in ["localhost", "127.0.0.1"] {
        let url = format!("https://{host}:{port}/json_rpc");

        // The request Session clients send: legacy dict of fields, a limit.
        let request = json!({"jsonrpc": "2.0", "id": "0", "method": "get_n_service_nodes",
            "params": {"active_only": true, "limit": 2, "fields": {
                "public_ip": true, "storage_port": true, "pubkey_x25519": true,
                "pubkey_ed25519": true, "swarm_id": false}}});
        let (status, answer) = call(&client, &url, &request.to_string()).await;
        assert_eq!(status, 200);
        assert_eq!(answer["jsonrpc"], "2.0");
        assert_eq!(answer["id"], "0");
        let states = answer["result"]["service_node_states"].as_array().unwrap();
        assert_eq!(states.len(), 2);
        for state in states {
            let mut keys: Vec<&str> = state
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            keys.sort_unstable();
            assert_eq!(
                keys,
                [
                    "pubkey_ed25519",
                    "pubkey_x25519",
                    "public_ip",
                    "storage_port"
                ]
            );
            let port = state["storage_port"].as_u64().unwrap();
            assert!(
                net.network
                    .nodes()
                    .iter()
                    .any(|node| u64::from(node.https_port()) == port)
            );
        }
    }
    let url = format!("https://localhost:{port}/json_rpc");

    // Fields as a list, no limit: every node in order.
    let request = json!({"jsonrpc": "2.0", "id": 7, "method": "get_service_nodes",
        "params": {"fields": ["pubkey_ed25519"]}});
    let (_, answer) = call(&client, &url, &request.to_string()).await;
    assert_eq!(answer["id"], 7);
    let keys: Vec<String> = answer["result"]["service_node_states"]
        .as_array()
        .unwrap()
        .iter()
        .map(|state| state["pubkey_ed25519"].as_str().unwrap().to_owned())
        .collect();
    let expected: Vec<String> = net
        .network
        .nodes()
        .iter()
        .map(|node| hex::encode(node.ed25519()))
        .collect();
    assert_eq!(keys, expected);

    // One node by its legacy key, all fields.
    let wanted = hex::encode(net.node(2).legacy_pubkey());
    let request = json!({"jsonrpc": "2.0", "id": 1, "method": "get_n_service_nodes",
        "params": {"service_node_pubkeys": [wanted]}});
    let (_, answer) = call(&client, &url, &request.to_string()).await;
    let states = answer["result"]["service_node_states"].as_array().unwrap();
    assert_eq!(states.len(), 1);
    assert_eq!(states[0]["service_node_pubkey"], wanted);
    assert_eq!(states[0]["storage_port"], net.node(2).https_port());

    // Errors.
    let (status, answer) = call(&client, &url, "{not json").await;
    assert_eq!(status, 200);
    assert_eq!(answer["error"]["code"], -32700);
    assert_eq!(answer["id"], Value::Null);
    let (_, answer) = call(&client, &url, r#"{"jsonrpc":"2.0","id":3,"method":"nope"}"#).await;
    assert_eq!(answer["error"]["code"], -32601);
    assert_eq!(answer["id"], 3);
    let (_, answer) = call(&client, &url, r#"{"jsonrpc":"2.0","id":4}"#).await;
    assert_eq!(answer["error"]["code"], -32600);
    let bad = r#"{"jsonrpc":"2.0","id":5,"method":"get_n_service_nodes","params":{"limit":"x"}}"#;
    let (_, answer) = call(&client, &url, bad).await;
    assert_eq!(answer["error"]["code"], -32602);

    let other = client
        .get(format!("https://localhost:{port}/"))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 404);
    task.stop().await;
}
