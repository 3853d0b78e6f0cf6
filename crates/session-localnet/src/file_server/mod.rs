//! A file server like Session's (filev2): uploads named by a hash of their bytes, kept for
//! three weeks (less with `X-FS-TTL`), served over plain HTTP and through v4 onions.
//!
//! Routes, as the real server answers them:
//!
//! | Request | Answer |
//! |---|---|
//! | `POST /file` (raw body, 1..=10 MB) | `{"id": "<44 chars>", "expires": <s, float>}`; 413 `{"status_code": 413}` if empty or too big |
//! | `GET /file/<id>` | the bytes, `application/octet-stream`, `Expires: <HTTP date>`; 404 `{"status_code": 404}` |
//! | `GET /file/<id>/info` | `{"size", "uploaded", "expires"}`; 404 |
//! | `POST /file/<id>/extend` | `{"expires", "uploaded", "size"}` (expiry only moves later); 404 |
//! | `GET /session_version?platform=desktop\|android\|ios` | `{"status_code": 200, "updated", "result"}`; 404 for another platform |
//! | `POST /oxen/v4/lsrpc` | any of the above inside a v4 onion, sealed, HTTP 200 |
//!
//! Transport-independent: [`FileServer::handle`] takes and returns whole hyper messages, and
//! the lead's `http::serve` puts it on a socket. The clock is injected so tests can expire
//! files; [`FileServer::sweep`] deletes expired files (expired ones already answer 404).

mod http_date;
mod id;
mod listener;
mod onion;
mod py_json;
mod reply;
mod routes;
mod store;

#[cfg(test)]
mod tests;

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use bytes::Bytes;
use hyper::{Method, Request, Response};
use session_crypto::Ed25519Seed;
use session_identity::Keypair;

use reply::Reply;
use store::FileStore;

/// A clock in milliseconds since the Unix epoch.
pub(crate) type NowMs = Arc<dyn Fn() -> u64 + Send + Sync>;

/// The file server: its keys, its files and its clock.
pub(crate) struct FileServer {
    keypair: Keypair,
    store: FileStore,
    now_ms: NowMs,
}

impl fmt::Debug for FileServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileServer")
            .field("x25519_public", &hex::encode(self.keypair.x25519_public()))
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

impl FileServer {
    /// A server with the keys of `seed` whose files live in memory only.
    pub(crate) fn new(seed: &Ed25519Seed, now_ms: NowMs) -> Self {
        Self {
            keypair: Keypair::from_ed25519_seed(seed),
            store: FileStore::in_memory(),
            now_ms,
        }
    }

    /// A server whose files are also written to `dir`, starting with those already there
    /// (so a restarted server keeps serving what it had).
    ///
    /// # Errors
    /// When `dir` cannot be created or read.
    pub(crate) fn persistent(
        seed: &Ed25519Seed,
        dir: &Path,
        now_ms: NowMs,
    ) -> std::io::Result<Self> {
        Ok(Self {
            keypair: Keypair::from_ed25519_seed(seed),
            store: FileStore::open(dir)?,
            now_ms,
        })
    }

    /// The X25519 key clients seal onions to (the real one is pinned in clients).
    pub(crate) fn x25519_public(&self) -> [u8; 32] {
        *self.keypair.x25519_public()
    }

    /// The server's Ed25519 key.
    pub(crate) fn ed25519_public(&self) -> [u8; 32] {
        *self.keypair.ed25519_public()
    }

    /// How many files are held, expired-but-unswept ones included.
    pub(crate) fn file_count(&self) -> usize {
        self.store.len()
    }

    /// Deletes the files expired at `now_ms`; returns how many. A file that cannot be
    /// removed from the directory is logged and retried on the next sweep.
    pub(crate) fn sweep(&self, now_ms: u64) -> usize {
        self.store.sweep(now_ms).unwrap_or_else(|error| {
            tracing::warn!(%error, "file server sweep failed");
            0
        })
    }

    /// Answers one HTTP request (plain, or an onion posted to `/oxen/v4/lsrpc`).
    pub(crate) async fn handle(&self, request: Request<Bytes>) -> Response<Bytes> {
        self.respond(&request).into_http()
    }

    fn respond(&self, request: &Request<Bytes>) -> Reply {
        if request.uri().path() != onion::V4_PATH {
            return routes::route(&self.store, (self.now_ms)(), request);
        }
        if request.method() != Method::POST {
            return Reply::error_page(405);
        }
        match onion::open(self.keypair.x25519_secret(), request.body()) {
            Err(plain) => plain,
            Ok(opened) => {
                let inner = opened
                    .request
                    .as_ref()
                    .map_or_else(onion::invalid_request, |inner| {
                        routes::route(&self.store, (self.now_ms)(), inner)
                    });
                onion::seal(&opened.key, inner)
            }
        }
    }
}
