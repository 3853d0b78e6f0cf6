//! A file server answer before it is put on a transport: sent as it is over plain HTTP, or
//! wrapped into a v4 response inside an onion.

use std::collections::BTreeMap;

use bytes::Bytes;
use hyper::Response;
use serde::Serialize;
use session_onion::ServerResponse;

use super::py_json::to_python_json;

/// What Flask sends with `json_resp`.
const JSON: &str = "application/json";
/// What Flask sends with a view's raw bytes or an error page.
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
    // A body may be someone's attachment: its length is enough.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reply")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl Reply {
    /// `body` with one content type.
    pub(crate) fn with_type(status: u16, content_type: &str, body: impl Into<Bytes>) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
            body: body.into(),
        }
    }

    /// A JSON body, laid out as the real (Python) server lays it out.
    pub(crate) fn json<T: Serialize + ?Sized>(status: u16, value: &T) -> Self {
        Self::with_type(status, JSON, to_python_json(value))
    }

    /// The real server's `error_resp`: `{"status_code": N}` with status N.
    pub(crate) fn error(status: u16) -> Self {
        #[derive(Serialize)]
        struct Error {
            status_code: u16,
        }
        Self::json(
            status,
            &Error {
                status_code: status,
            },
        )
    }

    /// Bytes as a Flask view returns them (which Flask labels as HTML).
    pub(crate) fn raw(status: u16, body: impl Into<Bytes>) -> Self {
        Self::with_type(status, HTML, body)
    }

    /// Werkzeug's error page for `status` (what Flask answers unknown routes, wrong methods
    /// and `abort(400)` with).
    pub(crate) fn error_page(status: u16) -> Self {
        let (title, text) = match status {
            400 => (
                "Bad Request",
                "The browser (or proxy) sent a request that this server could not understand.",
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
            _ => (
                "Internal Server Error",
                "The server encountered an internal error and was unable to complete your \
                 request. Either the server is overloaded or there is an error in the \
                 application.",
            ),
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

    /// The v4 response: header names lower-case and no `content-length`, as the real
    /// server's sub-request wrapper sends them.
    pub(crate) fn into_v4(self) -> ServerResponse {
        let headers: BTreeMap<String, String> = self
            .headers
            .into_iter()
            .map(|(name, value)| (name.to_ascii_lowercase(), value))
            .filter(|(name, _)| name != "content-length")
            .collect();
        ServerResponse {
            status: self.status,
            headers,
            body: self.body.to_vec(),
        }
    }
}
