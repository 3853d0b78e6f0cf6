//! Typed reading of response JSON: every wrong shape is an `Error::Malformed`, never a panic.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// A `Malformed` error for `what`.
pub(crate) fn malformed(what: impl Into<String>) -> Error {
    Error::Malformed(what.into())
}

/// `value` as an object.
pub(crate) fn object<'a>(value: &'a Value, what: &str) -> Result<&'a Map<String, Value>> {
    value
        .as_object()
        .ok_or_else(|| malformed(format!("{what} is not an object")))
}

/// The field `key`, which must be there.
pub(crate) fn field<'a>(map: &'a Map<String, Value>, key: &str) -> Result<&'a Value> {
    map.get(key)
        .ok_or_else(|| malformed(format!("missing `{key}`")))
}

/// A required unsigned integer.
pub(crate) fn u64_field(map: &Map<String, Value>, key: &str) -> Result<u64> {
    field(map, key)?
        .as_u64()
        .ok_or_else(|| malformed(format!("`{key}` is not an unsigned integer")))
}

/// An optional unsigned integer (absent or null is `None`, any other type an error).
pub(crate) fn opt_u64(map: &Map<String, Value>, key: &str) -> Result<Option<u64>> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_u64()
            .map(Some)
            .ok_or_else(|| malformed(format!("`{key}` is not an unsigned integer"))),
    }
}

/// A required string.
pub(crate) fn str_field<'a>(map: &'a Map<String, Value>, key: &str) -> Result<&'a str> {
    field(map, key)?
        .as_str()
        .ok_or_else(|| malformed(format!("`{key}` is not a string")))
}

/// A required array of strings.
pub(crate) fn strings(map: &Map<String, Value>, key: &str) -> Result<Vec<String>> {
    string_list(field(map, key)?, key)
}

/// `value` as an array of strings.
pub(crate) fn string_list(value: &Value, what: &str) -> Result<Vec<String>> {
    value
        .as_array()
        .ok_or_else(|| malformed(format!("`{what}` is not an array")))?
        .iter()
        .map(|item| {
            item.as_str()
                .map(str::to_owned)
                .ok_or_else(|| malformed(format!("`{what}` holds a non-string")))
        })
        .collect()
}

/// A flag the server writes as `true` in JSON but peers relay as `1` (through bencoding).
pub(crate) fn flag(map: &Map<String, Value>, key: &str) -> bool {
    match map.get(key) {
        Some(Value::Bool(set)) => *set,
        Some(Value::Number(number)) => number.as_u64().is_some_and(|n| n != 0),
        _ => false,
    }
}

/// Standard base64 (padded or not) decoded.
pub(crate) fn base64(text: &str, what: &str) -> Result<Vec<u8>> {
    let trimmed = text.trim_end_matches('=');
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(trimmed)
        .or_else(|_| STANDARD.decode(text))
        .map_err(|_| malformed(format!("`{what}` is not base64")))
}

/// A base64 Ed25519 signature.
pub(crate) fn signature(text: &str) -> Result<[u8; 64]> {
    base64(text, "signature")?
        .try_into()
        .map_err(|_| malformed("`signature` is not 64 bytes"))
}

/// 64 hex digits as 32 bytes.
pub(crate) fn key32(text: &str, what: &str) -> Result<[u8; 32]> {
    let mut key = [0u8; 32];
    hex::decode_to_slice(text, &mut key)
        .map_err(|_| malformed(format!("`{what}` is not 32 bytes of hex")))?;
    Ok(key)
}
