//! The SOGS double seen from outside, over real sockets: pysogs' auth vectors, the body
//! hash, every route's status and shape, batch against sequence, and a request through a
//! localnet onion path. Requests are signed by hand with session-identity's keys.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use curve25519_dalek::edwards::CompressedEdwardsY;
use serde_json::{Value, json};
use session_crypto::Ed25519Seed;
use session_identity::Keypair;
use session_identity::blinding::BlindedKeypair;
use session_localnet::{LocalNet, RunningSogs, SogsInfo, SogsOptions};
use session_testkit::VectorFile;

/// Who signs a request.
#[derive(Clone)]
enum Signer {
    /// A `15` user.
    Blinded(BlindedKeypair),
    /// A `00` user.
    Unblinded(Box<Keypair>),
}

impl Signer {
    fn pubkey_header(&self) -> String {
        match self {
            Self::Blinded(keys) => keys.session_id().to_string(),
            Self::Unblinded(keys) => format!("00{}", hex::encode(keys.ed25519_public())),
        }
    }

    fn sign(&self, message: &[u8]) -> [u8; 64] {
        match self {
            Self::Blinded(keys) => keys.sign(message),
            Self::Unblinded(keys) => keys.sign(message),
        }
    }
}

fn keypair(byte: u8) -> Keypair {
    Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([byte; 32]))
}

fn blinded(byte: u8, info: &SogsInfo) -> Signer {
    Signer::Blinded(BlindedKeypair::blind15(&keypair(byte), &info.x25519))
}

fn now_s() -> i64 {
    i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap()
}

fn random_nonce() -> [u8; 16] {
    let mut nonce = [0u8; 16];
    getrandom::fill(&mut nonce).unwrap();
    nonce
}

fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

/// The X-SOGS signature message for `target` (`/path?query`, path percent-encoded).
fn to_sign(
    server: &[u8; 32],
    nonce: &[u8; 16],
    ts: &str,
    method: &str,
    target: &str,
    body: &[u8],
) -> Vec<u8> {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut message = server.to_vec();
    message.extend_from_slice(nonce);
    message.extend_from_slice(ts.as_bytes());
    message.extend_from_slice(method.as_bytes());
    message.extend_from_slice(&percent_decode(path));
    if !query.is_empty() {
        message.push(b'?');
        message.extend_from_slice(query.as_bytes());
    }
    if !body.is_empty() {
        message.extend_from_slice(&session_crypto::blake2b::hash::<64>(&[body]));
    }
    message
}

/// The four X-SOGS-* headers, as a map that cases can then break.
fn sogs_headers(
    info: &SogsInfo,
    signer: &Signer,
    method: &str,
    target: &str,
    body: &[u8],
    ts_offset: i64,
) -> Vec<(String, String)> {
    let nonce = random_nonce();
    let ts = (now_s() + ts_offset).to_string();
    let signature = signer.sign(&to_sign(&info.x25519, &nonce, &ts, method, target, body));
    vec![
        ("X-SOGS-Pubkey".into(), signer.pubkey_header()),
        ("X-SOGS-Nonce".into(), STANDARD.encode(nonce)),
        ("X-SOGS-Timestamp".into(), ts),
        ("X-SOGS-Signature".into(), STANDARD.encode(signature)),
    ]
}

fn set(headers: &mut [(String, String)], name: &str, value: String) {
    for (key, slot) in headers.iter_mut() {
        if key == name {
            *slot = value;
            return;
        }
    }
    panic!("no header {name}");
}

fn get<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    &headers.iter().find(|(key, _)| key == name).unwrap().1
}

/// An HTTP client (reqwest here has no default TLS provider; the nodes need leniency).
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .tls_backend_preconfigured(session_localnet::tls::accept_any_certificate().unwrap())
        .no_proxy()
        .build()
        .unwrap()
}

/// A status, headers and body.
struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&self.body)))
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

async fn send_raw(
    info: &SogsInfo,
    method: &str,
    target: &str,
    headers: &[(String, String)],
    body: Vec<u8>,
    content_type: Option<&str>,
) -> Answer {
    let client = client();
    let mut request = client.request(
        reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
        format!("{}{target}", info.url),
    );
    for (name, value) in headers {
        request = request.header(name, value);
    }
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    let response = request.body(body).send().await.unwrap();
    Answer {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.bytes().await.unwrap().to_vec(),
    }
}

/// A signed request (or an anonymous one with `signer` `None`) with an optional JSON body.
async fn call(
    info: &SogsInfo,
    signer: Option<&Signer>,
    method: &str,
    target: &str,
    body: Option<Value>,
) -> Answer {
    let bytes = body
        .map(|body| body.to_string().into_bytes())
        .unwrap_or_default();
    let headers = signer.map_or_else(Vec::new, |signer| {
        sogs_headers(info, signer, method, target, &bytes, 0)
    });
    let content_type = (!bytes.is_empty()).then_some("application/json");
    send_raw(info, method, target, &headers, bytes, content_type).await
}

/// Session-padded protobuf-ish bytes, as a client posts them.
fn padded(len: usize) -> Vec<u8> {
    let mut data: Vec<u8> = (0..len)
        .map(|i| u8::try_from(i % 200 + 1).unwrap())
        .collect();
    let total = (len + 2).div_ceil(160) * 160 - 1;
    data.push(0x80);
    data.resize(total, 0);
    data
}

fn post_body(data: &[u8]) -> Value {
    json!({"data": STANDARD.encode(data), "signature": STANDARD.encode([7u8; 64])})
}

/// `point + added` (Edwards), for the small-subgroup cases.
fn add_point(point: &[u8; 32], added: &[u8]) -> String {
    let a = CompressedEdwardsY(*point).decompress().unwrap();
    let b = CompressedEdwardsY(added.try_into().unwrap())
        .decompress()
        .unwrap();
    hex::encode((a + b).compress().to_bytes())
}

#[tokio::test]
async fn auth_errors_match_pysogs() {
    let file = VectorFile::load("sogs/auth_errors_pysogs.json");
    let sogs = RunningSogs::start(SogsOptions::default()).await.unwrap();
    let info = sogs.info().clone();
    let whoami = "/auth_test/whoami";
    let mut ran = 0;
    for (index, case) in file.cases().iter().enumerate() {
        let condition = case["condition"].as_str().unwrap();
        let signer = blinded(u8::try_from(index + 1).unwrap(), &info);
        let offset = case["timestamp_offset"].as_i64().unwrap_or(0);
        let mut headers = sogs_headers(&info, &signer, "GET", whoami, b"", offset);
        let nonce = STANDARD.decode(get(&headers, "X-SOGS-Nonce")).unwrap();
        let nonce64 = get(&headers, "X-SOGS-Nonce").to_owned();
        let mut answers = Vec::new();
        match condition {
            c if c.starts_with("no X-SOGS-* headers on endpoint that does not") => {
                answers.push(send_raw(&info, "GET", whoami, &[], Vec::new(), None).await);
            }
            c if c.starts_with("no auth headers on endpoint requiring") => {
                for method in ["GET", "POST"] {
                    let answer = send_raw(
                        &info,
                        method,
                        "/auth_test/auth_required",
                        &[],
                        Vec::new(),
                        None,
                    )
                    .await;
                    answers.push(answer);
                }
            }
            c if c.starts_with("nonce given as base64 with trailing") => {
                set(
                    &mut headers,
                    "X-SOGS-Nonce",
                    nonce64.trim_end_matches('=').into(),
                );
                let signature = get(&headers, "X-SOGS-Signature")
                    .trim_end_matches('=')
                    .to_owned();
                set(&mut headers, "X-SOGS-Signature", signature);
            }
            c if c.starts_with("nonce given as 32 hex") => {
                set(&mut headers, "X-SOGS-Nonce", hex::encode(&nonce));
            }
            c if c.starts_with("timestamp offset") => {}
            c if c.starts_with("user is globally banned") => {
                let Signer::Blinded(keys) = &signer else {
                    unreachable!()
                };
                sogs.admin()
                    .ban(None, &keys.session_id().to_string())
                    .unwrap();
                set(&mut headers, "X-SOGS-Signature", STANDARD.encode([1u8; 64]));
            }
            c if c.starts_with("one bit flipped in signature") => {
                let mut signature = STANDARD.decode(get(&headers, "X-SOGS-Signature")).unwrap();
                signature[10] ^= 0b100;
                set(&mut headers, "X-SOGS-Signature", STANDARD.encode(signature));
            }
            c if c.starts_with("signature base64 truncated") => {
                let signature = get(&headers, "X-SOGS-Signature").to_owned();
                set(
                    &mut headers,
                    "X-SOGS-Signature",
                    signature[..signature.len() - 4].into(),
                );
            }
            c if c.starts_with("X-SOGS-Timestamp header missing") => {
                headers.retain(|(name, _)| name != "X-SOGS-Timestamp");
            }
            c if c.starts_with("X-SOGS-Timestamp and X-SOGS-Nonce present but empty") => {
                set(&mut headers, "X-SOGS-Timestamp", String::new());
                set(&mut headers, "X-SOGS-Nonce", String::new());
            }
            c if c.starts_with("signature made for a different path") => {
                headers = sogs_headers(&info, &signer, "GET", "/auth_test/whoareu", b"", 0);
            }
            c if c.starts_with("timestamp with a trailing") => {
                let ts = format!("{}a", get(&headers, "X-SOGS-Timestamp"));
                set(&mut headers, "X-SOGS-Timestamp", ts);
            }
            c if c.starts_with("nonce base64 with an extra") => {
                set(&mut headers, "X-SOGS-Nonce", format!("{nonce64}="));
            }
            c if c.starts_with("nonce base64 with last char removed") => {
                set(
                    &mut headers,
                    "X-SOGS-Nonce",
                    nonce64[..nonce64.len() - 1].into(),
                );
            }
            c if c.starts_with("nonce base64 with last 6") => {
                set(
                    &mut headers,
                    "X-SOGS-Nonce",
                    nonce64[..nonce64.len() - 6].into(),
                );
            }
            c if c.starts_with("nonce as 31 hex") => {
                set(
                    &mut headers,
                    "X-SOGS-Nonce",
                    hex::encode(&nonce)[..31].into(),
                );
            }
            c if c.starts_with("nonce as 30 hex") => {
                set(
                    &mut headers,
                    "X-SOGS-Nonce",
                    hex::encode(&nonce)[..30].into(),
                );
            }
            c if c.starts_with("nonce as 34 hex") => {
                set(
                    &mut headers,
                    "X-SOGS-Nonce",
                    format!("{}ff", hex::encode(&nonce)),
                );
            }
            c if c.starts_with("exact same headers") => {
                let first = send_raw(&info, "GET", whoami, &headers, Vec::new(), None).await;
                assert_eq!(first.status, 200, "{condition}");
            }
            c if c.starts_with("'00' pubkey") || c.starts_with("'15' pubkey") => {
                let added = hex::decode(case["added_point"].as_str().unwrap()).unwrap();
                let (prefix, point) = if c.starts_with("'00'") {
                    ("00", *keypair(99).ed25519_public())
                } else {
                    let Signer::Blinded(keys) = &signer else {
                        unreachable!()
                    };
                    ("15", *keys.public_key())
                };
                // The all-zero encoding is (sqrt(-1), 0), a point of order 4; the other is
                // of order 8. Either sum leaves the prime-order subgroup.
                let bad = add_point(&point, &added);
                set(&mut headers, "X-SOGS-Pubkey", format!("{prefix}{bad}"));
            }
            other => panic!("no driver for vector case: {other}"),
        }
        if answers.is_empty() {
            answers.push(send_raw(&info, "GET", whoami, &headers, Vec::new(), None).await);
        }
        for answer in answers {
            let status = u16::try_from(case["status"].as_u64().unwrap()).unwrap();
            assert_eq!(answer.status, status, "{condition}: {}", answer.text());
            if let Some(body) = case["body"].as_str() {
                assert_eq!(answer.text(), body, "{condition}");
                assert_eq!(
                    answer.headers["content-type"], "text/plain; charset=utf-8",
                    "{condition}"
                );
            }
            if let Some(body) = case.get("body_json") {
                assert_eq!(&answer.json(), body, "{condition}");
            }
        }
        ran += 1;
    }
    assert_eq!(ran, 24);
    file.report("sogs double", ran);
    sogs.shutdown().await;
}

#[tokio::test]
async fn unblinded_and_blind25_keys_follow_the_options() {
    let strict = RunningSogs::start(SogsOptions::default()).await.unwrap();
    let info = strict.info().clone();
    let plain = Signer::Unblinded(Box::new(keypair(3)));
    let answer = call(&info, Some(&plain), "GET", "/auth_test/whoami", None).await;
    assert_eq!(answer.status, 400);
    assert_eq!(
        answer.text(),
        "Invalid authentication: this server requires the use of blinded ids"
    );
    let blind25 = Signer::Blinded(BlindedKeypair::blind25(&keypair(3), &info.x25519));
    let answer = call(&info, Some(&blind25), "GET", "/auth_test/whoami", None).await;
    assert_eq!(answer.status, 400);
    assert_eq!(
        answer.text(),
        "Invalid authentication: X-SOGS-Pubkey must be 00- or 15- prefixed"
    );
    strict.shutdown().await;

    let lax = RunningSogs::start(
        SogsOptions::default()
            .require_blind_keys(false)
            .blind25(true),
    )
    .await
    .unwrap();
    let info = lax.info().clone();
    let answer = call(&info, Some(&plain), "GET", "/auth_test/whoami", None).await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.json()["user"]["session_id"],
        keypair(3).session_id().to_string()
    );
    let blind25 = Signer::Blinded(BlindedKeypair::blind25(&keypair(3), &info.x25519));
    let answer = call(&info, Some(&blind25), "GET", "/auth_test/whoami", None).await;
    assert_eq!(answer.status, 200);
    assert!(
        answer.json()["user"]["session_id"]
            .as_str()
            .unwrap()
            .starts_with("25")
    );
    let caps = call(&info, None, "GET", "/capabilities", None).await.json();
    assert_eq!(
        caps,
        json!({"capabilities": ["blind25", "reactions", "sogs"]})
    );
    lax.shutdown().await;
}

#[tokio::test]
async fn the_body_hash_is_checked() {
    let sogs = RunningSogs::start(SogsOptions::default()).await.unwrap();
    let info = sogs.info().clone();
    let signer = blinded(1, &info);
    for target in ["/auth_test/auth_required", "/room/lobby/message"] {
        let body = post_body(&padded(20)).to_string().into_bytes();
        let headers = sogs_headers(&info, &signer, "POST", target, &body, 0);
        let answer = send_raw(
            &info,
            "POST",
            target,
            &headers,
            body.clone(),
            Some("application/json"),
        )
        .await;
        assert!(
            answer.status == 200 || answer.status == 201,
            "{}",
            answer.text()
        );

        let headers = sogs_headers(&info, &signer, "POST", target, &body, 0);
        let mut flipped = body.clone();
        flipped[12] ^= 1;
        let answer = send_raw(
            &info,
            "POST",
            target,
            &headers,
            flipped,
            Some("application/json"),
        )
        .await;
        assert_eq!(answer.status, 401);
        assert_eq!(
            answer.text(),
            "Invalid authentication: X-SOGS-Signature verification failed"
        );
    }
    // A form content type makes the body vanish server-side: the hash no longer matches.
    let body = br#"{"a":1}"#.to_vec();
    let target = "/auth_test/auth_required";
    let headers = sogs_headers(&info, &signer, "POST", target, &body, 0);
    let answer = send_raw(
        &info,
        "POST",
        target,
        &headers,
        body,
        Some("application/x-www-form-urlencoded"),
    )
    .await;
    assert_eq!(answer.status, 401);
    assert_eq!(sogs.admin().message_count("lobby"), 1);
    sogs.shutdown().await;
}

#[tokio::test]
async fn every_route_answers_like_pysogs() {
    let sogs = RunningSogs::start(SogsOptions::default()).await.unwrap();
    let info = sogs.info().clone();
    let admin = sogs.admin();
    let alice = blinded(1, &info);
    let bob = blinded(2, &info);
    let carol = blinded(3, &info);
    let id = |signer: &Signer| signer.pubkey_header();

    // Capabilities.
    let caps = call(&info, None, "GET", "/capabilities", None).await;
    assert_eq!(caps.status, 200);
    assert_eq!(
        caps.text(),
        r#"{"capabilities":["blind","reactions","sogs"]}"#
    );
    let caps = call(
        &info,
        None,
        "GET",
        "/capabilities?required=sogs,magic",
        None,
    )
    .await;
    assert_eq!(caps.status, 412);
    assert_eq!(caps.json()["missing"], json!(["magic"]));

    // The admin: bob by his 05 id, migrated when his 15 self shows up.
    let url = admin.add_room("test-room", "Test Room").unwrap();
    assert_eq!(
        url,
        format!(
            "{}/test-room?public_key={}",
            info.url,
            hex::encode(info.x25519)
        )
    );
    admin
        .add_moderator(
            Some("test-room"),
            &keypair(2).session_id().to_string(),
            true,
            true,
        )
        .unwrap();
    admin
        .set_room_description("test-room", Some("about"))
        .unwrap();

    // Rooms.
    let rooms = call(&info, None, "GET", "/rooms", None).await.json();
    let tokens: Vec<&str> = rooms
        .as_array()
        .unwrap()
        .iter()
        .map(|room| room["token"].as_str().unwrap())
        .collect();
    assert_eq!(tokens, ["lobby", "test-room"]);
    let room = call(&info, Some(&bob), "GET", "/room/test-room", None)
        .await
        .json();
    assert_eq!(room["admins"], json!([id(&bob)]));
    assert_eq!(room["admin"], json!(true));
    assert_eq!(room["moderator"], json!(true));
    assert_eq!(room["description"], json!("about"));
    assert!(room["created"].is_f64());
    let info_updates = room["info_updates"].as_i64().unwrap();
    assert_eq!(
        call(&info, None, "GET", "/room/nope", None).await.status,
        404
    );

    let poll = call(
        &info,
        Some(&alice),
        "GET",
        &format!("/room/test-room/pollInfo/{info_updates}"),
        None,
    )
    .await
    .json();
    assert!(poll.get("details").is_none());
    assert_eq!(poll["read"], json!(true));
    let poll = call(
        &info,
        Some(&alice),
        "GET",
        "/room/test-room/pollInfo/0",
        None,
    )
    .await
    .json();
    assert_eq!(poll["details"]["token"], "test-room");
    assert_eq!(poll["active_users"], json!(1));

    let put = call(
        &info,
        Some(&bob),
        "PUT",
        "/room/test-room",
        Some(json!({"name": "Renamed"})),
    )
    .await;
    assert_eq!(put.status, 200);
    assert_eq!(put.json()["info_updates"], json!(info_updates + 1));
    let put = call(
        &info,
        Some(&alice),
        "PUT",
        "/room/test-room",
        Some(json!({"name": "x"})),
    )
    .await;
    assert_eq!(put.status, 403);
    assert_eq!(put.text(), "This endpoint requires admin room permissions");

    // Messages: padding survives the round trip exactly.
    let data = padded(30);
    let posted = call(
        &info,
        Some(&alice),
        "POST",
        "/room/test-room/message",
        Some(post_body(&data)),
    )
    .await;
    assert_eq!(posted.status, 201);
    let posted = posted.json();
    assert_eq!(posted["data"], json!(STANDARD.encode(&data)));
    assert_eq!(posted["session_id"], json!(id(&alice)));
    assert_eq!(posted["reactions"], json!({}));
    let msg_id = posted["id"].as_u64().unwrap();
    let one = call(
        &info,
        None,
        "GET",
        &format!("/room/test-room/message/{msg_id}"),
        None,
    )
    .await
    .json();
    assert_eq!(one["data"], json!(STANDARD.encode(&data)));
    assert!(one["posted"].is_f64());
    let bad = call(
        &info,
        Some(&alice),
        "POST",
        "/room/test-room/message",
        Some(json!({"data": "AAAA", "signature": "AAAA"})),
    )
    .await;
    assert_eq!(bad.status, 400);
    let anonymous = call(
        &info,
        None,
        "POST",
        "/room/test-room/message",
        Some(post_body(&data)),
    )
    .await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(anonymous.text(), "X-SOGS-* request authentication required");

    let second = call(
        &info,
        Some(&carol),
        "POST",
        "/room/test-room/message",
        Some(post_body(&padded(5))),
    )
    .await
    .json();
    let second_id = second["id"].as_u64().unwrap();
    let since = call(&info, None, "GET", "/room/test-room/messages/since/0", None)
        .await
        .json();
    assert_eq!(since.as_array().unwrap().len(), 2);
    let seqno_after_posts = since[1]["seqno"].as_i64().unwrap();
    let recent = call(
        &info,
        None,
        "GET",
        "/room/test-room/messages/recent?limit=1",
        None,
    )
    .await
    .json();
    assert_eq!(recent[0]["id"], json!(second_id));
    let before = call(
        &info,
        None,
        "GET",
        &format!("/room/test-room/messages/before/{second_id}"),
        None,
    )
    .await
    .json();
    assert_eq!(before[0]["id"], json!(msg_id));

    // Edits: author only.
    let target = format!("/room/test-room/message/{msg_id}");
    let edit = call(
        &info,
        Some(&carol),
        "PUT",
        &target,
        Some(post_body(&padded(3))),
    )
    .await;
    assert_eq!(edit.status, 403);
    let edit = call(
        &info,
        Some(&alice),
        "PUT",
        &target,
        Some(post_body(&padded(3))),
    )
    .await;
    assert_eq!((edit.status, edit.text().as_str()), (200, "{}"));
    let one = call(&info, None, "GET", &target, None).await.json();
    assert!(one["edited"].is_f64());

    // Reactions, signed over the decoded emoji.
    let thumbs = format!("/room/test-room/reaction/{msg_id}/%F0%9F%91%8D");
    let added = call(&info, Some(&carol), "PUT", &thumbs, Some(json!({}))).await;
    assert_eq!(added.status, 200, "{}", added.text());
    assert_eq!(added.json()["added"], json!(true));
    let again = call(&info, Some(&carol), "PUT", &thumbs, Some(json!({})))
        .await
        .json();
    assert_eq!(again["added"], json!(false));
    let slashy = format!("/room/test-room/reaction/{msg_id}/a%2Fb");
    assert_eq!(
        call(&info, Some(&bob), "PUT", &slashy, Some(json!({})))
            .await
            .status,
        200
    );
    let too_long = format!("/room/test-room/reaction/{msg_id}/{}", "x".repeat(13));
    assert_eq!(
        call(&info, Some(&bob), "PUT", &too_long, Some(json!({})))
            .await
            .status,
        400
    );
    let one = call(
        &info,
        Some(&carol),
        "GET",
        &format!("{target}?reactors=2"),
        None,
    )
    .await
    .json();
    assert_eq!(
        one["reactions"]["👍"],
        json!({"index": 0, "count": 1, "reactors": [id(&carol)], "you": true})
    );
    assert_eq!(one["reactions"]["a/b"]["index"], json!(1));
    let reactors = call(
        &info,
        None,
        "GET",
        &format!("/room/test-room/reactors/{msg_id}/%F0%9F%91%8D"),
        None,
    )
    .await
    .json();
    assert_eq!(reactors[0][0], json!(id(&carol)));
    assert!(reactors[0][1].is_f64());
    let updates = call(
        &info,
        None,
        "GET",
        &format!(
            "/room/test-room/messages/since/{}?t=r&reactors=0",
            seqno_after_posts + 1
        ),
        None,
    )
    .await
    .json();
    let row = &updates.as_array().unwrap()[0];
    let mut keys: Vec<&String> = row.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["id", "reactions", "seqno"]);
    assert!(row["reactions"]["👍"].get("reactors").is_none());
    let removed = call(&info, Some(&carol), "DELETE", &thumbs, None)
        .await
        .json();
    assert_eq!(removed["removed"], json!(true));
    let cleared = call(
        &info,
        Some(&bob),
        "DELETE",
        &format!("/room/test-room/reactions/{msg_id}"),
        None,
    )
    .await
    .json();
    assert_eq!(cleared["removed"], json!(1));

    // Pins (admin only).
    let pin = format!("/room/test-room/pin/{msg_id}");
    assert_eq!(
        call(&info, Some(&alice), "POST", &pin, Some(json!({})))
            .await
            .status,
        403
    );
    let pinned = call(&info, Some(&bob), "POST", &pin, Some(json!({}))).await;
    assert_eq!(pinned.status, 200);
    let room = call(&info, None, "GET", "/room/test-room", None)
        .await
        .json();
    assert_eq!(room["pinned_messages"][0]["id"], json!(msg_id));
    assert_eq!(room["pinned_messages"][0]["pinned_by"], json!(id(&bob)));
    let unpinned = call(
        &info,
        Some(&bob),
        "POST",
        &format!("/room/test-room/unpin/{msg_id}"),
        Some(json!({})),
    )
    .await
    .json();
    assert_eq!(unpinned["unpinned"], json!(true));
    let all = call(
        &info,
        Some(&bob),
        "POST",
        "/room/test-room/unpin/all",
        Some(json!({})),
    )
    .await
    .json();
    assert_eq!(all["unpinned"], json!(0));

    // Deletion: a tombstone in `since` for a message the poller already had.
    let since_before_delete = call(&info, None, "GET", "/room/test-room", None)
        .await
        .json()["message_sequence"]
        .as_i64()
        .unwrap();
    let deleted = call(&info, Some(&alice), "DELETE", &target, None).await;
    assert_eq!((deleted.status, deleted.text().as_str()), (200, "{}"));
    assert_eq!(call(&info, None, "GET", &target, None).await.status, 404);
    let tomb = call(
        &info,
        None,
        "GET",
        &format!("/room/test-room/messages/since/{since_before_delete}"),
        None,
    )
    .await
    .json();
    assert_eq!(tomb[0]["deleted"], json!(true));
    assert_eq!(tomb[0]["data"], Value::Null);
    assert!(tomb[0].get("signature").is_none());
    // A poller that never saw it gets nothing about it.
    let fresh = call(&info, None, "GET", "/room/test-room/messages/since/0", None)
        .await
        .json();
    assert_eq!(fresh.as_array().unwrap().len(), 1);

    // Files.
    let file_headers = sogs_headers(
        &info,
        &alice,
        "POST",
        "/room/test-room/file",
        b"filebytes",
        0,
    );
    let mut file_headers = file_headers;
    file_headers.push((
        "Content-Disposition".into(),
        "attachment; filename*=UTF-8''caf%C3%A9.txt".into(),
    ));
    let uploaded = send_raw(
        &info,
        "POST",
        "/room/test-room/file",
        &file_headers,
        b"filebytes".to_vec(),
        Some("application/octet-stream"),
    )
    .await;
    assert_eq!(uploaded.status, 201);
    let file_id = uploaded.json()["id"].as_u64().unwrap();
    let download = call(
        &info,
        None,
        "GET",
        &format!("/room/test-room/file/{file_id}"),
        None,
    )
    .await;
    assert_eq!(download.status, 200);
    assert_eq!(download.body, b"filebytes");
    assert_eq!(download.headers["content-type"], "application/octet-stream");
    assert_eq!(
        download.headers["content-disposition"],
        "attachment; filename*=UTF-8''caf%C3%A9.txt"
    );
    assert!(download.headers.contains_key("expires"));
    assert!(download.headers.contains_key("date"));
    let image = call(
        &info,
        Some(&bob),
        "PUT",
        "/room/test-room",
        Some(json!({"image": file_id})),
    )
    .await;
    assert_eq!(image.status, 200);
    let bad_image = call(
        &info,
        Some(&bob),
        "PUT",
        "/room/test-room",
        Some(json!({"image": 999})),
    )
    .await;
    assert_eq!(bad_image.status, 406);

    // Permissions and future permissions.
    let perms = call(
        &info,
        Some(&bob),
        "POST",
        &format!("/room/test-room/permissions/{}", id(&carol)),
        Some(json!({"write": false})),
    )
    .await;
    assert_eq!(perms.text(), r#"{"write":false}"#);
    let denied = call(
        &info,
        Some(&carol),
        "POST",
        "/room/test-room/message",
        Some(post_body(&padded(4))),
    )
    .await;
    assert_eq!(denied.status, 403);
    let all_perms = call(
        &info,
        Some(&bob),
        "GET",
        "/room/test-room/permissions",
        None,
    )
    .await
    .json();
    assert_eq!(all_perms[id(&carol)], json!({"write": false}));
    assert_eq!(all_perms[id(&bob)], json!({"admin": true}));
    assert_eq!(
        call(
            &info,
            Some(&alice),
            "GET",
            "/room/test-room/permissions",
            None
        )
        .await
        .status,
        403
    );
    let future = call(
        &info,
        Some(&bob),
        "POST",
        &format!("/room/test-room/futurePermissions/{}", id(&carol)),
        Some(json!({"write": true, "in": 1})),
    )
    .await
    .json();
    assert_eq!(future[0]["write"], json!(true));
    let listed = call(
        &info,
        Some(&bob),
        "GET",
        "/room/test-room/futurePermissions",
        None,
    )
    .await
    .json();
    assert_eq!(listed[0]["session_id"], json!(id(&carol)));
    // The server clock applies it.
    admin.set_clock_offset_s(2);
    let allowed = call(
        &info,
        Some(&carol),
        "POST",
        "/room/test-room/message",
        Some(post_body(&padded(4))),
    )
    .await;
    assert_eq!(allowed.status, 201, "{}", allowed.text());
    admin.set_clock_offset_s(0);

    // Users: ban, unban, moderator.
    let ban = call(
        &info,
        Some(&bob),
        "POST",
        &format!("/user/{}/ban", id(&carol)),
        Some(json!({"rooms": ["test-room"]})),
    )
    .await;
    assert_eq!((ban.status, ban.text().as_str()), (200, "{}"));
    let banned_read = call(
        &info,
        Some(&carol),
        "GET",
        "/room/test-room/messages/recent",
        None,
    )
    .await;
    assert_eq!(banned_read.status, 403);
    let neither = call(
        &info,
        Some(&bob),
        "POST",
        &format!("/user/{}/ban", id(&carol)),
        Some(json!({})),
    )
    .await;
    assert_eq!(neither.status, 400);
    let unban = call(
        &info,
        Some(&bob),
        "POST",
        &format!("/user/{}/unban", id(&carol)),
        Some(json!({"rooms": ["*"]})),
    )
    .await;
    assert_eq!(unban.status, 200);
    assert_eq!(
        call(
            &info,
            Some(&carol),
            "GET",
            "/room/test-room/messages/recent",
            None
        )
        .await
        .status,
        200
    );
    let modded = call(
        &info,
        Some(&bob),
        "POST",
        &format!("/user/{}/moderator", id(&alice)),
        Some(json!({"rooms": ["test-room"], "moderator": true, "visible": false})),
    )
    .await;
    assert_eq!(modded.status, 200);
    assert!(modded.json()["info_updates"]["test-room"].is_i64());
    let contradictory = call(
        &info,
        Some(&bob),
        "POST",
        &format!("/user/{}/moderator", id(&alice)),
        Some(json!({"rooms": ["test-room"], "moderator": false, "admin": true})),
    )
    .await;
    assert_eq!(contradictory.status, 400);
    let room = call(&info, Some(&alice), "GET", "/room/test-room", None)
        .await
        .json();
    assert_eq!(room["hidden_moderators"], json!([id(&alice)]));

    // Delete everything by carol.
    let wiped = call(
        &info,
        Some(&bob),
        "DELETE",
        &format!("/room/test-room/all/{}", id(&carol)),
        None,
    )
    .await;
    assert_eq!(wiped.status, 200);
    let again = call(
        &info,
        Some(&bob),
        "DELETE",
        &format!("/room/test-room/all/{}", id(&carol)),
        None,
    )
    .await;
    assert_eq!(again.status, 404);
    let everywhere = call(
        &info,
        Some(&alice),
        "DELETE",
        &format!("/rooms/all/{}", id(&alice)),
        None,
    )
    .await
    .json();
    assert_eq!(
        everywhere,
        json!({"total": 0, "rooms": {"lobby": 0, "test-room": 0}})
    );

    // DMs.
    let dave = blinded(4, &info);
    let to_dave = format!("/inbox/{}", id(&dave));
    let early = call(
        &info,
        Some(&alice),
        "POST",
        &to_dave,
        Some(json!({"message": "AAEC"})),
    )
    .await;
    assert_eq!(early.status, 404);
    assert_eq!(
        call(&info, Some(&dave), "GET", "/inbox", None).await.text(),
        "[]"
    );
    let sent = call(
        &info,
        Some(&alice),
        "POST",
        &to_dave,
        Some(json!({"message": "AAEC"})),
    )
    .await;
    assert_eq!(sent.status, 201);
    let sent = sent.json();
    assert!(sent.get("message").is_none());
    assert_eq!(sent["recipient"], json!(id(&dave)));
    let dm_id = sent["id"].as_u64().unwrap();
    let inbox = call(&info, Some(&dave), "GET", "/inbox", None).await.json();
    assert_eq!(inbox[0]["message"], json!("AAEC"));
    assert_eq!(inbox[0]["sender"], json!(id(&alice)));
    let none = call(
        &info,
        Some(&dave),
        "GET",
        &format!("/inbox/since/{dm_id}"),
        None,
    )
    .await;
    assert_eq!((none.status, none.body.len()), (304, 0));
    let outbox = call(&info, Some(&alice), "GET", "/outbox/since/0", None)
        .await
        .json();
    assert_eq!(outbox[0]["id"], json!(dm_id));
    let cleared = call(&info, Some(&dave), "DELETE", "/inbox", None)
        .await
        .json();
    assert_eq!(cleared, json!({"deleted": 1}));

    // Rate limit: 5 posts per 16 s for non-admins.
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let answer = call(
            &info,
            Some(&dave),
            "POST",
            "/room/lobby/message",
            Some(post_body(&padded(2))),
        )
        .await;
        statuses.push(answer.status);
    }
    assert_eq!(statuses, [201, 201, 201, 201, 201, 429]);

    // Unknown routes and methods.
    assert_eq!(call(&info, None, "GET", "/nothing", None).await.status, 404);
    assert_eq!(
        call(&info, None, "DELETE", "/rooms", None).await.status,
        405
    );
    sogs.shutdown().await;
}

#[tokio::test]
async fn batch_runs_everything_and_sequence_stops_at_the_first_failure() {
    let sogs = RunningSogs::start(SogsOptions::default()).await.unwrap();
    let info = sogs.info().clone();
    let alice = blinded(1, &info);
    let subs = json!([
        {"method": "GET", "path": "/capabilities"},
        {"method": "GET", "path": "/room/nope"},
        {"method": "POST", "path": "/room/lobby/message", "json": post_body(&padded(3))},
        {"method": "GET", "path": "/inbox/since/0"},
        {"method": "POST", "path": "/auth_test/auth_required", "b64": STANDARD.encode(b"[1]"),
         "headers": {"Content-Type": "application/json"}},
    ]);
    let batch = call(&info, Some(&alice), "POST", "/batch", Some(subs.clone())).await;
    assert_eq!(batch.status, 200);
    let batch = batch.json();
    let codes: Vec<u64> = batch
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_u64().unwrap())
        .collect();
    assert_eq!(codes, [200, 404, 201, 304, 200]);
    assert_eq!(
        batch[0]["headers"],
        json!({"content-type": "application/json"})
    );
    assert_eq!(
        batch[0]["body"]["capabilities"],
        json!(["blind", "reactions", "sogs"])
    );
    // A non-JSON body is base64.
    assert!(batch[1]["body"].is_string());
    assert_eq!(batch[2]["body"]["session_id"], json!(alice.pubkey_header()));
    assert_eq!(batch[3]["body"], json!(""));
    assert_eq!(batch[4]["body"]["body"], json!([1]));
    assert_eq!(
        batch[4]["body"]["user"]["session_id"],
        json!(alice.pubkey_header())
    );

    let sequence = call(&info, Some(&alice), "POST", "/sequence", Some(subs))
        .await
        .json();
    assert_eq!(sequence.as_array().unwrap().len(), 2);
    assert_eq!(sequence[1]["code"], json!(404));
    assert_eq!(sogs.admin().message_count("lobby"), 1);

    let malformed = json!([{"method": "GET", "path": "/capabilities", "json": {}}]);
    let answer = call(&info, Some(&alice), "POST", "/batch", Some(malformed)).await;
    assert_eq!(answer.status, 400);
    sogs.shutdown().await;
}

#[tokio::test]
async fn a_localnet_onion_reaches_the_double() {
    use rand::SeedableRng;
    use session_onion::response::decode_server_response;
    use session_onion::{Builder, Hop, Scheme, ServerDestination, ServerRequest};

    let net = LocalNet::builder()
        .nodes(3)
        .swarms(1)
        .seed([9; 32])
        .start()
        .await
        .unwrap();
    let info = net.sogs().clone();
    assert!(info.url.starts_with("http://127.0.0.1:"));
    let nodes = net.nodes();
    let path: Vec<Hop> = nodes
        .iter()
        .map(|node| Hop::new(node.ed25519(), node.x25519()))
        .collect();
    let destination = ServerDestination::new(Scheme::Http, "127.0.0.1", info.port, info.x25519);
    let client = client();
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(3);
    let alice = blinded(1, &info);

    let body = post_body(&padded(10)).to_string().into_bytes();
    let mut post = ServerRequest::new("POST", "/room/lobby/message").with_body(body.clone());
    for (name, value) in sogs_headers(&info, &alice, "POST", "/room/lobby/message", &body, 0) {
        post = post.with_header(name, value);
    }
    let get = ServerRequest::new("GET", "/capabilities");
    let mut answers = Vec::new();
    for request in [get, post] {
        let onion = Builder::new(&path)
            .to_server(&destination, &request, &mut rng)
            .unwrap();
        let (onion_body, key) = onion.into_parts();
        let response = client
            .post(format!("{}/onion_req/v2", nodes[0].url()))
            .body(onion_body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let bytes = response.bytes().await.unwrap();
        answers.push(decode_server_response(&key, status, &bytes).unwrap());
    }
    assert_eq!(answers[0].status, 200);
    assert_eq!(
        answers[0].body,
        br#"{"capabilities":["blind","reactions","sogs"]}"#
    );
    assert_eq!(
        answers[1].status,
        201,
        "{}",
        String::from_utf8_lossy(&answers[1].body)
    );
    assert_eq!(net.sogs_admin().message_count("lobby"), 1);
    net.shutdown().await;
}

#[tokio::test]
async fn tls_doubles_serve_https_and_nodes_trust_them() {
    use rand::SeedableRng;
    use session_onion::response::decode_server_response;
    use session_onion::{Builder, Hop, Scheme, ServerDestination, ServerRequest};

    let sogs = RunningSogs::start(SogsOptions::default().tls(true))
        .await
        .unwrap();
    let info = sogs.info().clone();
    assert!(info.url.starts_with("https://127.0.0.1:"));
    assert!(
        info.cert_pem
            .as_deref()
            .unwrap()
            .contains("BEGIN CERTIFICATE")
    );
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls::pki_types::CertificateDer::from(
            info.cert_der.clone().unwrap(),
        ))
        .unwrap();
    let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let pinned = reqwest::Client::builder()
        .tls_backend_preconfigured(config)
        .build()
        .unwrap();
    let caps = pinned
        .get(format!("{}/capabilities", info.url))
        .send()
        .await
        .unwrap();
    assert_eq!(caps.status(), 200);
    sogs.shutdown().await;

    let net = LocalNet::builder()
        .nodes(2)
        .swarms(1)
        .seed([8; 32])
        .sogs(SogsOptions::default().tls(true))
        .start()
        .await
        .unwrap();
    let info = net.sogs().clone();
    assert!(info.url.starts_with("https://"));
    let nodes = net.nodes();
    let path: Vec<Hop> = nodes
        .iter()
        .map(|node| Hop::new(node.ed25519(), node.x25519()))
        .collect();
    let destination = ServerDestination::new(Scheme::Https, "127.0.0.1", info.port, info.x25519);
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(4);
    let onion = Builder::new(&path)
        .to_server(&destination, &ServerRequest::new("GET", "/rooms"), &mut rng)
        .unwrap();
    let (body, key) = onion.into_parts();
    let response = client()
        .post(format!("{}/onion_req/v2", nodes[0].url()))
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap();
    let answer = decode_server_response(&key, status, &bytes).unwrap();
    assert_eq!(answer.status, 200);
    let rooms: Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(rooms[0]["token"], json!("lobby"));
    assert_eq!(rooms[0]["name"], json!("Lobby"));
    net.shutdown().await;
}
