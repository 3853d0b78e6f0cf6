//! A SOGS answer before it is put on a transport: sent as it is over plain HTTP, wrapped in
//! a v4 response inside an onion, or embedded in a `/batch` result.

use std::collections::BTreeMap;

use bytes::Bytes;
use hyper::Response;
use serde_json::Value;

use super::json::to_flask_json;

/// Flask's `jsonify` content type.
pub(crate) const JSON: &str = "application/json";
/// What pysogs' `abort_with_reason` sends.
const TEXT: &str = "text/plain; charset=utf-8";
/// What Werkzeug labels its error pages (and raw view bytes) with.
const HTML: &str = "text/html; charset=utf-8";

/// A status, headers and body.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Reply {
    /// The HTTP status.
    pub(crate) status: u16,
    /// Header names and values, in the order they are sent.
    pub(crate) headers: Vec<(String, String)>,
    /// The body.
    pub(crate) body: Bytes,
}

impl std::fmt::Debug for Reply {
    // A body may be someone's message or file: its length is enough.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reply")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// A handler's outcome: the answer, or the error answer that aborted it (Flask's `abort`).
pub(crate) type Answer = Result<Reply, Reply>;

impl Reply {
    /// `body` with one content type.
    pub(crate) fn with_type(status: u16, content_type: &str, body: impl Into<Bytes>) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
            body: body.into(),
        }
    }

    /// A JSON body as `jsonify` writes it.
    pub(crate) fn json(status: u16, value: &Value) -> Self {
        Self::with_type(status, JSON, to_flask_json(value))
    }

    /// A 200 JSON body.
    pub(crate) fn ok(value: &Value) -> Self {
        Self::json(200, value)
    }

    /// pysogs' `abort_with_reason`: a text/plain body with the reason.
    pub(crate) fn text(status: u16, reason: impl Into<String>) -> Self {
        Self::with_type(status, TEXT, reason.into())
    }

    /// Raw bytes as a Flask view returns them (Flask labels them as HTML).
    pub(crate) fn raw(status: u16, body: impl Into<Bytes>) -> Self {
        Self::with_type(status, HTML, body)
    }

    /// Werkzeug's error page for `status`, what a bare `abort(status)` sends.
    pub(crate) fn error_page(status: u16) -> Self {
        let (title, text) = match status {
            400 => (
                "Bad Request",
                "The browser (or proxy) sent a request that this server could not understand.",
            ),
            401 => (
                "Unauthorized",
                "The server could not verify that you are authorized to access the URL \
                 requested. You either supplied the wrong credentials (e.g. a bad password), \
                 or your browser doesn&#x27;t understand how to supply the credentials required.",
            ),
            403 => (
                "Forbidden",
                "You don&#x27;t have the permission to access the requested resource. It is \
                 either read-protected or not readable by the server.",
            ),
            404 => (
                "Not Found",
                "The requested URL was not found on the server. If you entered the URL \
                 manually please check your spelling and try again.",
            ),
            405 => (
                "Method Not Allowed",
                "The method is not allowed for the requested URL.",
            ),
            406 => (
                "Not Acceptable",
                "The resource identified by the request is only capable of generating response \
                 entities which have content characteristics not acceptable according to the \
                 accept headers sent in the request.",
            ),
            413 => (
                "Request Entity Too Large",
                "The data value transmitted exceeds the capacity limit.",
            ),
            415 => (
                "Unsupported Media Type",
                "Did not attempt to load JSON data because the request Content-Type was not \
                 &#x27;application/json&#x27;.",
            ),
            429 => (
                "Too Many Requests",
                "This user has exceeded an allotted request count. Try again later.",
            ),
            _ => (
                "Internal Server Error",
                "The server encountered an internal error and was unable to complete your \
                 request. Either the server is overloaded or there is an error in the \
                 application.",
            ),
        };
        let status = if matches!(status, 400 | 401 | 403 | 404 | 405 | 406 | 413 | 415 | 429) {
            status
        } else {
            500
        };
        let page = format!(
            "<!doctype html>\n<html lang=en>\n<title>{status} {title}</title>\n<h1>{title}</h1>\n<p>{text}</p>\n"
        );
        Self::raw(status, page)
    }

    /// Adds a header.
    #[must_use]
    pub(crate) fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    /// The content type, if one is set.
    pub(crate) fn content_type(&self) -> Option<&str> {
        self.headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .map(|(_, value)| value.as_str())
    }

    /// Whether the status is 2xx.
    pub(crate) const fn is_success(&self) -> bool {
        self.status >= 200 && self.status < 300
    }

    /// The headers as a sub-request result carries them: names lower-case, no
    /// `content-length`.
    pub(crate) fn lower_headers(&self) -> BTreeMap<String, String> {
        self.headers
            .iter()
            .map(|(name, value)| (name.to_ascii_lowercase(), value.clone()))
            .filter(|(name, _)| name != "content-length")
            .collect()
    }

    /// The HTTP response (hyper adds `Content-Length`).
    pub(crate) fn into_http(self) -> Response<Bytes> {
        let mut response = Response::new(self.body);
        *response.status_mut() = hyper::StatusCode::from_u16(self.status)
            .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
        for (name, value) in self.headers {
            if let (Ok(name), Ok(value)) = (
                hyper::header::HeaderName::from_bytes(name.as_bytes()),
                hyper::header::HeaderValue::from_str(&value),
            ) {
                response.headers_mut().append(name, value);
            }
        }
        response
    }
}
