//! The file server as clients see it: each route directly over HTTP, and through a v4 onion
//! built the way a client builds one and forwarded the way a final node forwards it.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use hyper::{Request, Response};
use rand_chacha::ChaCha20Rng;
use session_crypto::{Ed25519Seed, X25519Secret};
use session_onion::node::{Next, peel};
use session_onion::rand_core::SeedableRng;
use session_onion::response::open_server_response;
use session_onion::{Builder, Hop, Scheme, ServerDestination, ServerRequest, ServerResponse};

use super::FileServer;
use super::id::file_id;
use super::routes::{MAX_FILE_SIZE, MAX_TTL_MS};

/// 2023-11-14T22:13:20Z.
const START_MS: u64 = 1_700_000_000_000;

struct Harness {
    server: FileServer,
    clock: Arc<AtomicU64>,
}

impl Harness {
    fn new() -> Self {
        let clock = Arc::new(AtomicU64::new(START_MS));
        let now = clock.clone();
        let server = FileServer::new(
            &Ed25519Seed::from_bytes([9; 32]),
            Arc::new(move || now.load(Ordering::Relaxed)),
        );
        Self { server, clock }
    }

    fn persistent(dir: &std::path::Path, clock: &Arc<AtomicU64>) -> Self {
        let now = clock.clone();
        let server = FileServer::persistent(
            &Ed25519Seed::from_bytes([9; 32]),
            dir,
            Arc::new(move || now.load(Ordering::Relaxed)),
        )
        .unwrap();
        Self {
            server,
            clock: clock.clone(),
        }
    }

    fn advance(&self, ms: u64) {
        self.clock.fetch_add(ms, Ordering::Relaxed);
    }

    async fn send(&self, request: Request<Bytes>) -> Response<Bytes> {
        self.server.handle(request).await
    }

    async fn upload(&self, data: &[u8], ttl: Option<&str>) -> Response<Bytes> {
        let mut builder = Request::post("/file").header("Content-Type", "application/octet-stream");
        if let Some(ttl) = ttl {
            builder = builder.header("X-FS-TTL", ttl);
        }
        self.send(builder.body(Bytes::copy_from_slice(data)).unwrap())
            .await
    }

    async fn get(&self, path: &str) -> Response<Bytes> {
        self.send(Request::get(path).body(Bytes::new()).unwrap())
            .await
    }

    async fn extend(&self, id: &str, ttl: Option<&str>) -> Response<Bytes> {
        let mut builder = Request::post(format!("/file/{id}/extend"));
        if let Some(ttl) = ttl {
            builder = builder.header("X-FS-TTL", ttl);
        }
        self.send(builder.body(Bytes::new()).unwrap()).await
    }

    /// Sends `request` through a one-hop onion: built by a client, peeled by the guard
    /// (which is the final hop here), posted to the server, answer opened by the client.
    async fn through_onion(&self, request: &ServerRequest) -> ServerResponse {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let guard_secret = X25519Secret::from_bytes([3; 32]);
        let guard = [Hop::new([0xed; 32], guard_secret.public_key())];
        let destination =
            ServerDestination::new(Scheme::Http, "127.0.0.1", 8080, self.server.x25519_public());
        let onion = Builder::new(&guard)
            .to_server(&destination, request, &mut rng)
            .unwrap();
        let layer = peel(&guard_secret, onion.body()).unwrap();
        let Next::Server {
            target, payload, ..
        } = layer.next().unwrap()
        else {
            panic!("the guard's layer should forward to a server");
        };
        let answer = self
            .send(Request::post(target).body(Bytes::from(payload)).unwrap())
            .await;
        assert_eq!(answer.status(), 200, "v4 answers travel as HTTP 200");
        open_server_response(onion.response_key(), answer.body()).unwrap()
    }
}

fn text(response: &Response<Bytes>) -> &str {
    std::str::from_utf8(response.body()).unwrap()
}

fn header<'a>(response: &'a Response<Bytes>, name: &str) -> &'a str {
    response.headers().get(name).unwrap().to_str().unwrap()
}

fn json(response: &Response<Bytes>) -> serde_json::Value {
    serde_json::from_slice(response.body()).unwrap()
}

#[tokio::test]
async fn upload_then_download() {
    let fs = Harness::new();
    let uploaded = fs.upload(b"attachment bytes", None).await;
    assert_eq!(uploaded.status(), 200);
    assert_eq!(header(&uploaded, "content-type"), "application/json");
    let id = file_id(b"attachment bytes");
    assert_eq!(
        text(&uploaded),
        format!(r#"{{"id": "{id}", "expires": 1701814400.0}}"#)
    );

    let downloaded = fs.get(&format!("/file/{id}")).await;
    assert_eq!(downloaded.status(), 200);
    assert_eq!(downloaded.body().as_ref(), b"attachment bytes");
    assert_eq!(
        header(&downloaded, "content-type"),
        "application/octet-stream"
    );
    assert_eq!(
        header(&downloaded, "expires"),
        "Tue, 05 Dec 2023 22:13:20 GMT"
    );

    let info = fs.get(&format!("/file/{id}/info")).await;
    assert_eq!(
        text(&info),
        r#"{"size": 16, "uploaded": 1700000000.0, "expires": 1701814400.0}"#
    );
}

#[tokio::test]
async fn size_limits_answer_413() {
    let fs = Harness::new();
    let empty = fs.upload(b"", None).await;
    assert_eq!(empty.status(), 413);
    assert_eq!(text(&empty), r#"{"status_code": 413}"#);
    let too_big = fs.upload(&vec![1u8; MAX_FILE_SIZE + 1], None).await;
    assert_eq!(too_big.status(), 413);
    let largest = fs.upload(&vec![1u8; MAX_FILE_SIZE], None).await;
    assert_eq!(largest.status(), 200);
    assert_eq!(fs.server.file_count(), 1);
}

#[tokio::test]
async fn unknown_files_answer_404() {
    let fs = Harness::new();
    for path in ["/file/nope", "/file/nope/info"] {
        let missing = fs.get(path).await;
        assert_eq!(missing.status(), 404, "{path}");
        assert_eq!(text(&missing), r#"{"status_code": 404}"#);
    }
    let extend = fs.extend("nope", None).await;
    assert_eq!(extend.status(), 404);
}

#[tokio::test]
async fn unknown_routes_and_methods_get_flask_pages() {
    let fs = Harness::new();
    let unknown = fs.get("/nothing/here").await;
    assert_eq!(unknown.status(), 404);
    assert!(text(&unknown).contains("<title>404 Not Found</title>"));
    let wrong_method = fs.get("/file").await;
    assert_eq!(wrong_method.status(), 405);
    let wrong_method = fs
        .send(Request::delete("/file/x").body(Bytes::new()).unwrap())
        .await;
    assert_eq!(wrong_method.status(), 405);
    let onion_get = fs.get("/oxen/v4/lsrpc").await;
    assert_eq!(onion_get.status(), 405);
}

#[tokio::test]
async fn reupload_keeps_the_id_and_restarts_the_clock() {
    let fs = Harness::new();
    let first = json(&fs.upload(b"same", None).await);
    fs.advance(60_000);
    let second = json(&fs.upload(b"same", Some("3600")).await);
    assert_eq!(first["id"], second["id"]);
    // As the real server's de-duplication: uploaded and expiry both start again from now.
    assert_eq!(second["expires"], 1_700_003_660.0);
    let info = json(&fs.get(&format!("/file/{}/info", file_id(b"same"))).await);
    assert_eq!(info["uploaded"], 1_700_000_060.0);
    assert_eq!(fs.server.file_count(), 1);
}

#[tokio::test]
async fn ttl_header_is_clamped_and_validated() {
    let fs = Harness::new();
    let short = json(&fs.upload(b"a", Some("30")).await);
    assert_eq!(short["expires"], 1_700_000_030.0);
    let long = json(&fs.upload(b"b", Some("99999999")).await);
    assert_eq!(long["expires"], (START_MS + MAX_TTL_MS) as f64 / 1000.0);
    let zero = json(&fs.upload(b"c", Some("0")).await);
    assert_eq!(zero["expires"], 1_700_000_001.0);
    let bad = fs.upload(b"d", Some("soon")).await;
    assert_eq!(bad.status(), 400);
    assert_eq!(text(&bad), r#"{"status_code": 400}"#);
    assert_eq!(fs.server.file_count(), 3);
}

#[tokio::test]
async fn expired_files_answer_404_and_are_swept() {
    let fs = Harness::new();
    let id = json(&fs.upload(b"brief", Some("10")).await)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    fs.upload(b"lasting", None).await;
    fs.advance(9_999);
    assert_eq!(fs.get(&format!("/file/{id}")).await.status(), 200);
    fs.advance(1);
    assert_eq!(fs.get(&format!("/file/{id}")).await.status(), 404);
    assert_eq!(fs.get(&format!("/file/{id}/info")).await.status(), 404);
    assert_eq!(fs.extend(&id, None).await.status(), 404);
    assert_eq!(fs.server.file_count(), 2, "expired but not yet swept");
    assert_eq!(fs.server.sweep(START_MS + 10_000), 1);
    assert_eq!(fs.server.file_count(), 1);
    // An expired id uploaded again is a new file.
    assert_eq!(fs.upload(b"brief", None).await.status(), 200);
    assert_eq!(fs.get(&format!("/file/{id}")).await.status(), 200);
}

#[tokio::test]
async fn extend_only_moves_expiry_later() {
    let fs = Harness::new();
    let id = json(&fs.upload(b"keep me", Some("60")).await)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    fs.advance(30_000);
    let extended = fs.extend(&id, None).await;
    assert_eq!(extended.status(), 200);
    assert_eq!(
        text(&extended),
        r#"{"expires": 1701814430.0, "uploaded": 1700000000.0, "size": 7}"#
    );
    let shorter = json(&fs.extend(&id, Some("10")).await);
    assert_eq!(shorter["expires"], 1_701_814_430.0);
    assert_eq!(fs.extend(&id, Some("x")).await.status(), 400);
}

#[tokio::test]
async fn session_version_checks_the_platform() {
    let fs = Harness::new();
    let version = fs
        .get("/session_version?platform=desktop&release_channel=stable")
        .await;
    assert_eq!(version.status(), 200);
    let body = json(&version);
    assert_eq!(body["status_code"], 200);
    assert!(body["result"].is_string());
    assert_eq!(fs.get("/session_version?platform=beos").await.status(), 404);
    assert_eq!(fs.get("/session_version").await.status(), 404);
}

#[tokio::test]
async fn onion_round_trip_uploads_and_downloads() {
    let fs = Harness::new();
    let upload = ServerRequest::new("POST", "/file")
        .with_header("Content-Type", "application/octet-stream")
        .with_header("Content-Disposition", "attachment")
        .with_body(&b"via the onion"[..]);
    let answer = fs.through_onion(&upload).await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.headers.get("content-type").map(String::as_str),
        Some("application/json")
    );
    assert!(!answer.headers.contains_key("content-length"));
    let id = file_id(b"via the onion");
    assert_eq!(
        answer.body,
        format!(r#"{{"id": "{id}", "expires": 1701814400.0}}"#).into_bytes()
    );

    let download = fs
        .through_onion(&ServerRequest::new("GET", format!("/file/{id}")))
        .await;
    assert_eq!(download.status, 200);
    assert_eq!(download.body, b"via the onion");
    assert_eq!(
        download.headers.get("expires").map(String::as_str),
        Some("Tue, 05 Dec 2023 22:13:20 GMT")
    );

    // Errors keep their status and body inside the onion.
    let missing = fs
        .through_onion(&ServerRequest::new("GET", "/file/missing"))
        .await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.body, br#"{"status_code": 404}"#);

    let extend =
        ServerRequest::new("POST", format!("/file/{id}/extend")).with_header("X-FS-TTL", "5");
    let extended = fs.through_onion(&extend).await;
    assert_eq!(extended.status, 200);
}

#[tokio::test]
async fn onion_that_opens_but_is_not_v4_gets_a_sealed_400() {
    let fs = Harness::new();
    let answer = fs
        .through_onion(&ServerRequest::new("GET", "file/no-leading-slash"))
        .await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.body, b"Invalid v4 onion request");
    assert_eq!(
        answer.headers.get("content-type").map(String::as_str),
        Some("text/plain; charset=utf-8")
    );
}

#[tokio::test]
async fn onion_that_does_not_open_gets_a_plain_400() {
    let fs = Harness::new();
    let garbage = Request::post("/oxen/v4/lsrpc")
        .body(Bytes::from_static(b"not an onion"))
        .unwrap();
    let answer = fs.send(garbage).await;
    assert_eq!(answer.status(), 400);
    assert!(text(&answer).contains("<title>400 Bad Request</title>"));

    // Sealed to some other key: parses, but does not decrypt.
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let guard_secret = X25519Secret::from_bytes([3; 32]);
    let guard = [Hop::new([0xed; 32], guard_secret.public_key())];
    let wrong_key = X25519Secret::from_bytes([4; 32]).public_key();
    let destination = ServerDestination::new(Scheme::Http, "127.0.0.1", 8080, wrong_key);
    let onion = Builder::new(&guard)
        .to_server(
            &destination,
            &ServerRequest::new("GET", "/file/x"),
            &mut rng,
        )
        .unwrap();
    let Next::Server { payload, .. } = peel(&guard_secret, onion.body()).unwrap().next().unwrap()
    else {
        panic!("expected a server hop");
    };
    let answer = fs
        .send(
            Request::post("/oxen/v4/lsrpc")
                .body(Bytes::from(payload))
                .unwrap(),
        )
        .await;
    assert_eq!(answer.status(), 400);
}

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!(
            "session-localnet-files-{}-{nanos}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test]
async fn persistent_files_survive_a_restart() {
    let dir = TempDir::new();
    let clock = Arc::new(AtomicU64::new(START_MS));
    let id = {
        let fs = Harness::persistent(&dir.0, &clock);
        let id = json(&fs.upload(b"kept on disk", Some("60")).await)["id"]
            .as_str()
            .unwrap()
            .to_owned();
        fs.upload(b"short lived", Some("1")).await;
        fs.extend(&id, Some("120")).await;
        id
    };
    std::fs::write(dir.0.join("not-a-file-id"), b"ignored").unwrap();

    let fs = Harness::persistent(&dir.0, &clock);
    assert_eq!(fs.server.file_count(), 2);
    let downloaded = fs.get(&format!("/file/{id}")).await;
    assert_eq!(downloaded.body().as_ref(), b"kept on disk");
    let info = json(&fs.get(&format!("/file/{id}/info")).await);
    assert_eq!(info["expires"], 1_700_000_120.0);
    assert_eq!(info["uploaded"], 1_700_000_000.0);

    assert_eq!(fs.server.sweep(START_MS + 5_000), 1);
    assert!(!dir.0.join(file_id(b"short lived")).exists());
    assert!(dir.0.join(&id).exists());
    drop(fs);
    assert_eq!(Harness::persistent(&dir.0, &clock).server.file_count(), 1);
}

#[test]
fn debug_shows_no_file_bytes() {
    let fs = Harness::new();
    let shown = format!("{:?}", fs.server);
    assert!(shown.contains("FileServer"));
    assert!(!shown.contains("secret"));
}
