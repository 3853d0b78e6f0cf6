//! The clear part of an onion as a node's `/onion_req/v2` reads it, with the storage server's
//! error texts (`Error parsing onion request: <what>`): `u32 LE N ‖ N bytes ‖ JSON` with a
//! hex `ephemeral_key`, an optional `enc_type` and an optional `hop_no`.

use serde_json::Value;
use session_onion::EncType;

/// Most hops an onion may take (`MAX_ONION_HOPS`); a layer arriving with a larger `hop_no`
/// is refused.
pub(crate) const MAX_ONION_HOPS: i64 = 15;

/// The routing fields of an incoming onion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The client's ephemeral key for this layer.
    pub(crate) ephemeral_key: [u8; 32],
    /// The layer's encryption (AES-GCM when absent).
    pub(crate) enc_type: EncType,
    /// How many hops it has taken (0 when absent, negatives clamp to 0).
    pub(crate) hop_no: i64,
}

/// Reads the clear part of `body`; the error is the text after `Error parsing onion
/// request: `. The messages of the framing checks are the server's own; the JSON ones
/// follow nlohmann's wording where it is known.
pub(crate) fn parse_entry(body: &[u8]) -> Result<Entry, String> {
    let Some((prefix, rest)) = body.split_first_chunk::<4>() else {
        return Err("Unexpected payload size; expected ciphertext size".to_owned());
    };
    let n = u32::from_le_bytes(*prefix);
    let Some(json) = usize::try_from(n).ok().and_then(|n| rest.get(n..)) else {
        return Err(format!(
            "Unexpected payload size {}, expected >= {n}",
            rest.len()
        ));
    };
    let json: Value = serde_json::from_slice(json).map_err(|error| {
        format!(
            "[json.exception.parse_error.101] parse error at line {}, column {}: syntax error while parsing value",
            error.line(),
            error.column()
        )
    })?;
    let Value::Object(json) = json else {
        return Err(format!(
            "[json.exception.type_error.304] cannot use at() with {}",
            type_name(&json)
        ));
    };
    let key = json.get("ephemeral_key").ok_or_else(|| {
        "[json.exception.out_of_range.403] key 'ephemeral_key' not found".to_owned()
    })?;
    let key = key.as_str().ok_or_else(|| {
        format!(
            "[json.exception.type_error.303] incompatible ReferenceType for get_ref, actual type is {}",
            type_name(key)
        )
    })?;
    let mut ephemeral_key = [0u8; 32];
    hex::decode_to_slice(key, &mut ephemeral_key)
        .map_err(|_| "Invalid x25519 pubkey: expected 64 hex digits".to_owned())?;
    let enc_type = match json.get("enc_type") {
        None => EncType::AesGcm,
        Some(Value::String(name)) => {
            EncType::from_name(name).ok_or_else(|| format!("Invalid encryption type {name}"))?
        }
        Some(other) => {
            return Err(format!(
                "[json.exception.type_error.303] incompatible ReferenceType for get_ref, actual type is {}",
                type_name(other)
            ));
        }
    };
    let hop_no = match json.get("hop_no") {
        None => 0,
        Some(value) => value
            .as_i64()
            // nlohmann's get<int>() truncates a float.
            .or_else(|| value.as_f64().map(|f| f as i64))
            .ok_or_else(|| {
                format!(
                    "[json.exception.type_error.302] type must be number, but is {}",
                    type_name(value)
                )
            })?
            .max(0),
    };
    Ok(Entry {
        ephemeral_key,
        enc_type,
        hop_no,
    })
}

/// nlohmann's name for a JSON value's type.
fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The body a relaying node posts to the next one: the next layer framed with its routing
/// JSON, and the hop count so far (what `sn.onion_request` carries on the real network).
pub(crate) fn relay_body(
    ciphertext: &[u8],
    ephemeral_key: &[u8; 32],
    enc_type: EncType,
    hop_no: i64,
) -> Option<Vec<u8>> {
    let json = serde_json::json!({
        "ephemeral_key": hex::encode(ephemeral_key),
        "enc_type": enc_type.as_str(),
        "hop_no": hop_no,
    });
    session_onion::frame::Frame::encode(ciphertext, json.to_string().as_bytes()).ok()
}
