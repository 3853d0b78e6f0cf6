//! What every test needs: an HTTPS client for the nodes, signed requests, and accounts.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use session_crypto::Ed25519Seed;
use session_identity::Keypair;
use session_localnet::{LocalNet, NodeHandle};

/// A client for the nodes: like every Session client, it does not verify node certificates.
pub(crate) fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .tls_backend_preconfigured(session_localnet::tls::accept_any_certificate().unwrap())
        .build()
        .unwrap()
}

/// A network of `nodes` nodes in `swarms` swarms with fixed keys.
pub(crate) async fn network(nodes: usize, swarms: usize) -> LocalNet {
    LocalNet::builder()
        .nodes(nodes)
        .swarms(swarms)
        .seed([7; 32])
        .start()
        .await
        .unwrap()
}

/// An account from a one-byte seed.
pub(crate) fn account(byte: u8) -> Keypair {
    Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([byte; 32]))
}

/// Milliseconds since the epoch on the host.
pub(crate) fn now_ms() -> u64 {
    u64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

/// Base64 of an Ed25519 signature by `keypair` over `message`.
pub(crate) fn sign(keypair: &Keypair, message: &[u8]) -> String {
    STANDARD.encode(keypair.sign(message))
}

/// POSTs `{"method", "params"}` to a node's `/storage_rpc/v1`: the status and body text.
pub(crate) async fn rpc(node: &NodeHandle, method: &str, params: Value) -> (u16, String) {
    let response = client()
        .post(format!("{}/storage_rpc/v1", node.url()))
        .body(json!({"method": method, "params": params}).to_string())
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// [`rpc`] with the body parsed as JSON.
pub(crate) async fn rpc_json(node: &NodeHandle, method: &str, params: Value) -> (u16, Value) {
    let (status, body) = rpc(node, method, params).await;
    let value = serde_json::from_str(&body).unwrap_or(Value::String(body));
    (status, value)
}

/// The params of a signed `retrieve` of `namespace` by the `05` account `keypair`.
pub(crate) fn signed_retrieve(keypair: &Keypair, namespace: i16, timestamp: u64) -> Value {
    let ns = if namespace == 0 {
        String::new()
    } else {
        namespace.to_string()
    };
    json!({
        "pubkey": keypair.session_id().to_string(),
        "pubkey_ed25519": hex::encode(keypair.ed25519_public()),
        "namespace": namespace,
        "timestamp": timestamp,
        "signature": sign(keypair, format!("retrieve{ns}{timestamp}").as_bytes()),
    })
}

/// The params of an unauthenticated `store` of `data` to `05` account `recipient`'s
/// namespace 0 (the public inbox).
pub(crate) fn inbox_store(recipient: &Keypair, data: &[u8], timestamp: u64) -> Value {
    json!({
        "pubkey": recipient.session_id().to_string(),
        "timestamp": timestamp,
        "ttl": 86_400_000,
        "data": STANDARD.encode(data),
    })
}

/// The node of `net` in the swarm of `keypair`'s account, and one outside it.
pub(crate) fn inside_and_outside(net: &LocalNet, keypair: &Keypair) -> (NodeHandle, NodeHandle) {
    let account = session_localnet::AccountId::from_bytes(keypair.session_id().to_bytes());
    let swarm = net.swarm_of(&account);
    let nodes = net.nodes();
    let inside = nodes
        .iter()
        .find(|n| n.swarm_id() == swarm)
        .unwrap()
        .clone();
    let outside = nodes
        .iter()
        .find(|n| n.swarm_id() != swarm)
        .unwrap()
        .clone();
    (inside, outside)
}
