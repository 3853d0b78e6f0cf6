//! What can go wrong talking to a community server.
//!
//! Messages name statuses, rooms and lengths at most: never keys, signatures, message
//! text or DM plaintext.

/// The crate's error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A room URL or server base URL that does not parse.
    #[error("invalid community URL: {0}")]
    Url(String),
    /// A request that cannot be built as asked (bad room token, empty reaction...).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The onion transport (or session-swarm's direct mode) failed to reach the server.
    #[error(transparent)]
    Transport(#[from] session_swarm::Error),
    /// Direct HTTP(S) failed: connection, TLS, timeout.
    #[error("HTTP: {0}")]
    Http(String),
    /// 400 "Invalid authentication: this server requires the use of blinded ids".
    #[error("the server requires blinded ids")]
    BlindingRequired,
    /// 400: the server refused the request as malformed.
    #[error("bad request (400): {body_text}")]
    BadRequest {
        /// The server's text, sanitised and truncated.
        body_text: String,
    },
    /// 401: authentication missing or the signature did not verify.
    #[error("unauthorized (401)")]
    Unauthorized,
    /// 403: banned, or lacking the permission.
    #[error("forbidden (403)")]
    Forbidden,
    /// 404: unknown (or inaccessible) room, message, file or user.
    #[error("not found (404)")]
    NotFound,
    /// 412: the server lacks a required capability.
    #[error("missing capabilities (412)")]
    MissingCapabilities,
    /// 425: the timestamp is more than 24 h off the server's clock, or the nonce was reused.
    #[error("timestamp out of range or nonce reused (425)")]
    ClockOrNonce,
    /// 429: rate limited or rejected by a filter.
    #[error("rate limited (429)")]
    RateLimited,
    /// Any other status.
    #[error("the server answered {code}: {body_text}")]
    Status {
        /// The HTTP status.
        code: u16,
        /// The server's text, sanitised and truncated.
        body_text: String,
    },
    /// A response that does not have the shape the server gives it.
    #[error("malformed response: {0}")]
    Decode(String),
    /// A DM that could not be encrypted or decrypted.
    #[error(transparent)]
    Blinded(#[from] session_protocol::BlindedError),
    /// Key or ID arithmetic failed (an ID that is not a valid point).
    #[error(transparent)]
    Identity(#[from] session_identity::Error),
    /// The operating system's random generator failed.
    #[error("random generator failed")]
    Random,
}

/// The crate's result.
pub type Result<T, E = Error> = core::result::Result<T, E>;

/// How much of a server's error text an error keeps.
const BODY_TEXT_MAX: usize = 200;

/// A server's error body as short, printable text: control characters dropped (no
/// terminal escapes from a hostile server), at most [`BODY_TEXT_MAX`] characters.
pub(crate) fn sanitise_body(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(BODY_TEXT_MAX)
        .collect();
    if text.chars().count() > BODY_TEXT_MAX {
        out.push('…');
    }
    out.trim().to_owned()
}

/// A JSON decoding failure by position and kind only: serde's own message may quote the
/// offending value, which could be message or file content.
pub(crate) fn json_error(e: serde_json::Error) -> Error {
    let kind = match e.classify() {
        serde_json::error::Category::Io => "read error",
        serde_json::error::Category::Syntax => "invalid JSON",
        serde_json::error::Category::Data => "unexpected JSON shape",
        serde_json::error::Category::Eof => "truncated JSON",
    };
    Error::Decode(format!("{kind} at line {} column {}", e.line(), e.column()))
}

/// The body text pysogs sends when `00` auth meets a blinding-only server.
pub(crate) const BLINDING_REQUIRED_TEXT: &str = "requires the use of blinded ids";

/// The error for a non-success `status` with `body`.
pub(crate) fn status_error(status: u16, body: &[u8]) -> Error {
    match status {
        400 => {
            let body_text = sanitise_body(body);
            if body_text.contains(BLINDING_REQUIRED_TEXT) {
                Error::BlindingRequired
            } else {
                Error::BadRequest { body_text }
            }
        }
        401 => Error::Unauthorized,
        403 => Error::Forbidden,
        404 => Error::NotFound,
        412 => Error::MissingCapabilities,
        425 => Error::ClockOrNonce,
        429 => Error::RateLimited,
        code => Error::Status {
            code,
            body_text: sanitise_body(body),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_variants() {
        assert!(matches!(
            status_error(
                400,
                b"Invalid authentication: this server requires the use of blinded ids"
            ),
            Error::BlindingRequired
        ));
        assert!(matches!(status_error(400, b"x"), Error::BadRequest { .. }));
        assert!(matches!(status_error(401, b""), Error::Unauthorized));
        assert!(matches!(status_error(403, b"Banned"), Error::Forbidden));
        assert!(matches!(status_error(404, b""), Error::NotFound));
        assert!(matches!(status_error(425, b""), Error::ClockOrNonce));
        assert!(matches!(status_error(429, b""), Error::RateLimited));
        assert!(matches!(
            status_error(500, b"oops"),
            Error::Status { code: 500, .. }
        ));
    }

    #[test]
    fn json_errors_do_not_quote_values() {
        let e = serde_json::from_str::<u64>(r#""secret text""#).unwrap_err();
        let text = json_error(e).to_string();
        assert!(!text.contains("secret"), "{text}");
    }

    #[test]
    fn body_text_is_sanitised_and_truncated() {
        let long = "\x1b[31m".to_owned() + &"a".repeat(500);
        let text = sanitise_body(long.as_bytes());
        assert!(!text.contains('\x1b'));
        assert!(text.chars().count() <= BODY_TEXT_MAX + 1);
        assert!(text.ends_with('…'));
    }
}
