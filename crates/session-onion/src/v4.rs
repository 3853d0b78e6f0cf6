//! Onion v4, what servers (SOGS, the file server) speak: the request plaintext is the bencoded
//! list `[json, body?]` with json `{"endpoint", "headers", "method"}`, and the response
//! plaintext is `[json, body?]` with json `{"code", "headers"}`.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;
use session_bt::{Kind, Limits};

use crate::error::{Error, Result};

/// An HTTP request to a server, carried inside an onion.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServerRequest {
    /// `GET`, `POST`, `PUT`, `DELETE`...
    pub method: String,
    /// Path and query, starting with `/`.
    pub endpoint: String,
    /// Request headers (SOGS' `X-SOGS-*` among them).
    pub headers: BTreeMap<String, String>,
    /// The body, if any.
    pub body: Option<Vec<u8>>,
}

impl ServerRequest {
    /// A request with no headers and no body.
    pub fn new(method: impl Into<String>, endpoint: impl Into<String>) -> Self {
        Self {
            method: method.into(),
            endpoint: endpoint.into(),
            ..Self::default()
        }
    }

    /// Adds a header.
    #[must_use]
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.insert(name.into(), value.into());
        self
    }

    /// Sets the body.
    #[must_use]
    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// The v4 plaintext, as libsession writes it: keys sorted; `Content-Type:
    /// application/json` added when there is a body and no content type; any `User-Agent`
    /// dropped (it would fingerprint the client).
    pub fn encode(&self) -> Vec<u8> {
        encode_parts(&self.meta_json(), self.body.as_deref())
    }

    /// The metadata JSON of [`Self::encode`].
    pub(crate) fn meta_json(&self) -> Vec<u8> {
        let mut headers: BTreeMap<&str, &str> = self
            .headers
            .iter()
            .filter(|(name, _)| !name.eq_ignore_ascii_case("user-agent"))
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        if self.body.is_some()
            && !headers
                .keys()
                .any(|name| name.eq_ignore_ascii_case("content-type"))
        {
            headers.insert("Content-Type", "application/json");
        }
        #[derive(Serialize)]
        struct Meta<'a> {
            endpoint: &'a str,
            headers: BTreeMap<&'a str, &'a str>,
            method: &'a str,
        }
        crate::routing::to_json(&Meta {
            endpoint: &self.endpoint,
            headers,
            method: &self.method,
        })
    }

    /// Reads a v4 request plaintext (as a server does). Keys may come in any order; the body
    /// is required for nothing here (the server decides).
    pub fn decode(plaintext: &[u8]) -> Result<Self> {
        let (meta, body) = decode_parts(plaintext)?;
        let meta = json_object(meta)?;
        let text = |key: &'static str| {
            meta.get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or(Error::V4(
                    "request metadata lacks a method or endpoint string",
                ))
        };
        Ok(Self {
            method: text("method")?,
            endpoint: text("endpoint")?,
            headers: headers(&meta)?,
            body: body.map(<[u8]>::to_vec),
        })
    }
}

/// A server's answer, carried back inside the onion.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServerResponse {
    /// The HTTP status the server gave (a v4 answer travels with HTTP 200 regardless).
    pub status: u16,
    /// Response headers, names lower-case as servers send them.
    pub headers: BTreeMap<String, String>,
    /// The body (empty if none was sent).
    pub body: Vec<u8>,
}

impl ServerResponse {
    /// The v4 response plaintext `[{"code","headers"}, body]` a server sends.
    pub fn encode(&self) -> Vec<u8> {
        #[derive(Serialize)]
        struct Meta<'a> {
            code: u16,
            headers: &'a BTreeMap<String, String>,
        }
        let meta = crate::routing::to_json(&Meta {
            code: self.status,
            headers: &self.headers,
        });
        encode_parts(&meta, Some(&self.body))
    }

    /// Reads a decrypted v4 response.
    pub fn decode(plaintext: &[u8]) -> Result<Self> {
        let (meta, body) = decode_parts(plaintext)?;
        let meta = json_object(meta)?;
        let status = meta
            .get("code")
            .and_then(Value::as_u64)
            .and_then(|code| u16::try_from(code).ok())
            .ok_or(Error::V4("response metadata lacks a numeric code"))?;
        Ok(Self {
            status,
            headers: headers(&meta)?,
            body: body.map(<[u8]>::to_vec).unwrap_or_default(),
        })
    }
}

/// `l <len>:<meta> [<len>:<body>] e`, with `meta` taken as given.
pub fn encode_parts(meta: &[u8], body: Option<&[u8]>) -> Vec<u8> {
    let mut out = Vec::with_capacity(parts_len(meta, body));
    write_parts(&mut out, meta, body);
    out
}

/// Appends [`encode_parts`]' output to `out`.
pub(crate) fn write_parts(out: &mut Vec<u8>, meta: &[u8], body: Option<&[u8]>) {
    out.push(b'l');
    session_bt::write_bytes(out, meta);
    if let Some(body) = body {
        session_bt::write_bytes(out, body);
    }
    out.push(b'e');
}

/// The length of [`encode_parts`]' output.
pub(crate) fn parts_len(meta: &[u8], body: Option<&[u8]>) -> usize {
    fn string_len(bytes: &[u8]) -> usize {
        bytes.len().to_string().len() + 1 + bytes.len()
    }
    2 + string_len(meta) + body.map_or(0, string_len)
}

/// Splits `l <len>:<meta> [<len>:<body>] e` into its one or two strings.
pub fn decode_parts(plaintext: &[u8]) -> Result<(&[u8], Option<&[u8]>)> {
    let value = session_bt::decode_with(plaintext, &Limits::default().with_max_depth(1))
        .map_err(|_| Error::V4("not a bencoded list"))?;
    let Kind::List(items) = value.into_kind() else {
        return Err(Error::V4("not a bencoded list"));
    };
    let mut strings = items.into_iter().map(|item| match item.into_kind() {
        Kind::Bytes(bytes) => Ok(bytes),
        _ => Err(Error::V4("list items must be byte strings")),
    });
    let meta = strings
        .next()
        .ok_or(Error::V4("empty list: the metadata is missing"))??;
    let body = strings.next().transpose()?;
    if strings.next().is_some() {
        return Err(Error::V4("more than two list items"));
    }
    Ok((meta, body))
}

fn json_object(meta: &[u8]) -> Result<serde_json::Map<String, Value>> {
    match serde_json::from_slice(meta) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(Error::V4("metadata is not a JSON object")),
    }
}

/// Header values as strings; non-string JSON values keep their JSON text.
fn headers(meta: &serde_json::Map<String, Value>) -> Result<BTreeMap<String, String>> {
    match meta.get("headers") {
        None | Some(Value::Null) => Ok(BTreeMap::new()),
        Some(Value::Object(map)) => Ok(map
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                (name.clone(), value)
            })
            .collect()),
        Some(_) => Err(Error::V4("headers is not a JSON object")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_follows_libsession_header_rules() {
        let request = ServerRequest::new("POST", "/room/x/message")
            .with_header("User-Agent", "WhatsApp")
            .with_header("X-SOGS-Nonce", "n")
            .with_body(&b"{}"[..]);
        let encoded = request.encode();
        assert_eq!(
            encoded,
            &br#"l111:{"endpoint":"/room/x/message","headers":{"Content-Type":"application/json","X-SOGS-Nonce":"n"},"method":"POST"}2:{}e"#[..]
        );
        let decoded = ServerRequest::decode(&encoded).unwrap();
        assert_eq!(decoded.headers.len(), 2);
        assert_eq!(decoded.body.as_deref(), Some(&b"{}"[..]));
    }

    #[test]
    fn refuses_malformed_lists() {
        for bad in [
            &b"le"[..],
            b"li1ee",
            b"l1:a1:b1:ce",
            b"d1:a1:be",
            b"l2:{}",
            b"l1:xe",
        ] {
            assert!(ServerResponse::decode(bad).is_err(), "{bad:?}");
        }
    }
}
