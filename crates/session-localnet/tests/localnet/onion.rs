//! Onion requests through the network: to a node, and through to the file server.

use rand::SeedableRng;
use serde_json::{Value, json};
use session_onion::response::{decode_node_response, decode_server_response};
use session_onion::{Builder, EncType, Hop, Scheme, ServerDestination, ServerRequest};

use crate::common::{client, network};

fn hop(node: &session_localnet::NodeHandle) -> Hop {
    Hop::new(node.ed25519(), node.x25519())
}

async fn post_onion(guard: &session_localnet::NodeHandle, body: Vec<u8>) -> (u16, Vec<u8>) {
    let response = client()
        .post(format!("{}/onion_req/v2", guard.url()))
        .body(body)
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.bytes().await.unwrap().to_vec(),
    )
}

#[tokio::test]
async fn a_three_hop_onion_reaches_a_node() {
    let net = network(6, 2).await;
    let nodes = net.nodes();
    let path = [hop(&nodes[0]), hop(&nodes[1]), hop(&nodes[2])];
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(5);
    for enc_type in [EncType::XChaCha20, EncType::AesGcm] {
        let onion = Builder::new(&path)
            .enc_type(enc_type)
            .to_node(
                &hop(&nodes[3]),
                br#"{"method":"info","params":{}}"#,
                &mut rng,
            )
            .unwrap();
        let (body, key) = onion.into_parts();
        let (status, answer) = post_onion(&nodes[0], body).await;
        let response = decode_node_response(&key, status, &answer).unwrap();
        assert_eq!(response.status, 200);
        let info: Value = serde_json::from_slice(&response.body).unwrap();
        assert_eq!(info["version"], json!([2, 8, 0]));
    }
}

#[tokio::test]
async fn a_stopped_relay_fails_the_path() {
    let net = network(6, 2).await;
    let nodes = net.nodes();
    nodes[1].stop().await;
    let path = [hop(&nodes[0]), hop(&nodes[1]), hop(&nodes[2])];
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(6);
    let onion = Builder::new(&path)
        .to_node(
            &hop(&nodes[3]),
            br#"{"method":"info","params":{}}"#,
            &mut rng,
        )
        .unwrap();
    let (body, key) = onion.into_parts();
    let (status, answer) = post_onion(&nodes[0], body).await;
    assert_ne!(status, 200);
    assert!(decode_node_response(&key, status, &answer).is_err());
}

#[tokio::test]
async fn files_go_up_and_come_down_through_the_onion() {
    let net = network(4, 1).await;
    let nodes = net.nodes();
    let path = [hop(&nodes[0]), hop(&nodes[1]), hop(&nodes[2])];
    let file_server = net.file_server();
    let server = ServerDestination::new(
        Scheme::Http,
        "127.0.0.1",
        file_server.port,
        file_server.x25519,
    );
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);

    let upload = ServerRequest::new("POST", "/file").with_body(b"attachment bytes".to_vec());
    let onion = Builder::new(&path)
        .to_server(&server, &upload, &mut rng)
        .unwrap();
    let (body, key) = onion.into_parts();
    let (status, answer) = post_onion(&nodes[0], body).await;
    let response = decode_server_response(&key, status, &answer).unwrap();
    let uploaded: Value = serde_json::from_slice(&response.body).unwrap();
    let id = uploaded["id"]
        .as_str()
        .map_or_else(|| uploaded["id"].to_string(), str::to_owned);
    assert!(uploaded["expires"].is_number());

    let download = ServerRequest::new("GET", format!("/file/{id}"));
    let onion = Builder::new(&path)
        .to_server(&server, &download, &mut rng)
        .unwrap();
    let (body, key) = onion.into_parts();
    let (status, answer) = post_onion(&nodes[0], body).await;
    let response = decode_server_response(&key, status, &answer).unwrap();
    assert_eq!(response.body, b"attachment bytes");

    // And directly, over plain HTTP.
    let direct = client()
        .get(format!("{}/file/{id}", file_server.url))
        .send()
        .await
        .unwrap();
    assert_eq!(direct.bytes().await.unwrap().as_ref(), b"attachment bytes");
}
