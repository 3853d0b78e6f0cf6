//! The file server's end of a v4 onion (`POST /oxen/v4/lsrpc`): open the layer sealed to
//! the server, turn the inner request into an HTTP one, and seal the answer.
//!
//! Failures follow the real server: a body that does not open is a plain 400 error page
//! (Flask's `abort(400)`); one that opens but is not a valid v4 request gets a sealed v4
//! answer with code 400 and the text `Invalid v4 onion request`.

use bytes::Bytes;
use hyper::Request;
use rand_core::UnwrapErr;
use session_crypto::X25519Secret;
use session_onion::node::{peel, seal_server_response};
use session_onion::{ChannelKey, ServerRequest};

use super::reply::Reply;

/// The path onions are posted to.
pub(crate) const V4_PATH: &str = "/oxen/v4/lsrpc";

/// An opened onion: the key that seals the answer, and the inner request when it is a
/// valid one.
pub(crate) struct Opened {
    /// Seals the answer.
    pub(crate) key: ChannelKey,
    /// The inner request, `None` when it is not a valid v4 request.
    pub(crate) request: Option<Request<Bytes>>,
}

/// Opens `body` with the server's `secret`; `Err` is the answer for a body that does not
/// open.
pub(crate) fn open(secret: &X25519Secret, body: &[u8]) -> Result<Opened, Reply> {
    let layer = peel(secret, body).map_err(|_| Reply::error_page(400))?;
    let request = ServerRequest::decode(layer.plaintext())
        .ok()
        .and_then(to_http);
    Ok(Opened {
        key: layer.reply_key().clone(),
        request,
    })
}

/// The inner request as HTTP; `None` when it cannot be one (the real server also insists
/// on an endpoint starting with `/`).
fn to_http(request: ServerRequest) -> Option<Request<Bytes>> {
    if !request.endpoint.starts_with('/') {
        return None;
    }
    let mut builder = Request::builder()
        .method(request.method.as_str())
        .uri(&request.endpoint);
    for (name, value) in &request.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    builder
        .body(Bytes::from(request.body.unwrap_or_default()))
        .ok()
}

/// The sealed answer to an opened request that is not valid v4.
pub(crate) fn invalid_request() -> Reply {
    Reply::with_type(
        400,
        "text/plain; charset=utf-8",
        &b"Invalid v4 onion request"[..],
    )
}

/// `inner` sealed with `key`, as the HTTP 200 the real server sends whatever the inner
/// status (its raw bytes, which Flask labels as HTML).
pub(crate) fn seal(key: &ChannelKey, inner: Reply) -> Reply {
    let mut rng = UnwrapErr(getrandom::SysRng);
    match seal_server_response(key, &inner.into_v4(), &mut rng) {
        Ok(sealed) => Reply::raw(200, sealed),
        Err(error) => {
            tracing::warn!(%error, "file server could not seal an onion answer");
            Reply::error_page(500)
        }
    }
}
