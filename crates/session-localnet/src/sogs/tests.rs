//! Tests of the SOGS double that need its internals: the v4 onion end without a network,
//! and the `05` → `15` migration of settings given by an admin.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::PoisonError;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use rand_core::UnwrapErr;
use session_crypto::{Ed25519Seed, X25519Secret};
use session_identity::Keypair;
use session_identity::blinding::BlindedKeypair;
use session_onion::frame::Frame;
use session_onion::{ChannelKey, EncType, ServerRequest, ServerResponse};

use super::auth::signed_message;
use super::request::SogsRequest;
use super::{PreparedSogs, SogsAdmin, SogsOptions};

fn server() -> PreparedSogs {
    PreparedSogs::new(&SogsOptions::default(), [5; 32]).unwrap()
}

fn post(sogs: &PreparedSogs, path: &str, body: Vec<u8>) -> (u16, Bytes) {
    let request = hyper::Request::builder()
        .method("POST")
        .uri(path)
        .header("content-type", "application/octet-stream")
        .body(Bytes::from(body))
        .unwrap();
    let response = sogs.respond(&request);
    (response.status().as_u16(), response.into_body())
}

/// `plaintext` sealed to the server as the last layer of an onion.
fn onion(sogs: &PreparedSogs, enc_type: EncType, plaintext: &[u8]) -> (Vec<u8>, ChannelKey) {
    let mut rng = UnwrapErr(getrandom::SysRng);
    let secret = X25519Secret::generate(&mut rng);
    let key = ChannelKey::for_client(enc_type, &secret, &sogs.x25519).unwrap();
    let ciphertext = key.encrypt(&mut rng, plaintext).unwrap();
    let name = match enc_type {
        EncType::AesGcm => "aes-gcm",
        _ => "xchacha20",
    };
    let json =
        serde_json::json!({"ephemeral_key": hex::encode(secret.public_key()), "enc_type": name});
    (
        Frame::encode(&ciphertext, json.to_string().as_bytes()).unwrap(),
        key,
    )
}

fn through_onion(
    sogs: &PreparedSogs,
    enc_type: EncType,
    request: &ServerRequest,
) -> ServerResponse {
    let (body, key) = onion(sogs, enc_type, &request.encode());
    let (status, sealed) = post(sogs, "/oxen/v4/lsrpc", body);
    assert_eq!(status, 200);
    ServerResponse::decode(&key.decrypt(&sealed).unwrap()).unwrap()
}

#[test]
fn v4_onions_open_route_and_seal() {
    let sogs = server();
    for enc_type in [EncType::XChaCha20, EncType::AesGcm] {
        let answer = through_onion(&sogs, enc_type, &ServerRequest::new("GET", "/capabilities"));
        assert_eq!(answer.status, 200);
        assert_eq!(answer.headers["content-type"], "application/json");
        assert!(!answer.headers.contains_key("content-length"));
        assert_eq!(answer.headers.len(), 1);
        assert_eq!(
            answer.body,
            br#"{"capabilities":["blind","reactions","sogs"]}"#
        );
    }
    // Raw UTF-8 in the endpoint routes like its percent-encoded form.
    let raw = through_onion(
        &sogs,
        EncType::XChaCha20,
        &ServerRequest::new("GET", "/room/lobby/reactors/1/👍"),
    );
    assert_eq!(raw.status, 404);
    assert!(String::from_utf8_lossy(&raw.body).contains("Not Found"));

    // Opens, but is not a v4 request: a sealed 400 with pysogs' text.
    let relative = through_onion(
        &sogs,
        EncType::XChaCha20,
        &ServerRequest::new("GET", "rooms"),
    );
    assert_eq!(relative.status, 400);
    assert_eq!(relative.body, b"Invalid v4 onion request");
    // A POST without a body part is routed with an empty body (Flask then wants JSON).
    let bodiless = through_onion(
        &sogs,
        EncType::XChaCha20,
        &ServerRequest::new("POST", "/batch"),
    );
    assert_eq!(bodiless.status, 415);

    // Does not open: a plain 400 page; and only POST is routed there.
    let (status, body) = post(&sogs, "/oxen/v4/lsrpc", b"garbage".to_vec());
    assert_eq!(status, 400);
    assert!(String::from_utf8_lossy(&body).contains("400 Bad Request"));
    let get = hyper::Request::builder()
        .uri("/oxen/v4/lsrpc")
        .body(Bytes::new())
        .unwrap();
    assert_eq!(sogs.respond(&get).status(), 405);

    // A JSON body without a content type is not JSON to Flask.
    let no_type = ServerRequest::new("POST", "/batch")
        .with_header("Content-Type", "application/octet-stream")
        .with_body(b"[]".to_vec());
    assert_eq!(
        through_onion(&sogs, EncType::XChaCha20, &no_type).status,
        415
    );
}

/// Signed X-SOGS-* headers for `method path` with no body.
fn signed(keys: &BlindedKeypair, server: &[u8; 32], method: &str, path: &str) -> SogsRequest {
    let nonce = [u8::try_from(path.len() % 250).unwrap(); 16];
    let ts = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    let unsigned = SogsRequest::new(method, path, Vec::new(), Bytes::new());
    let signature = keys.sign(&signed_message(server, &nonce, &ts, &unsigned));
    let headers = vec![
        ("X-SOGS-Pubkey".to_owned(), keys.session_id().to_string()),
        ("X-SOGS-Nonce".to_owned(), STANDARD.encode(nonce)),
        ("X-SOGS-Timestamp".to_owned(), ts),
        ("X-SOGS-Signature".to_owned(), STANDARD.encode(signature)),
    ];
    SogsRequest::new(method, path, headers, Bytes::new())
}

#[test]
fn settings_given_to_a_05_id_move_to_its_15_user() {
    let sogs = server();
    let admin = SogsAdmin {
        state: sogs.state.clone(),
        url: "http://x".into(),
    };
    // Several users, so that the one whose Ed25519 key has the sign bit set is likely among
    // them (the matching must try both candidates).
    for byte in 1..=4u8 {
        let user = Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([byte; 32]));
        admin
            .add_moderator(None, &user.session_id().to_string(), false, true)
            .unwrap();
        let blinded = BlindedKeypair::blind15(&user, &sogs.x25519);
        let answer = sogs
            .server
            .dispatch(&signed(&blinded, &sogs.x25519, "GET", "/room/lobby"));
        assert_eq!(answer.status, 200);
        let room: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
        assert_eq!(
            room["global_moderator"],
            serde_json::json!(true),
            "user {byte}"
        );
        assert_eq!(room["moderator"], serde_json::json!(true));
        let state = sogs.state.lock().unwrap_or_else(PoisonError::into_inner);
        let unblinded = state.find(&user.session_id().to_string()).unwrap();
        assert!(!state.user(unblinded).unwrap().global_moderator);
    }
}
