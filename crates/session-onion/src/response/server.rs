//! Answers from a server destination (onion v4): the raw encrypted bencoded `[info, body]`.

use super::failure::{Failure, path_failure};
use super::key::ResponseKey;
use crate::v4::ServerResponse;

/// The whole reading of a server request's answer: a non-200 guard status is a
/// [`path_failure`]; otherwise the body is decrypted, and a server status outside 2xx is a
/// [`Failure`] (425 is the server's clock-skew code).
pub fn decode_server_response(
    key: &ResponseKey,
    http_status: u16,
    http_body: &[u8],
) -> Result<ServerResponse, Failure> {
    if http_status != 200 {
        return Err(path_failure(http_status, http_body));
    }
    let response = open_server_response(key, http_body)?;
    if (200..300).contains(&response.status) {
        Ok(response)
    } else {
        Err(Failure::from_destination(response.status, response.body))
    }
}

/// Decrypts and parses a 200 v4 answer, whatever the server's status inside.
pub fn open_server_response(
    key: &ResponseKey,
    http_body: &[u8],
) -> Result<ServerResponse, Failure> {
    let plaintext = key
        .decrypt(http_body)
        .map_err(|_| Failure::DecryptionFailed)?;
    ServerResponse::decode(&plaintext).map_err(Failure::Malformed)
}
