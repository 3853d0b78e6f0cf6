//! A server's answer, whichever way it came (direct HTTP, onion v4, a `/batch` element):
//! status, lower-case headers, raw body.

use std::collections::BTreeMap;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, Result, json_error, status_error};

/// A response.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// Headers, names lower-case.
    pub headers: BTreeMap<String, String>,
    /// The body.
    pub body: Vec<u8>,
}

impl core::fmt::Debug for Response {
    // The body may be a DM or a file: only its length.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl From<session_onion::ServerResponse> for Response {
    fn from(r: session_onion::ServerResponse) -> Self {
        Self {
            status: r.status,
            headers: r
                .headers
                .into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect(),
            body: r.body,
        }
    }
}

impl Response {
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// `Ok(self)` for 2xx and 304, the typed error otherwise.
    ///
    /// # Errors
    ///
    /// The [`Error`] variant of the status.
    pub fn check(&self) -> Result<&Self> {
        if self.is_success() || self.status == 304 {
            Ok(self)
        } else {
            Err(status_error(self.status, &self.body))
        }
    }

    /// The body as JSON `T`, after [`Response::check`].
    ///
    /// # Errors
    ///
    /// The status error, or [`Error::Decode`].
    pub fn json<T: for<'de> Deserialize<'de>>(&self) -> Result<T> {
        self.check()?;
        serde_json::from_slice(&self.body).map_err(json_error)
    }

    /// A header, by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
}

/// One `/batch` or `/sequence` element as the server sends it.
#[derive(Deserialize)]
struct RawSubResponse {
    code: u16,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    body: Value,
}

/// The elements of a `/batch` or `/sequence` answer as [`Response`]s: a JSON body (when
/// the content type says JSON) re-serialised, any other body base64-decoded.
///
/// # Errors
///
/// The outer status error, or [`Error::Decode`] for a malformed list.
pub fn decode_batch(response: &Response) -> Result<Vec<Response>> {
    let raw: Vec<RawSubResponse> = response.json()?;
    raw.into_iter()
        .map(|sub| {
            let headers: BTreeMap<String, String> = sub
                .headers
                .into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect();
            let is_json = headers
                .get("content-type")
                .is_some_and(|t| t.starts_with("application/json"));
            let body = match sub.body {
                Value::Null => Vec::new(),
                Value::String(text) if !is_json => STANDARD
                    .decode(text.as_bytes())
                    .map_err(|_| Error::Decode("sub-response body is not base64".into()))?,
                value => serde_json::to_vec(&value).map_err(json_error)?,
            };
            Ok(Response {
                status: sub.code,
                headers,
                body,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(body: &str) -> Response {
        Response {
            status: 200,
            headers: BTreeMap::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn batch_bodies_json_bytes_and_304() {
        let subs = decode_batch(&ok(r#"[
            {"code":200,"headers":{"content-type":"application/json"},"body":{"capabilities":["sogs"]}},
            {"code":200,"headers":{"content-type":"application/octet-stream"},"body":"AQI="},
            {"code":304,"headers":{},"body":""},
            {"code":404,"headers":{"content-type":"text/plain"},"body":"Tm90IGZvdW5k"}
        ]"#))
        .unwrap();
        assert_eq!(subs[0].body, br#"{"capabilities":["sogs"]}"#);
        assert_eq!(subs[1].body, [1, 2]);
        assert_eq!(subs[2].status, 304);
        assert!(subs[2].body.is_empty());
        assert!(matches!(subs[3].check(), Err(Error::NotFound)));
    }

    #[test]
    fn garbage_is_a_decode_error() {
        for body in [
            "",
            "{",
            "[1]",
            r#"[{"code":"x"}]"#,
            r#"[{"code":200,"body":"%%"}]"#,
        ] {
            assert!(
                matches!(decode_batch(&ok(body)), Err(Error::Decode(_))),
                "{body}"
            );
        }
    }
}
