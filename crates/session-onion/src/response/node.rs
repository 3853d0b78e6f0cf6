//! Answers from a service-node destination: base64 (bare, or inside `{"result": …}`) of the
//! encrypted JSON `{"status" or "status_code", "body", "headers"?}`.

use std::collections::BTreeMap;

use base64::Engine;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use serde_json::Value;

use super::failure::{Failure, path_failure};
use super::key::ResponseKey;
use crate::error::Error;

/// A node's answer to an RPC.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NodeResponse {
    /// The RPC status (for `batch`/`sequence`, the sub-results' common code when they agree).
    pub status: u16,
    /// Headers, if the node sent any.
    pub headers: BTreeMap<String, String>,
    /// The RPC body: usually JSON text.
    pub body: Vec<u8>,
}

/// Padding is optional on the way in: nodes pad, but nothing else depends on it.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The whole reading of a node-destination request's answer: a non-200 guard status is a
/// [`path_failure`]; otherwise the body is decrypted, and a destination status outside 2xx
/// (including a `batch` whose sub-results all failed with one code) is a [`Failure`].
pub fn decode_node_response(
    key: &ResponseKey,
    http_status: u16,
    http_body: &[u8],
) -> Result<NodeResponse, Failure> {
    if http_status != 200 {
        return Err(path_failure(http_status, http_body));
    }
    let response = open_node_response(key, http_body)?;
    if (200..300).contains(&response.status) {
        Ok(response)
    } else {
        Err(Failure::from_destination(response.status, response.body))
    }
}

/// Decrypts and parses a 200 answer from a node destination, whatever its inner status.
pub fn open_node_response(key: &ResponseKey, http_body: &[u8]) -> Result<NodeResponse, Failure> {
    let base64_text = result_field(http_body)?;
    let sealed = BASE64
        .decode(base64_text.trim_ascii())
        .map_err(|_| Failure::Malformed(Error::Json("response is not base64")))?;
    let plaintext = key
        .decrypt(&sealed)
        .map_err(|_| Failure::DecryptionFailed)?;
    parse_plaintext(&plaintext).map_err(Failure::Malformed)
}

/// The base64 text: the body itself, or its `result` string when it is a JSON object.
fn result_field(http_body: &[u8]) -> Result<Vec<u8>, Failure> {
    let trimmed = http_body.trim_ascii();
    if !trimmed.starts_with(b"{") {
        return Ok(trimmed.to_vec());
    }
    match serde_json::from_slice::<Value>(trimmed) {
        Ok(Value::Object(map)) => match map.get("result") {
            Some(Value::String(text)) => Ok(text.clone().into_bytes()),
            _ => Err(Failure::Malformed(Error::Json("no \"result\" string"))),
        },
        _ => Err(Failure::Malformed(Error::Json("response is not JSON"))),
    }
}

fn parse_plaintext(plaintext: &[u8]) -> Result<NodeResponse, Error> {
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(plaintext) else {
        return Err(Error::Json("decrypted response is not a JSON object"));
    };
    let status = map
        .get("status_code")
        .or_else(|| map.get("status"))
        .and_then(Value::as_u64)
        .and_then(|status| u16::try_from(status).ok())
        .ok_or(Error::Json("decrypted response has no numeric status"))?;
    let headers = match map.get("headers") {
        Some(Value::Object(headers)) => headers
            .iter()
            .map(|(name, value)| (name.clone(), text_of(value)))
            .collect(),
        _ => BTreeMap::new(),
    };
    let body = match map.get("body") {
        Some(Value::String(text)) => text.clone().into_bytes(),
        Some(other) => other.to_string().into_bytes(),
        // libsession hands over the whole JSON when there is no body field.
        None => plaintext.to_vec(),
    };
    let status = batch_status(&body).unwrap_or(status);
    Ok(NodeResponse {
        status,
        headers,
        body,
    })
}

/// The common `code` of a `batch`/`sequence` body's `results`, if they all have the same one.
fn batch_status(body: &[u8]) -> Option<u16> {
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
        return None;
    };
    let results = map.get("results")?.as_array()?;
    let mut codes = results.iter().map(|result| result.get("code")?.as_u64());
    let first = codes.next()??;
    codes
        .all(|code| code == Some(first))
        .then(|| u16::try_from(first).ok())
        .flatten()
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
