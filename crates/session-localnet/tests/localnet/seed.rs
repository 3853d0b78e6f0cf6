//! The seed endpoint, reached the way clients reach the real seeds: JSON-RPC over HTTPS with
//! the seed's certificate pinned.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::common::network;

fn pinned_client(cert_der: &[u8]) -> reqwest::Client {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls::pki_types::CertificateDer::from(cert_der.to_vec()))
        .unwrap();
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(config)
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_seed_lists_every_node_to_a_pinned_client() {
    let net = network(5, 2).await;
    let request = json!({"jsonrpc": "2.0", "id": "0", "method": "get_n_service_nodes",
        "params": {"active_only": true, "fields": {"public_ip": true, "storage_port": true,
            "pubkey_x25519": true, "pubkey_ed25519": true}}});
    let response = pinned_client(net.seed_cert_der())
        .post(format!("{}/json_rpc", net.seed_url()))
        .body(request.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(body["jsonrpc"], "2.0");
    assert_eq!(body["id"], "0");
    let states = body["result"]["service_node_states"].as_array().unwrap();
    assert_eq!(states.len(), 5);
    for node in net.nodes() {
        assert!(
            states
                .iter()
                .any(|s| s["pubkey_ed25519"] == hex::encode(node.ed25519())
                    && s["pubkey_x25519"] == hex::encode(node.x25519())
                    && s["storage_port"] == node.https_port())
        );
    }
}

#[tokio::test]
async fn a_node_certificate_does_not_pass_for_the_seed() {
    let net = network(2, 1).await;
    let node = net.node(0).unwrap();
    let pem = node.cert_pem();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
    // Pinning the seed's certificate and talking to a node fails the handshake.
    let result = pinned_client(net.seed_cert_der())
        .post(format!("{}/ping_test/v1", node.url()))
        .send()
        .await;
    assert!(result.is_err());
}
