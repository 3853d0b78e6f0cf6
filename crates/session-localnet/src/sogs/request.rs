//! A request as the SOGS routes see it, however it arrived (plain HTTP, inside a v4 onion, or
//! as a `/batch` sub-request): the method, the percent-*decoded* path (what Flask routes on
//! and what the X-SOGS signature covers), the raw query string, the headers and the body.
//!
//! As with Flask, a body sent with a form content type is parsed as a form and the handlers
//! see an empty body.

use bytes::Bytes;
use hyper::Request;
use serde_json::Value;

use super::reply::Reply;

/// One request.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct SogsRequest {
    /// `GET`, `POST`, ...
    pub(crate) method: String,
    /// The path, percent-decoded (invalid UTF-8 replaced, as Werkzeug does).
    pub(crate) path: String,
    /// The query string as sent (still percent-encoded), without the `?`.
    pub(crate) query: String,
    /// Header names and values.
    pub(crate) headers: Vec<(String, String)>,
    /// The body (empty for form content types).
    pub(crate) body: Bytes,
}

impl std::fmt::Debug for SogsRequest {
    // The body may be someone's message: its length is enough.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SogsRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

impl SogsRequest {
    /// A request from its method, its target (`/path?query`), headers and body.
    pub(crate) fn new(
        method: &str,
        target: &str,
        headers: Vec<(String, String)>,
        body: Bytes,
    ) -> Self {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let mut request = Self {
            method: method.to_ascii_uppercase(),
            path: percent_decode(path, false),
            query: query.to_owned(),
            headers,
            body,
        };
        if request.content_type().is_some_and(is_form_type) {
            request.body = Bytes::new();
        }
        request
    }

    /// The request of an HTTP message.
    pub(crate) fn from_http(request: &Request<Bytes>) -> Self {
        let target = request.uri().path_and_query().map_or_else(
            || request.uri().path().to_owned(),
            |pq| pq.as_str().to_owned(),
        );
        let headers = request
            .headers()
            .iter()
            .map(|(name, value)| {
                // Werkzeug reads header bytes as Latin-1.
                let text: String = value.as_bytes().iter().map(|&b| char::from(b)).collect();
                (name.as_str().to_owned(), text)
            })
            .collect();
        Self::new(
            request.method().as_str(),
            &target,
            headers,
            request.body().clone(),
        )
    }

    /// The first header called `name` (case-insensitive).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The content type, if one was sent.
    pub(crate) fn content_type(&self) -> Option<&str> {
        self.header("content-type")
    }

    /// The first value of query parameter `name`, decoded.
    pub(crate) fn query_param(&self, name: &str) -> Option<String> {
        self.query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
            .find(|(key, _)| percent_decode(key, true) == name)
            .map(|(_, value)| percent_decode(value, true))
    }

    /// The body as JSON, as Flask's `request.json`: 415 unless the content type is JSON,
    /// 400 if it does not parse.
    pub(crate) fn json(&self) -> Result<Value, Reply> {
        let is_json = self.content_type().is_some_and(|value| {
            let mime = value
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            mime == "application/json"
                || (mime.starts_with("application/") && mime.ends_with("+json"))
        });
        if !is_json {
            return Err(Reply::error_page(415));
        }
        serde_json::from_slice(&self.body).map_err(|_| Reply::error_page(400))
    }

    /// The body as a JSON object (pysogs' handlers call `.get` on it).
    pub(crate) fn json_object(&self) -> Result<serde_json::Map<String, Value>, Reply> {
        match self.json()? {
            Value::Object(map) => Ok(map),
            _ => Err(Reply::error_page(400)),
        }
    }
}

/// Whether Flask would parse a body of this type as a form.
fn is_form_type(content_type: &str) -> bool {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    mime == "application/x-www-form-urlencoded" || mime.starts_with("multipart/")
}

/// Decodes `%XX` escapes (and `+` as a space when `plus` is set, for query strings);
/// malformed escapes stay as they are and invalid UTF-8 is replaced, as Werkzeug does.
pub(crate) fn percent_decode(text: &str, plus: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if byte == b'%' {
            let hex = bytes.get(index + 1..index + 3).and_then(|pair| {
                std::str::from_utf8(pair)
                    .ok()
                    .and_then(|pair| u8::from_str_radix(pair, 16).ok())
            });
            if let Some(decoded) = hex {
                out.push(decoded);
                index += 3;
                continue;
            }
        }
        out.push(if plus && byte == b'+' { b' ' } else { byte });
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes everything but RFC 3986's unreserved characters and `/` (Python's
/// `urllib.parse.quote` with its default `safe='/'`).
pub(crate) fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_paths_and_queries() {
        assert_eq!(percent_decode("/r/%F0%9F%91%8D", false), "/r/👍");
        assert_eq!(percent_decode("a+b%2", true), "a b%2");
        assert_eq!(percent_decode("%zz%", false), "%zz%");
        let request = SogsRequest::new("get", "/x?limit=5&t=r", Vec::new(), Bytes::new());
        assert_eq!(request.method, "GET");
        assert_eq!(request.query_param("limit").as_deref(), Some("5"));
        assert_eq!(request.query_param("t").as_deref(), Some("r"));
        assert_eq!(percent_encode("a b/é"), "a%20b/%C3%A9");
    }

    #[test]
    fn form_bodies_disappear() {
        let headers = vec![(
            "Content-Type".to_owned(),
            "application/x-www-form-urlencoded".to_owned(),
        )];
        let request = SogsRequest::new("POST", "/x", headers, Bytes::from_static(b"a=b"));
        assert!(request.body.is_empty());
    }
}
