//! The listener and the node's routes against `http_behaviour.json`, and the rate limiter
//! against `rate_limiter.json`.

use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::Value;
use session_testkit::VectorFile;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::insecure::accept_any_config;
use super::rate_limiter::{
    BUCKET_SIZE, MAX_CLIENTS, RateLimiter, TOKEN_RATE, TOKEN_RATE_SN, TokenBuckets,
};
use super::reply::{SERVER_HEADER, json_reply};
use super::server::{MAX_BODY_SIZE, serve};
use crate::network::NetworkConfig;
use crate::test_net::{TestNet, client};

const INFO: &str = r#"{"method":"info","params":{}}"#;

async fn net() -> TestNet {
    TestNet::start(1, NetworkConfig::default()).await
}

/// A raw TLS connection, for what reqwest hides (status lines, keep-alive, chunking).
async fn raw_tls(port: u16) -> TlsStream<TcpStream> {
    let connector = TlsConnector::from(Arc::new(accept_any_config().unwrap()));
    let tcp = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    connector.connect(name, tcp).await.unwrap()
}

/// One response read off a raw connection: the head (status line and headers) and body.
struct RawResponse {
    status_line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl RawResponse {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Reads one Content-Length-framed response; `buffer` keeps what follows it.
async fn read_response<S: AsyncReadExt + Unpin>(
    stream: &mut S,
    buffer: &mut Vec<u8>,
) -> RawResponse {
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed before a response head");
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buffer[..head_end].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap().to_owned();
    let headers: Vec<(String, String)> = lines
        .map(|line| {
            let (name, value) = line.split_once(':').unwrap();
            (name.trim().to_owned(), value.trim().to_owned())
        })
        .collect();
    buffer.drain(..head_end + 4);
    let length: usize = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .map_or(0, |(_, value)| value.parse().unwrap());
    while buffer.len() < length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed inside a response body");
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = buffer.drain(..length).collect();
    RawResponse {
        status_line,
        headers,
        body,
    }
}

/// Writes `bytes` and flushes them: a TLS stream may hold written bytes back until flushed.
async fn send<S: AsyncWriteExt + Unpin>(stream: &mut S, bytes: &[u8]) {
    stream.write_all(bytes).await.unwrap();
    stream.flush().await.unwrap();
}

fn post(path: &str, body: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

#[tokio::test]
async fn server_header_follows_the_version() {
    let [major, minor, patch] = crate::node::VERSION;
    assert_eq!(
        SERVER_HEADER,
        format!("Oxen Storage Server/{major}.{minor}.{patch}")
    );
}

#[tokio::test]
async fn http_behaviour_vectors() {
    let vectors = VectorFile::load("storage-server/http_behaviour.json");
    let net = net().await;
    let port = net.node(0).https_port();
    let http = client();
    let mut ran = 0;

    // POST /ping_test/v1: 200, empty, the legacy key, on a connection that stays open.
    let mut tls = raw_tls(port).await;
    send(&mut tls, post("/ping_test/v1", "").as_bytes()).await;
    let mut buffer = Vec::new();
    let ping = read_response(&mut tls, &mut buffer).await;
    assert_eq!(ping.status_line, "HTTP/1.1 200 OK");
    assert_eq!(ping.header("Server"), Some("Oxen Storage Server/2.8.0"));
    assert_eq!(ping.header("Content-Type"), Some("text/plain"));
    let key = base64::engine::general_purpose::STANDARD.encode(net.node(0).legacy_pubkey());
    assert_eq!(ping.header("X-Oxen-Snode-Pubkey"), Some(key.as_str()));
    assert!(ping.body.is_empty());
    assert_ne!(ping.header("Connection"), Some("close"));
    // Still open: a second request on it is answered.
    send(&mut tls, post("/ping_test/v1", "").as_bytes()).await;
    assert_eq!(
        read_response(&mut tls, &mut buffer).await.status_line,
        "HTTP/1.1 200 OK"
    );
    ran += 1;

    // GET /get_stats/v1
    let stats = http.get(net.url(0, "/get_stats/v1")).send().await.unwrap();
    assert_eq!(stats.status(), 200);
    assert_eq!(stats.headers()["content-type"], "application/json");
    assert_eq!(stats.headers()["server"], "Oxen Storage Server/2.8.0");
    let stats: Value = serde_json::from_str(&stats.text().await.unwrap()).unwrap();
    assert_eq!(stats, serde_json::json!({"version": "2.8.0"}));
    ran += 1;

    // GET /nope (status line checked raw)
    send(&mut tls, b"GET /nope HTTP/1.1\r\nHost: localhost\r\n\r\n").await;
    let nope = read_response(&mut tls, &mut buffer).await;
    assert_eq!(nope.status_line, "HTTP/1.1 404 Not Found");
    assert_eq!(nope.header("Content-Type"), Some("text/plain"));
    assert_eq!(nope.header("Server"), Some("Oxen Storage Server/2.8.0"));
    assert_eq!(nope.body, b"GET /nope Not Found");
    ran += 1;

    // GET /storage_rpc/v1: the right path with the wrong method.
    let wrong = http
        .get(net.url(0, "/storage_rpc/v1"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 404);
    assert_eq!(wrong.text().await.unwrap(), "GET /storage_rpc/v1 Not Found");
    ran += 1;

    // POST /storage_rpc/v1 info: whatever the RPC engine answers, with its content type;
    // once the engine answers info, the vector's keys.
    let direct = crate::rpc::handle_request(&net.network, net.node(0), INFO.as_bytes()).await;
    let info = http
        .post(net.url(0, "/storage_rpc/v1"))
        .body(INFO)
        .send()
        .await
        .unwrap();
    assert_eq!(info.status().as_u16(), direct.status);
    assert_eq!(info.headers()["content-type"], direct.content_type());
    assert_eq!(info.headers()["server"], "Oxen Storage Server/2.8.0");
    let info_body = info.text().await.unwrap();
    if direct.status == 200 {
        let json: Value = serde_json::from_str(&info_body).unwrap();
        assert!(json.get("version").is_some());
    }
    ran += 1;

    // X-Loki-Long-Poll
    let long_poll = http
        .post(net.url(0, "/storage_rpc/v1"))
        .header("X-Loki-Long-Poll", "1")
        .body(INFO)
        .send()
        .await
        .unwrap();
    assert_eq!(long_poll.status(), 410);
    assert_eq!(long_poll.headers()["content-type"], "text/plain");
    assert_eq!(
        long_poll.text().await.unwrap(),
        "long polling is no longer supported, client upgrade required"
    );
    ran += 1;

    // Not an onion.
    let onion = http
        .post(net.url(0, "/onion_req/v2"))
        .body("this is not an onion request")
        .send()
        .await
        .unwrap();
    assert_eq!(onion.status(), 400);
    let text = onion.text().await.unwrap();
    assert!(text.starts_with("Error parsing onion request"), "{text}");
    ran += 1;

    // A chunked body of MAX + 1 bytes.
    let too_large = chunked_post(port, "/onion_req/v2", MAX_BODY_SIZE + 1).await;
    assert_eq!(too_large.status_line, "HTTP/1.1 413 Payload Too Large");
    assert_eq!(too_large.body, b"Request body too large");
    assert_eq!(
        too_large.header("Server"),
        Some("Oxen Storage Server/2.8.0")
    );
    ran += 1;

    // Three info requests on one keep-alive session.
    let mut tls = raw_tls(port).await;
    let mut buffer = Vec::new();
    for _ in 0..3 {
        send(&mut tls, post("/storage_rpc/v1", INFO).as_bytes()).await;
        let answer = read_response(&mut tls, &mut buffer).await;
        assert!(
            answer
                .status_line
                .starts_with(&format!("HTTP/1.1 {}", direct.status))
        );
        assert_ne!(answer.header("Connection"), Some("close"));
    }
    ran += 1;

    // Rendering: compact JSON.
    let rendered = json_reply(200, &serde_json::json!({"expiries": {}}));
    assert_eq!(rendered.body().as_ref(), b"{\"expiries\":{}}");
    ran += 1;

    assert_eq!(ran, vectors.cases().len());
    vectors.report("HTTPS listener behaviours", ran);
}

/// Sends a chunked POST of `len` bytes and reads the answer, both at once (the server may
/// answer before the upload ends). Both halves are driven from this one task: a TLS stream's
/// read may write pending records, and split across two tasks that write's wake-up can
/// replace the writer's and leave the upload stalled for good.
async fn chunked_post(port: u16, path: &str, len: usize) -> RawResponse {
    let tls = raw_tls(port).await;
    let (mut read, mut write) = tokio::io::split(tls);
    let head =
        format!("POST {path} HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n");
    let upload = async move {
        write.write_all(head.as_bytes()).await?;
        let chunk = vec![b'a'; 64 * 1024];
        let mut left = len;
        while left > 0 {
            let n = left.min(chunk.len());
            write.write_all(format!("{n:x}\r\n").as_bytes()).await?;
            write.write_all(&chunk[..n]).await?;
            write.write_all(b"\r\n").await?;
            left -= n;
        }
        write.write_all(b"0\r\n\r\n").await?;
        // tokio-rustls may keep the last records buffered until flushed; unflushed, the
        // server would wait for the final chunk forever.
        write.flush().await?;
        Ok::<_, std::io::Error>(write)
    };
    let mut buffer = Vec::new();
    // The upload may be cut off by the server closing; either outcome is fine.
    let (_, response) = tokio::join!(upload, read_response(&mut read, &mut buffer));
    response
}

#[tokio::test]
async fn announced_length_over_the_limit_is_refused_unread() {
    let net = net().await;
    let mut tls = raw_tls(net.node(0).https_port()).await;
    let head = format!(
        "POST /storage_rpc/v1 HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\n\r\n",
        MAX_BODY_SIZE + 1
    );
    send(&mut tls, head.as_bytes()).await;
    let mut buffer = Vec::new();
    let answer = read_response(&mut tls, &mut buffer).await;
    assert_eq!(answer.status_line, "HTTP/1.1 413 Payload Too Large");
    assert_eq!(answer.body, b"Request body too large");
    assert_eq!(answer.header("Connection"), Some("close"));

    // Exactly the limit is read (and handed to the onion handler, which refuses it).
    let exact = chunked_post(net.node(0).https_port(), "/onion_req/v2", MAX_BODY_SIZE).await;
    assert!(
        exact.status_line.starts_with("HTTP/1.1 400"),
        "{}",
        exact.status_line
    );
}

#[tokio::test]
async fn unknown_routes_are_answered_before_the_body() {
    let net = net().await;
    let mut tls = raw_tls(net.node(0).https_port()).await;
    // A huge announced body on an unknown route: 404, as the server routes first.
    send(
        &mut tls,
        b"POST /nope?x=1 HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999999999\r\n\r\n",
    )
    .await;
    let mut buffer = Vec::new();
    let answer = read_response(&mut tls, &mut buffer).await;
    assert_eq!(answer.status_line, "HTTP/1.1 404 Not Found");
    assert_eq!(answer.body, b"POST /nope Not Found");
}

#[tokio::test]
async fn storage_rpc_is_rate_limited_per_ip_and_onions_are_not() {
    let net = net().await;
    let port = net.node(0).https_port();
    let mut tls = raw_tls(port).await;
    let mut buffer = Vec::new();
    // The long-poll header makes each request cheap (410) until the limiter steps in,
    // which it checks first. Requests come far faster than the 300/s refill.
    let request = "POST /storage_rpc/v1 HTTP/1.1\r\nHost: localhost\r\nX-Loki-Long-Poll: 1\r\nContent-Length: 0\r\n\r\n";
    let mut limited = None;
    for sent in 0..20_000 {
        send(&mut tls, request.as_bytes()).await;
        let answer = read_response(&mut tls, &mut buffer).await;
        if answer.status_line.starts_with("HTTP/1.1 429") {
            limited = Some((sent, answer));
            break;
        }
        assert!(answer.status_line.starts_with("HTTP/1.1 410"));
    }
    let (sent, answer) = limited.expect("never rate limited");
    assert!(sent >= BUCKET_SIZE as usize, "limited after {sent}");
    assert_eq!(answer.status_line, "HTTP/1.1 429 Too Many Requests");
    assert_eq!(answer.body, b"Too Many Requests\n");
    assert_eq!(answer.header("Content-Type"), Some("text/plain"));
    assert_eq!(answer.header("Server"), Some("Oxen Storage Server/2.8.0"));

    // Onion requests from the same IP are still served.
    send(&mut tls, post("/onion_req/v2", "x").as_bytes()).await;
    let onion = read_response(&mut tls, &mut buffer).await;
    assert!(onion.status_line.starts_with("HTTP/1.1 400"));
    assert!(onion.body.starts_with(b"Error parsing onion request"));
}

#[tokio::test]
async fn faults_drop_and_delay_requests() {
    let net = net().await;
    let http = client();
    net.node(0).faults().set_drop(1.0);
    let dropped = http.get(net.url(0, "/get_stats/v1")).send().await;
    assert!(dropped.is_err(), "a dropped request got an answer");

    net.node(0).faults().clear();
    net.node(0)
        .faults()
        .set_delay(1.0, Duration::from_millis(300));
    let started = Instant::now();
    let delayed = http.get(net.url(0, "/get_stats/v1")).send().await.unwrap();
    assert_eq!(delayed.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn stopping_closes_the_listener_and_open_connections() {
    let mut net = net().await;
    let port = net.node(0).https_port();
    let mut tls = raw_tls(port).await;
    let mut buffer = Vec::new();
    send(&mut tls, post("/ping_test/v1", "").as_bytes()).await;
    assert_eq!(
        read_response(&mut tls, &mut buffer).await.status_line,
        "HTTP/1.1 200 OK"
    );

    net.stop(0).await;
    // The open connection is closed...
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(5), tls.read_to_end(&mut rest)).await;
    assert!(
        matches!(closed, Ok(Ok(0)) | Ok(Err(_))),
        "connection still open"
    );
    // ...and no new one is accepted.
    assert!(TcpStream::connect(("127.0.0.1", port)).await.is_err());
    // The port can be bound again at once.
    let again = tokio::net::TcpListener::bind(("127.0.0.1", port)).await;
    assert!(again.is_ok());
}

#[tokio::test]
async fn plain_http_handlers_plug_in() {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let handler = Arc::new(|request: hyper::Request<bytes::Bytes>, _peer| async move {
        Some(hyper::Response::new(bytes::Bytes::from(format!(
            "{} bytes",
            request.body().len()
        ))))
    });
    let url = format!("http://{}/anything", listener.local_addr().unwrap());
    let task = serve(listener, None, handler);
    let answer = client().post(url).body("hello").send().await.unwrap();
    assert_eq!(answer.text().await.unwrap(), "5 bytes");
    task.stop().await;
}

// ---- rate_limiter.json ----

fn ip(n: u32) -> Ipv4Addr {
    Ipv4Addr::from(n)
}

#[test]
fn rate_limiter_vectors() {
    let vectors = VectorFile::load("storage-server/rate_limiter.json");
    let period = Duration::from_micros(1_000_000 / u64::from(TOKEN_RATE));
    let now = Instant::now();
    let client = ip(u32::from(Ipv4Addr::new(10, 1, 1, 13)));
    let mut ran = 0;

    // 600 at one instant allowed, the 601st limited.
    let limiter = RateLimiter::new();
    for _ in 0..BUCKET_SIZE {
        assert!(!limiter.should_rate_limit_client(client, now));
    }
    assert!(limiter.should_rate_limit_client(client, now));
    ran += 1;

    // One token back after one period.
    assert!(!limiter.should_rate_limit_client(client, now + period));
    ran += 1;

    // A different IP while this one is exhausted.
    assert!(limiter.should_rate_limit_client(client, now + period));
    assert!(!limiter.should_rate_limit_client(Ipv4Addr::new(10, 1, 1, 10), now + period));
    let different_ip = 1;

    // 6000 requests at the refill rate: none limited.
    let limiter = RateLimiter::new();
    for i in 0..6000u64 {
        let at = now + Duration::from_micros(i * 1_000_000 / u64::from(TOKEN_RATE));
        assert!(!limiter.should_rate_limit_client(client, at), "request {i}");
    }
    ran += 1 + different_ip;

    // 10000 clients fill the table; the next is limited, then allowed once buckets refill.
    let limiter = RateLimiter::new();
    let first = u32::from(Ipv4Addr::new(10, 0, 0, 1));
    for i in 0..MAX_CLIENTS as u32 {
        assert!(!limiter.should_rate_limit_client(ip(first + i), now));
    }
    let overflow = ip(first + MAX_CLIENTS as u32);
    assert!(limiter.should_rate_limit_client(overflow, now));
    ran += 1;
    assert!(!limiter.should_rate_limit_client(overflow, now + period));
    ran += 1;

    // The snode-keyed buckets: same shape, faster refill.
    let mut snodes = TokenBuckets::new(TOKEN_RATE_SN, usize::MAX);
    let key: [u8; 32] =
        hex::decode("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abc000")
            .unwrap()
            .try_into()
            .unwrap();
    for _ in 0..BUCKET_SIZE {
        assert!(!snodes.should_limit(key, now));
    }
    assert!(snodes.should_limit(key, now));
    assert!(!snodes.should_limit(key, now + period));
    ran += 1;

    assert_eq!(ran, vectors.cases().len());
    vectors.report("rate limiter cases", ran);
}

#[test]
fn partial_periods_are_lost_when_a_token_is_taken() {
    let mut buckets = TokenBuckets::new(TOKEN_RATE, 10);
    let now = Instant::now();
    for _ in 0..BUCKET_SIZE {
        assert!(!buckets.should_limit(1u8, now));
    }
    // 1.5 periods later: one token; the half period is gone with it.
    let half = Duration::from_micros(3333 / 2);
    let period = Duration::from_micros(3333);
    assert!(!buckets.should_limit(1u8, now + period + half));
    assert!(buckets.should_limit(1u8, now + period + half + half));
}
