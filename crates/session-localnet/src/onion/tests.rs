//! Onions through real listeners: a 3-hop path to a node, relays that fail, layers that do
//! not open, the hop limit, and a v4 request proxied to a small HTTP server.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use rand_core::UnwrapErr;
use session_crypto::X25519Secret;
use session_onion::frame::Frame;
use session_onion::response::{open_node_response, open_server_response};
use session_onion::{
    Builder, ChannelKey, EncType, Hop, Scheme, ServerDestination, ServerRequest, ServerResponse,
};
use tokio::net::TcpListener;

use crate::http::serve;
use crate::network::NetworkConfig;
use crate::test_net::{TestNet, client};

const INFO: &[u8] = br#"{"method":"info","params":{}}"#;

fn rng() -> UnwrapErr<getrandom::SysRng> {
    UnwrapErr(getrandom::SysRng)
}

async fn post(net: &TestNet, index: usize, body: Vec<u8>) -> (u16, Vec<u8>) {
    let answer = client()
        .post(net.url(index, "/onion_req/v2"))
        .body(body)
        .send()
        .await
        .unwrap();
    let status = answer.status().as_u16();
    (status, answer.bytes().await.unwrap().to_vec())
}

fn text(body: &[u8]) -> &str {
    std::str::from_utf8(body).unwrap()
}

#[tokio::test]
async fn three_hops_to_a_node_answer_sealed_for_the_client() {
    let net = TestNet::start(4, NetworkConfig::default()).await;
    let direct = crate::rpc::handle_request(&net.network, net.node(3), INFO).await;
    for enc_type in [EncType::XChaCha20, EncType::AesGcm] {
        let path = [net.hop(0), net.hop(1), net.hop(2)];
        let onion = Builder::new(&path)
            .enc_type(enc_type)
            .to_node(&net.hop(3), INFO, &mut rng())
            .unwrap();
        let answer = client()
            .post(net.url(0, "/onion_req/v2"))
            .body(onion.body().to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        assert_eq!(answer.headers()["server"], "Oxen Storage Server/2.8.0");
        assert_eq!(answer.headers()["content-type"], "text/plain");
        let body = answer.bytes().await.unwrap();
        let reply = open_node_response(onion.response_key(), &body).unwrap();
        assert_eq!(reply.status, direct.status, "{enc_type:?}");
        if direct.status == 200 {
            // `t` moves between the two calls; the rest is the same `info`.
            let json: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
            assert_eq!(json["version"], serde_json::json!([2, 8, 0]));
        } else {
            assert_eq!(text(&reply.body), direct.body_text());
        }
    }
}

#[tokio::test]
async fn unknown_next_node_is_a_plain_502() {
    let net = TestNet::start(1, NetworkConfig::default()).await;
    let stranger = Hop::new([0x77; 32], X25519Secret::from_bytes([9; 32]).public_key());
    let onion = Builder::new(&[net.hop(0)])
        .to_node(&stranger, INFO, &mut rng())
        .unwrap();
    let (status, body) = post(&net, 0, onion.body().to_vec()).await;
    assert_eq!(status, 502);
    assert_eq!(
        text(&body),
        format!("Next node not found: {}", "77".repeat(32))
    );
}

#[tokio::test]
async fn garbage_and_wrong_keys_are_plain_400s() {
    let net = TestNet::start(2, NetworkConfig::default()).await;
    // "this" read as a little-endian length, as the server reads it.
    let (status, body) = post(&net, 0, b"this is not an onion request".to_vec()).await;
    assert_eq!(status, 400);
    assert_eq!(
        text(&body),
        "Error parsing onion request: Unexpected payload size 24, expected >= 1936287860"
    );

    let (status, body) = post(&net, 0, b"ab".to_vec()).await;
    assert_eq!(status, 400);
    assert_eq!(
        text(&body),
        "Error parsing onion request: Unexpected payload size; expected ciphertext size"
    );

    let no_key = Frame::encode(b"xyz", br#"{"enc_type":"xchacha20"}"#).unwrap();
    let (status, body) = post(&net, 0, no_key).await;
    assert_eq!(status, 400);
    assert!(text(&body).starts_with("Error parsing onion request: "));
    assert!(text(&body).contains("ephemeral_key"));

    // An onion for another node's key.
    let wrong = Hop::new(net.node(0).ed25519(), net.node(1).x25519());
    let onion = Builder::new(&[wrong])
        .to_node(&net.hop(1), INFO, &mut rng())
        .unwrap();
    let (status, body) = post(&net, 0, onion.body().to_vec()).await;
    assert_eq!(status, 400);
    assert_eq!(text(&body), "Invalid ciphertext");
}

/// An onion whose first layer (to `node_x25519`) holds `plaintext`, sent with `outer`
/// extra routing fields; returns the body and the layer key.
fn one_layer(node_x25519: &[u8; 32], plaintext: &[u8], extra: &str) -> (Vec<u8>, ChannelKey) {
    let ephemeral = X25519Secret::from_bytes([0x42; 32]);
    let key = ChannelKey::for_client(EncType::XChaCha20, &ephemeral, node_x25519).unwrap();
    let sealed = key.encrypt(&mut rng(), plaintext).unwrap();
    let json = format!(
        r#"{{"ephemeral_key":"{}","enc_type":"xchacha20"{extra}}}"#,
        hex::encode(ephemeral.public_key())
    );
    (Frame::encode(&sealed, json.as_bytes()).unwrap(), key)
}

fn open_sealed(key: &ChannelKey, body: &[u8]) -> serde_json::Value {
    use base64::Engine;
    let sealed = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap();
    serde_json::from_slice(&key.decrypt(&sealed).unwrap()).unwrap()
}

#[tokio::test]
async fn layers_that_open_but_make_no_sense_are_answered_sealed() {
    let net = TestNet::start(1, NetworkConfig::default()).await;
    let x25519 = net.node(0).x25519();

    let (body, key) = one_layer(&x25519, b"\x02\0\0\0hi[1,2]", "");
    let (status, answer) = post(&net, 0, body).await;
    assert_eq!(status, 200);
    assert_eq!(
        open_sealed(&key, &answer),
        serde_json::json!({"body": "Invalid json", "status": 400})
    );

    let routing =
        br#"{"host":"127.0.0.1","target":"/oxen/v4/lsrpc?x","port":80,"protocol":"http"}"#;
    let plaintext = Frame::encode(b"inner", routing).unwrap();
    let (body, key) = one_layer(&x25519, &plaintext, "");
    let (status, answer) = post(&net, 0, body).await;
    assert_eq!(status, 200);
    assert_eq!(
        open_sealed(&key, &answer),
        serde_json::json!({"body": "Invalid url", "status": 400})
    );
}

#[tokio::test]
async fn paths_longer_than_fifteen_hops_are_refused() {
    let net = TestNet::start(4, NetworkConfig::default()).await;
    let x25519 = net.node(0).x25519();
    let plaintext = Frame::encode(INFO, br#"{"headers":""}"#).unwrap();

    let (body, _) = one_layer(&x25519, &plaintext, r#","hop_no":16"#);
    let (status, answer) = post(&net, 0, body).await;
    assert_eq!(status, 400);
    assert_eq!(text(&answer), "onion request max path length exceeded");

    let (body, _) = one_layer(&x25519, &plaintext, r#","hop_no":"two""#);
    let (status, answer) = post(&net, 0, body).await;
    assert_eq!(status, 400);
    assert!(text(&answer).starts_with("Error parsing onion request: "));

    // hop 15 is still served (negative counts clamp to 0 and are served too).
    for hop_no in ["15", "-3"] {
        let (body, key) = one_layer(&x25519, &plaintext, &format!(r#","hop_no":{hop_no}"#));
        let (status, answer) = post(&net, 0, body).await;
        assert_eq!(status, 200);
        assert!(open_sealed(&key, &answer).get("status").is_some());
    }

    // A fake starting count of 14 over a 3-hop path: the third hop is the 16th.
    let path = [net.hop(0), net.hop(1), net.hop(2)];
    let onion = Builder::new(&path)
        .to_node(&net.hop(3), INFO, &mut rng())
        .unwrap();
    let frame = Frame::parse(onion.body()).unwrap();
    let mut json: serde_json::Value = serde_json::from_slice(frame.json).unwrap();
    json["hop_no"] = 14.into();
    let body = Frame::encode(frame.blob, json.to_string().as_bytes()).unwrap();
    let (status, answer) = post(&net, 0, body).await;
    assert_eq!(status, 400);
    assert_eq!(text(&answer), "onion request max path length exceeded");
}

#[tokio::test]
async fn relaying_to_a_stopped_node_times_out() {
    let mut net = TestNet::start(3, NetworkConfig::default()).await;
    net.stop(1).await;
    let path = [net.hop(0), net.hop(1)];
    let onion = Builder::new(&path)
        .to_node(&net.hop(2), INFO, &mut rng())
        .unwrap();
    let (status, body) = post(&net, 0, onion.body().to_vec()).await;
    assert_eq!(status, 504);
    assert_eq!(text(&body), "Request time out");
}

#[tokio::test]
async fn relaying_to_a_slow_node_times_out_after_the_relay_timeout() {
    let config = NetworkConfig {
        relay_timeout: Duration::from_millis(200),
        ..NetworkConfig::default()
    };
    let net = TestNet::start(3, config).await;
    net.node(1).faults().set_delay(1.0, Duration::from_secs(2));
    let path = [net.hop(0), net.hop(1)];
    let onion = Builder::new(&path)
        .to_node(&net.hop(2), INFO, &mut rng())
        .unwrap();
    let started = std::time::Instant::now();
    let (status, body) = post(&net, 0, onion.body().to_vec()).await;
    assert_eq!(status, 504);
    assert_eq!(text(&body), "Request time out");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn v4_requests_are_proxied_to_the_server_and_back_raw() {
    let net = TestNet::start(2, NetworkConfig::default()).await;
    let server_secret = Arc::new(X25519Secret::from_bytes([0x55; 32]));
    let secret = server_secret.clone();
    let handler = Arc::new(move |request: hyper::Request<Bytes>, _peer: SocketAddr| {
        let secret = secret.clone();
        async move {
            let headers = request.headers();
            assert_eq!(headers["content-type"], "application/octet-stream");
            assert_eq!(headers["user-agent"], "Oxen Storage Server/2.8.0");
            assert_eq!(request.uri().path(), "/oxen/v4/lsrpc");
            let (opened, key) =
                session_onion::node::open_server_request(&secret, request.body()).unwrap();
            let response = ServerResponse {
                status: 201,
                headers: Default::default(),
                body: format!("{} {}", opened.method, opened.endpoint).into_bytes(),
            };
            let sealed =
                session_onion::node::seal_server_response(&key, &response, &mut rng()).unwrap();
            let mut answer = hyper::Response::new(Bytes::from(sealed));
            answer.headers_mut().insert(
                hyper::header::CONTENT_TYPE,
                hyper::header::HeaderValue::from_static("application/octet-stream"),
            );
            Some(answer)
        }
    });
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = serve(listener, None, handler);

    let destination =
        ServerDestination::new(Scheme::Http, "127.0.0.1", port, server_secret.public_key());
    let request = ServerRequest::new("GET", "/room/x");
    // The final hop passes the server's headers on; a relay before it answers text/plain,
    // as a relayed OxenMQ reply is a string to the real node.
    let paths = [vec![net.hop(0)], vec![net.hop(0), net.hop(1)]];
    for (path, content_type) in paths.iter().zip(["application/octet-stream", "text/plain"]) {
        let onion = Builder::new(path)
            .to_server(&destination, &request, &mut rng())
            .unwrap();
        let answer = client()
            .post(net.url(0, "/onion_req/v2"))
            .body(onion.body().to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        assert_eq!(answer.headers()["content-type"], content_type);
        assert_eq!(answer.headers()["server"], "Oxen Storage Server/2.8.0");
        let body = answer.bytes().await.unwrap();
        let reply = open_server_response(onion.response_key(), &body).unwrap();
        assert_eq!(reply.status, 201);
        assert_eq!(reply.body, b"GET /room/x");
    }
    let path = [net.hop(0), net.hop(1)];

    // The server gone: curl's connection failure, passed back through the relay.
    server.stop().await;
    let onion = Builder::new(&path)
        .to_server(&destination, &request, &mut rng())
        .unwrap();
    let (status, body) = post(&net, 0, onion.body().to_vec()).await;
    assert_eq!(status, 502);
    assert!(
        text(&body).starts_with("Failed to connect to 127.0.0.1 port"),
        "{}",
        text(&body)
    );
}
