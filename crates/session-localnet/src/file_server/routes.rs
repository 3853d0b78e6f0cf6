//! The file server's HTTP routes, whichever way a request arrived (directly, or unwrapped
//! from an onion): upload, download, info, extend, and the client version check.

use bytes::Bytes;
use hyper::{Method, Request};
use serde::Serialize;

use super::http_date::http_date;
use super::id::file_id;
use super::reply::Reply;
use super::store::{FileStore, StoredFile};

/// The largest upload accepted, bytes (libsession's `max_file_size` for the real servers).
pub(crate) const MAX_FILE_SIZE: usize = 10_000_000;

/// How long a file lives, and the most `X-FS-TTL` may ask for: the real `FILE_EXPIRY` of
/// three weeks.
pub(crate) const MAX_TTL_MS: u64 = 21 * 24 * 60 * 60 * 1000;

/// The header a client sets a shorter TTL with, in seconds.
const TTL_HEADER: &str = "x-fs-ttl";

/// The version `/session_version` reports for every platform.
const REPORTED_VERSION: &str = "1.0.0";

/// Answers `request` from `store` at `now_ms`.
pub(crate) fn route(store: &FileStore, now_ms: u64, request: &Request<Bytes>) -> Reply {
    let path = request.uri().path();
    let segments: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
    let method = request.method();
    match segments.as_slice() {
        ["file"] => only(method, &Method::POST, || upload(store, now_ms, request)),
        ["file", id] if !id.is_empty() => {
            only(method, &Method::GET, || download(store, now_ms, id))
        }
        ["file", id, "info"] if !id.is_empty() => {
            only(method, &Method::GET, || info(store, now_ms, id))
        }
        ["file", id, "extend"] if !id.is_empty() => {
            only(method, &Method::POST, || extend(store, now_ms, id, request))
        }
        ["session_version"] => only(method, &Method::GET, || session_version(now_ms, request)),
        _ => Reply::error_page(404),
    }
}

/// Flask answers a known route with another method 405.
fn only(method: &Method, allowed: &Method, answer: impl FnOnce() -> Reply) -> Reply {
    // Flask serves HEAD wherever it serves GET.
    if method == allowed || (*allowed == Method::GET && method == Method::HEAD) {
        answer()
    } else {
        Reply::error_page(405)
    }
}

/// Seconds since the epoch as the float Python's `datetime.timestamp()` gives.
#[allow(clippy::cast_precision_loss)] // ms timestamps are far below 2^52
fn seconds(ms: u64) -> f64 {
    ms as f64 / 1000.0
}

/// The expiry a request asks for: now plus `X-FS-TTL` seconds clamped to 1 s..=3 weeks,
/// or three weeks without it. `Err` for a header that is not an integer.
fn requested_expiry(request: &Request<Bytes>, now_ms: u64) -> Result<u64, Reply> {
    let ttl_ms = match request.headers().get(TTL_HEADER) {
        None => MAX_TTL_MS,
        Some(value) => {
            let seconds: i64 = value
                .to_str()
                .ok()
                .and_then(|text| text.trim().parse().ok())
                .ok_or_else(|| Reply::error(400))?;
            u64::try_from(seconds.max(1))
                .unwrap_or(1)
                .saturating_mul(1000)
                .min(MAX_TTL_MS)
        }
    };
    Ok(now_ms.saturating_add(ttl_ms))
}

fn upload(store: &FileStore, now_ms: u64, request: &Request<Bytes>) -> Reply {
    let body = request.body();
    if body.is_empty() || body.len() > MAX_FILE_SIZE {
        return Reply::error(413);
    }
    let expiry_ms = match requested_expiry(request, now_ms) {
        Ok(expiry_ms) => expiry_ms,
        Err(reply) => return reply,
    };
    let id = file_id(body);
    match store.put(&id, body.clone(), now_ms, expiry_ms) {
        Ok(file) => {
            #[derive(Serialize)]
            struct Uploaded<'a> {
                id: &'a str,
                expires: f64,
            }
            Reply::json(
                200,
                &Uploaded {
                    id: &id,
                    expires: seconds(file.expiry_ms),
                },
            )
        }
        Err(error) => {
            tracing::warn!(%error, "file server could not store an upload");
            Reply::error(500)
        }
    }
}

fn download(store: &FileStore, now_ms: u64, id: &str) -> Reply {
    match store.get(id, now_ms) {
        Some(file) => Reply::with_type(200, "application/octet-stream", file.data.clone())
            .with_header("Expires", http_date(file.expiry_ms)),
        None => Reply::error(404),
    }
}

/// The `{"size", "uploaded", "expires"}` of `/file/<id>/info`; extend sends the same keys
/// in the order `expires, uploaded, size`.
fn metadata(file: &StoredFile, extend_order: bool) -> Reply {
    #[derive(Serialize)]
    struct Info {
        size: usize,
        uploaded: f64,
        expires: f64,
    }
    #[derive(Serialize)]
    struct Extended {
        expires: f64,
        uploaded: f64,
        size: usize,
    }
    let (size, uploaded, expires) = (
        file.data.len(),
        seconds(file.uploaded_ms),
        seconds(file.expiry_ms),
    );
    if extend_order {
        Reply::json(
            200,
            &Extended {
                expires,
                uploaded,
                size,
            },
        )
    } else {
        Reply::json(
            200,
            &Info {
                size,
                uploaded,
                expires,
            },
        )
    }
}

fn info(store: &FileStore, now_ms: u64, id: &str) -> Reply {
    store
        .get(id, now_ms)
        .map_or_else(|| Reply::error(404), |file| metadata(&file, false))
}

fn extend(store: &FileStore, now_ms: u64, id: &str, request: &Request<Bytes>) -> Reply {
    let expiry_ms = match requested_expiry(request, now_ms) {
        Ok(expiry_ms) => expiry_ms,
        Err(reply) => return reply,
    };
    match store.extend(id, now_ms, expiry_ms) {
        Ok(Some(file)) => metadata(&file, true),
        Ok(None) => Reply::error(404),
        Err(error) => {
            tracing::warn!(%error, "file server could not extend a file");
            Reply::error(500)
        }
    }
}

fn session_version(now_ms: u64, request: &Request<Bytes>) -> Reply {
    let platform = request
        .uri()
        .query()
        .unwrap_or("")
        .split('&')
        .find_map(|pair| {
            let (name, value) = pair.split_once('=')?;
            (name == "platform").then_some(value)
        });
    if !matches!(platform, Some("desktop" | "android" | "ios")) {
        return Reply::error(404);
    }
    #[derive(Serialize)]
    struct Version {
        status_code: u16,
        updated: f64,
        result: &'static str,
    }
    Reply::json(
        200,
        &Version {
            status_code: 200,
            updated: seconds(now_ms),
            result: REPORTED_VERSION,
        },
    )
}
