//! The text form stored on a swarm: standard, padded base64 of the wrapped bytes (the `data` of
//! a `store` request and of each retrieved message).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::error::EnvelopeError;

/// Base64 (standard alphabet, padded) of wrapped bytes, as `store` takes them.
pub fn to_base64(wrapped: &[u8]) -> String {
    STANDARD.encode(wrapped)
}

/// The wrapped bytes from their stored base64.
///
/// # Errors
///
/// [`EnvelopeError::Base64`] unless `text` is canonical standard base64 with padding.
pub fn from_base64(text: &str) -> Result<Vec<u8>, EnvelopeError> {
    Ok(STANDARD.decode(text)?)
}
