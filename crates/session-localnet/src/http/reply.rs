//! Building responses the way the storage server renders them: its `Server` header first,
//! then the content type.

use bytes::Bytes;
use hyper::header::{CONTENT_TYPE, HeaderValue, SERVER};
use hyper::{Response, StatusCode};

/// The `Server` header of every node response (`crate::node::VERSION`; a test keeps them
/// in step).
pub(crate) const SERVER_HEADER: &str = "Oxen Storage Server/2.8.0";

/// A response with `status`, `content_type` and `body`. A status hyper cannot represent
/// (outside 100..=999) becomes 500, which is what the real server reports for codes it
/// does not know.
pub(crate) fn reply(
    status: u16,
    content_type: &'static str,
    body: impl Into<Bytes>,
) -> Response<Bytes> {
    let mut response = Response::new(body.into());
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// A `text/plain` response.
pub(crate) fn text_reply(status: u16, body: impl Into<Bytes>) -> Response<Bytes> {
    reply(status, "text/plain", body)
}

/// An `application/json` response, serialised compactly.
pub(crate) fn json_reply(status: u16, body: &serde_json::Value) -> Response<Bytes> {
    reply(status, "application/json", body.to_string())
}

/// Puts the node's `Server` header on `response`, ahead of its other headers.
pub(crate) fn with_server_header(mut response: Response<Bytes>) -> Response<Bytes> {
    let mut headers = hyper::HeaderMap::with_capacity(response.headers().len() + 1);
    headers.insert(SERVER, HeaderValue::from_static(SERVER_HEADER));
    for (name, value) in response.headers().iter() {
        if name != SERVER {
            headers.append(name.clone(), value.clone());
        }
    }
    *response.headers_mut() = headers;
    response
}
