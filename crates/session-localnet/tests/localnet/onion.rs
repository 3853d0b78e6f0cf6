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

/// POSTs `plaintext` to `node` as the layer addressed to it; the HTTP status, the body, and
/// the layer key that opens an encrypted answer.
async fn send_layer(
    node: &session_localnet::NodeHandle,
    plaintext: &[u8],
) -> (u16, Vec<u8>, session_onion::ChannelKey) {
    use session_onion::ChannelKey;
    use session_onion::frame::Frame;
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(11);
    let secret = session_crypto::X25519Secret::generate(&mut rng);
    let key = ChannelKey::for_client(EncType::XChaCha20, &secret, &node.x25519()).unwrap();
    let ciphertext = key.encrypt(&mut rng, plaintext).unwrap();
    let json = json!({"ephemeral_key": hex::encode(secret.public_key()), "enc_type": "xchacha20"});
    let body = Frame::encode(&ciphertext, json.to_string().as_bytes()).unwrap();
    let (status, answer) = post_onion(node, body).await;
    (status, answer, key)
}

fn open_sealed(key: &session_onion::ChannelKey, answer: &[u8]) -> String {
    use base64::Engine;
    let sealed = base64::engine::general_purpose::STANDARD
        .decode(answer)
        .unwrap();
    String::from_utf8(key.decrypt(&sealed).unwrap()).unwrap()
}

/// The storage server's own parsing cases, fed to a node as its decrypted layer: the node
/// does with each what the real one does.
#[tokio::test]
async fn a_node_dispatches_the_storage_servers_parsing_cases() {
    let net = network(3, 1).await;
    let node = net.node(0).unwrap();
    let file = session_testkit::VectorFile::load("storage-server/onion_parsing.json");
    let mut ran = 0;
    for case in file.cases_of_kind("inner_request") {
        let input = session_testkit::hex_field(case, "input_hex");
        let (status, answer, key) = send_layer(&node, &input).await;
        match case["expected"]["result"].as_str().unwrap() {
            // The "ciphertext" request is not JSON: the RPC's 400, inside the layer.
            "FinalDestination" => {
                assert_eq!(status, 200);
                assert_eq!(
                    open_sealed(&key, &answer),
                    r#"{"body":"invalid json","status":400}"#
                );
            }
            // Target "target" fails the URL filter.
            "RelayToServer" => {
                assert_eq!(status, 200);
                assert_eq!(
                    open_sealed(&key, &answer),
                    r#"{"body":"Invalid url","status":400}"#
                );
            }
            "RelayToNode" => {
                let next = case["expected"]["next_node_ed25519_hex"].as_str().unwrap();
                assert_eq!(status, 502);
                assert_eq!(
                    String::from_utf8(answer).unwrap(),
                    format!("Next node not found: {next}")
                );
            }
            other => panic!("unknown result {other}"),
        }
        ran += 1;
    }
    for case in file.cases_of_kind("url_target_filter") {
        let target = case["target"].as_str().unwrap();
        let json = json!({"host": "127.0.0.1", "port": 9, "protocol": "http", "target": target});
        let plaintext =
            session_onion::frame::Frame::encode(b"x", json.to_string().as_bytes()).unwrap();
        let (status, answer, key) = send_layer(&node, &plaintext).await;
        if case["allowed"].as_bool().unwrap() {
            // Proxied: nothing listens on port 9, which the node reports as curl would.
            assert_eq!(status, 502, "{target}");
        } else {
            assert_eq!(status, 200, "{target}");
            assert_eq!(
                open_sealed(&key, &answer),
                r#"{"body":"Invalid url","status":400}"#
            );
        }
        ran += 1;
    }
    file.report("node dispatch", ran);
}
