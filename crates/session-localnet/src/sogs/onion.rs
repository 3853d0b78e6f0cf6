//! The SOGS end of a v4 onion (`POST /oxen/v4/lsrpc`): open the layer sealed to the server,
//! turn the inner request into a [`SogsRequest`], and seal the answer.
//!
//! As pysogs: a body that does not open is a plain 400 error page; one that opens but is not
//! a valid v4 request gets a sealed answer with code 400 and `Invalid v4 onion request`. The
//! endpoint may carry raw UTF-8 (it never went through an HTTP request line), so this does
//! not go through hyper's URI parser as the file server's onion end does.

use bytes::Bytes;
use rand_core::UnwrapErr;
use session_crypto::X25519Secret;
use session_onion::node::peel;
use session_onion::{ChannelKey, ServerRequest};

use super::json::py_string;
use super::reply::Reply;
use super::request::SogsRequest;

/// The path onions are posted to.
pub(crate) const V4_PATH: &str = "/oxen/v4/lsrpc";

/// Opens `body`: the answer key and the inner request (`None` when not valid v4); `Err` is
/// the answer for a body that does not open.
pub(crate) fn open(
    secret: &X25519Secret,
    body: &[u8],
) -> Result<(ChannelKey, Option<SogsRequest>), Reply> {
    let layer = peel(secret, body).map_err(|_| Reply::error_page(400))?;
    let request = ServerRequest::decode(layer.plaintext())
        .ok()
        .and_then(to_request);
    Ok((layer.reply_key().clone(), request))
}

fn to_request(request: ServerRequest) -> Option<SogsRequest> {
    if !request.endpoint.starts_with('/') {
        return None;
    }
    // pysogs' v4 handler does not insist on a body for POST/PUT (its docstring does): an
    // absent one is empty.
    let method = request.method.to_ascii_uppercase();
    let headers = request.headers.into_iter().collect();
    Some(SogsRequest::new(
        &method,
        &request.endpoint,
        headers,
        Bytes::from(request.body.unwrap_or_default()),
    ))
}

/// The sealed answer to an opened request that is not valid v4.
pub(crate) fn invalid_request() -> Reply {
    Reply::text(400, "Invalid v4 onion request")
}

/// The v4 response plaintext exactly as pysogs writes it: `l<n>:<meta><m>:<body>e` with
/// the metadata from Python's default `json.dumps` (`", "` and `": "` separators, keys in
/// insertion order: `code`, then `headers` lower-cased in response order, without
/// `content-length`).
pub(crate) fn v4_plaintext(reply: &Reply) -> Vec<u8> {
    let mut headers: Vec<(String, String)> = Vec::new();
    for (name, value) in &reply.headers {
        let name = name.to_ascii_lowercase();
        if name == "content-length" {
            continue;
        }
        // A Python dict: a repeated name keeps its first place and its last value.
        match headers.iter_mut().find(|(known, _)| *known == name) {
            Some(slot) => slot.1.clone_from(value),
            None => headers.push((name, value.clone())),
        }
    }
    let headers: Vec<String> = headers
        .iter()
        .map(|(name, value)| format!("{}: {}", py_string(name), py_string(value)))
        .collect();
    let meta = format!(
        "{{\"code\": {}, \"headers\": {{{}}}}}",
        reply.status,
        headers.join(", ")
    );
    let mut out = Vec::with_capacity(meta.len() + reply.body.len() + 16);
    out.push(b'l');
    out.extend_from_slice(format!("{}:", meta.len()).as_bytes());
    out.extend_from_slice(meta.as_bytes());
    out.extend_from_slice(format!("{}:", reply.body.len()).as_bytes());
    out.extend_from_slice(&reply.body);
    out.push(b'e');
    out
}

/// `inner` sealed with `key`, sent as HTTP 200 whatever the inner status (raw bytes from a
/// Flask view, so labelled HTML).
pub(crate) fn seal(key: &ChannelKey, inner: &Reply) -> Reply {
    let mut rng = UnwrapErr(getrandom::SysRng);
    match key.encrypt(&mut rng, &v4_plaintext(inner)) {
        Ok(sealed) => Reply::raw(200, sealed),
        Err(error) => {
            tracing::warn!(%error, "SOGS double could not seal an onion answer");
            Reply::error_page(500)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v4_answers_are_framed_as_pysogs_frames_them() {
        let reply = Reply::with_type(200, "application/json", &b"{\"id\": 123}"[..])
            .with_header("Content-Length", "11");
        assert_eq!(
            v4_plaintext(&reply),
            br#"l62:{"code": 200, "headers": {"content-type": "application/json"}}11:{"id": 123}e"#
        );
    }
}
