//! One HTTP request to a community server, as data: method, endpoint, body. The same value
//! is sent on its own (signed) or as a `/batch` / `/sequence` sub-request.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};
use session_onion::ServerRequest;

use crate::auth::AuthHeaders;

/// A request body.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Body {
    /// No body (GET, DELETE).
    Empty,
    /// JSON, sent compactly as `application/json`.
    Json(Value),
    /// Raw bytes, `application/octet-stream`.
    Bytes(Vec<u8>),
}

/// A request: method, endpoint (`/path[?query]`, path segments percent-encoded), body and
/// extra headers (e.g. `Content-Disposition`). Build them with the endpoint constructors.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// `GET`, `POST`, `PUT` or `DELETE`.
    pub method: &'static str,
    /// Path and query as sent.
    pub endpoint: String,
    /// The body.
    pub body: Body,
    /// Headers besides auth and `Content-Type`.
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// A request without body.
    pub(crate) fn new(method: &'static str, endpoint: String) -> Self {
        Self {
            method,
            endpoint,
            body: Body::Empty,
            headers: Vec::new(),
        }
    }

    /// A request with a JSON body.
    pub(crate) fn json(method: &'static str, endpoint: String, body: Value) -> Self {
        Self {
            body: Body::Json(body),
            ..Self::new(method, endpoint)
        }
    }

    /// A JSON object body from a map.
    pub(crate) fn json_map(
        method: &'static str,
        endpoint: String,
        body: Map<String, Value>,
    ) -> Self {
        Self::json(method, endpoint, Value::Object(body))
    }

    /// The exact body bytes sent (and hashed into the signature).
    pub fn body_bytes(&self) -> Vec<u8> {
        match &self.body {
            Body::Empty => Vec::new(),
            // A `Value` always serialises.
            Body::Json(value) => serde_json::to_vec(value).unwrap_or_default(),
            Body::Bytes(bytes) => bytes.clone(),
        }
    }

    /// The `Content-Type` sent: never a form type, whose body the server would not see.
    pub fn content_type(&self) -> Option<&'static str> {
        match self.body {
            Body::Empty => None,
            Body::Json(_) => Some("application/json"),
            Body::Bytes(_) => Some("application/octet-stream"),
        }
    }

    /// The request as a v4 request, with `auth` (if any) among its headers.
    pub fn to_server_request(&self, auth: Option<&AuthHeaders>) -> ServerRequest {
        let mut headers: BTreeMap<String, String> = self.headers.iter().cloned().collect();
        if let Some(content_type) = self.content_type() {
            headers.insert("Content-Type".into(), content_type.into());
        }
        if let Some(auth) = auth {
            for (name, value) in auth.pairs() {
                headers.insert(name.into(), value.into());
            }
        }
        let mut request = ServerRequest::new(self.method, self.endpoint.clone());
        request.headers = headers;
        if !matches!(self.body, Body::Empty) {
            request.body = Some(self.body_bytes());
        }
        request
    }

    /// The request as a `/batch` element: `{"method", "path", "headers"?, "json" | "b64"}`.
    pub fn to_batch_json(&self) -> Value {
        let mut element = Map::new();
        element.insert("method".into(), Value::from(self.method));
        element.insert("path".into(), Value::from(self.endpoint.clone()));
        if !self.headers.is_empty() {
            let headers: Map<String, Value> = self
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), Value::from(v.clone())))
                .collect();
            element.insert("headers".into(), Value::Object(headers));
        }
        match &self.body {
            Body::Empty => {}
            Body::Json(value) => {
                element.insert("json".into(), value.clone());
            }
            Body::Bytes(bytes) => {
                element.insert("b64".into(), Value::from(STANDARD.encode(bytes)));
            }
        }
        Value::Object(element)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_body_is_compact_and_typed() {
        let request = Request::json("POST", "/x".into(), json!({"a": 1, "b": [true]}));
        assert_eq!(request.body_bytes(), br#"{"a":1,"b":[true]}"#);
        let sent = request.to_server_request(None);
        assert_eq!(sent.headers["Content-Type"], "application/json");
        assert_eq!(sent.body.as_deref(), Some(&br#"{"a":1,"b":[true]}"#[..]));
    }

    #[test]
    fn get_has_no_body_or_content_type() {
        let sent = Request::new("GET", "/rooms".into()).to_server_request(None);
        assert!(sent.body.is_none());
        assert!(!sent.headers.contains_key("Content-Type"));
    }

    #[test]
    fn batch_elements() {
        assert_eq!(
            Request::new("GET", "/capabilities".into()).to_batch_json(),
            json!({"method": "GET", "path": "/capabilities"})
        );
        let bytes = Request {
            body: Body::Bytes(vec![1, 2]),
            headers: vec![("Content-Disposition".into(), "attachment".into())],
            ..Request::new("POST", "/room/r/file".into())
        };
        assert_eq!(
            bytes.to_batch_json(),
            json!({"method": "POST", "path": "/room/r/file", "b64": "AQI=",
                   "headers": {"Content-Disposition": "attachment"}})
        );
    }
}
