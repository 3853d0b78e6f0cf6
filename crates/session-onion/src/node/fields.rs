//! Reading the fields of routing JSON as nodes do: keys in hex or base64, `enc_type`
//! defaulting to AES-GCM.

use serde_json::Value;

use crate::enc_type::EncType;
use crate::error::{Error, Result};

/// The `enc_type` of a routing JSON object, AES-GCM when absent (older clients send none).
pub(crate) fn enc_type_of(json: &serde_json::Map<String, Value>) -> Result<EncType> {
    match json.get("enc_type") {
        None => Ok(EncType::AesGcm),
        Some(Value::String(name)) => EncType::from_name(name).ok_or(Error::UnknownEncType),
        Some(_) => Err(Error::UnknownEncType),
    }
}

/// A 32-byte key in hex or base64.
pub(crate) fn decode_key(text: &str) -> Option<[u8; 32]> {
    use base64::Engine;
    let mut key = [0u8; 32];
    if text.len() == 64 {
        hex::decode_to_slice(text, &mut key).ok()?;
        return Some(key);
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text)
        .ok()?;
    key.copy_from_slice(bytes.get(..32).filter(|_| bytes.len() == 32)?);
    Some(key)
}
