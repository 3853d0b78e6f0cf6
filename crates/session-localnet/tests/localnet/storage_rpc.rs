//! The storage RPC over HTTPS, as a client sends it, with its swarm-wide effects.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use session_localnet::AccountId;

use crate::common::{
    account, client, inbox_store, inside_and_outside, network, now_ms, rpc, rpc_json, sign,
    signed_retrieve,
};

fn verify_member_signature(member_hex: &str, signature_b64: &str, message: &[u8]) {
    let mut key = [0u8; 32];
    hex::decode_to_slice(member_hex, &mut key).unwrap();
    let signature: [u8; 64] = STANDARD.decode(signature_b64).unwrap().try_into().unwrap();
    session_crypto::ed25519::verify(&signature, &key, message).unwrap();
}

#[tokio::test]
async fn a_store_reaches_every_member_and_each_signs_the_hash() {
    let net = network(6, 2).await;
    let bob = account(2);
    let (node, _) = inside_and_outside(&net, &bob);
    let (status, body) = rpc_json(&node, "store", inbox_store(&bob, b"hello bob", now_ms())).await;
    assert_eq!(status, 200, "{body}");

    let expected_hash =
        session_protocol::hash::compute_message_hash(&bob.session_id(), 0, b"hello bob");
    assert_eq!(body["hash"], expected_hash.as_str());
    let swarm = body["swarm"].as_object().unwrap();
    assert_eq!(swarm.len(), 3);
    for (member, entry) in swarm {
        assert_eq!(entry["hash"], expected_hash.as_str());
        verify_member_signature(
            member,
            entry["signature"].as_str().unwrap(),
            expected_hash.as_bytes(),
        );
    }
    assert!(body["t"].is_u64());
    assert_eq!(body["hf"], json!([19, 4]));

    // Every member of the swarm now has it.
    let account_id = AccountId::from_bytes(bob.session_id().to_bytes());
    for member in net.swarm_nodes(&account_id) {
        let (status, body) =
            rpc_json(&member, "retrieve", signed_retrieve(&bob, 0, now_ms())).await;
        assert_eq!(status, 200, "{body}");
        let messages = body["messages"].as_array().unwrap();
        assert_eq!(messages.len(), 1);
        assert_eq!(messages[0]["hash"], expected_hash.as_str());
        assert_eq!(messages[0]["data"], STANDARD.encode(b"hello bob"));
        assert!(messages[0]["expiration"].is_u64());
    }
}

#[tokio::test]
async fn the_wrong_swarm_answers_421_with_the_right_one() {
    let net = network(6, 2).await;
    let bob = account(3);
    let (inside, outside) = inside_and_outside(&net, &bob);
    let (status, body) = rpc_json(&outside, "store", inbox_store(&bob, b"x", now_ms())).await;
    assert_eq!(status, 421);
    let snodes: Vec<&str> = body["snodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["pubkey_ed25519"].as_str().unwrap())
        .collect();
    assert!(snodes.contains(&hex::encode(inside.ed25519()).as_str()));
    assert_eq!(body["swarm"], format!("{:x}", inside.swarm_id()));
    assert!(body["t"].is_u64());
}

#[tokio::test]
async fn a_moved_account_gets_421_from_its_old_swarm() {
    let net = network(6, 2).await;
    let bob = account(4);
    let (inside, outside) = inside_and_outside(&net, &bob);
    net.move_account(
        AccountId::from_bytes(bob.session_id().to_bytes()),
        outside.swarm_id(),
    );
    let (status, body) = rpc_json(&inside, "retrieve", signed_retrieve(&bob, 0, now_ms())).await;
    assert_eq!(status, 421);
    assert_eq!(body["swarm"], format!("{:x}", outside.swarm_id()));
    let (status, _) = rpc_json(&outside, "retrieve", signed_retrieve(&bob, 0, now_ms())).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn errors_have_the_real_servers_bodies() {
    let net = network(3, 1).await;
    let node = net.node(0).unwrap();
    let bob = account(5);
    let id = bob.session_id().to_string();

    let cases: Vec<(&str, Value, u16, &str)> = vec![
        (
            "retrieve",
            json!({"pubkey": id}),
            401,
            "retrieve: request signature required",
        ),
        (
            "retrieve",
            json!({"pubkey": id, "timestamp": now_ms()}),
            400,
            "invalid request: Required field 'signature' missing",
        ),
        (
            "store",
            json!({"pubkey": id, "namespace": 42, "timestamp": now_ms(), "ttl": 60_000, "data": ""}),
            401,
            "store: signature required to store to namespace 42",
        ),
        ("frobnicate", json!({}), 400, "no method frobnicate"),
    ];
    for (method, params, status, body) in cases {
        assert_eq!(
            rpc(&node, method, params).await,
            (status, body.to_owned()),
            "{method}"
        );
    }

    let raw = |body: &'static str| {
        let url = format!("{}/storage_rpc/v1", node.url());
        async move {
            let response = client().post(url).body(body).send().await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    assert_eq!(raw("{nope").await, (400, "invalid json".to_owned()));
    assert_eq!(
        raw(r#"{"params":{}}"#).await,
        (400, "invalid json: no `method` field".to_owned())
    );
    assert_eq!(
        raw(r#"{"method":"info"}"#).await,
        (400, "invalid json: no `params` field".to_owned())
    );
}

#[tokio::test]
async fn a_signed_delete_removes_the_message_from_the_swarm() {
    let net = network(6, 2).await;
    let bob = account(6);
    let (node, _) = inside_and_outside(&net, &bob);
    let (_, stored) = rpc_json(&node, "store", inbox_store(&bob, b"to delete", now_ms())).await;
    let hash = stored["hash"].as_str().unwrap().to_owned();

    let params = json!({
        "pubkey": bob.session_id().to_string(),
        "pubkey_ed25519": hex::encode(bob.ed25519_public()),
        "messages": [hash],
        "signature": sign(&bob, format!("delete{hash}").as_bytes()),
    });
    let (status, body) = rpc_json(&node, "delete", params).await;
    assert_eq!(status, 200, "{body}");
    let pubkey_hex = bob.session_id().to_string();
    for (member, entry) in body["swarm"].as_object().unwrap() {
        assert_eq!(entry["deleted"], json!([hash]));
        let signed = format!("{pubkey_hex}{hash}{hash}");
        verify_member_signature(
            member,
            entry["signature"].as_str().unwrap(),
            signed.as_bytes(),
        );
    }
    let (_, body) = rpc_json(&node, "retrieve", signed_retrieve(&bob, 0, now_ms())).await;
    assert_eq!(body["messages"], json!([]));
}

#[tokio::test]
async fn the_node_list_is_served_by_every_node() {
    let net = network(6, 2).await;
    let params = json!({"endpoint": "get_service_nodes", "params": {"active_only": true,
        "fields": {"public_ip": true, "storage_port": true, "pubkey_x25519": true, "pubkey_ed25519": true}}});
    let (status, body) = rpc_json(&net.node(2).unwrap(), "oxend_request", params).await;
    assert_eq!(status, 200, "{body}");
    let states = body["result"]["service_node_states"].as_array().unwrap();
    assert_eq!(states.len(), 6);
    for state in states {
        assert_eq!(state["public_ip"], "127.0.0.1");
        assert!(
            state.get("swarm_id").is_none(),
            "unrequested fields are left out"
        );
        let port = u16::try_from(state["storage_port"].as_u64().unwrap()).unwrap();
        assert!(net.nodes().iter().any(|n| n.https_port() == port));
    }
}
