//! X-SOGS-* request authentication, step for step as pysogs' `handle_http_auth`: the same
//! checks in the same order, with the same status codes and text/plain reasons.
//!
//! The signed message is `B || nonce || timestamp (as sent) || METHOD || decoded path
//! [|| "?" || raw query] [|| BLAKE2b-512(body)]`, verified as plain Ed25519 by the blinded
//! key (`15`, `25`) or the unblinded one (`00`).

use base64::Engine;
use base64::alphabet::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use curve25519_dalek::edwards::CompressedEdwardsY;
use session_crypto::{blake2b, convert, ed25519};

use super::reply::Reply;
use super::request::SogsRequest;
use super::state::{State, Uid};

/// The timestamp window, seconds either side of the server clock.
const WINDOW_S: f64 = 86_400.0;

/// Python's lenient `base64.b64decode(validate=True)`: padding required, trailing bits
/// ignored.
const PY_BASE64: GeneralPurpose = GeneralPurpose::new(
    &STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical),
);

fn bad(reason: &str) -> Reply {
    Reply::text(400, format!("Invalid authentication: {reason}"))
}

/// The user a request authenticates as: `Ok(None)` without any X-SOGS-* header, `Err` with
/// pysogs' answer when the headers are wrong.
pub(crate) fn authenticate(
    state: &mut State,
    request: &SogsRequest,
    now: f64,
) -> Result<Option<Uid>, Reply> {
    let [pubkey, nonce, timestamp, signature] = [
        "X-SOGS-Pubkey",
        "X-SOGS-Nonce",
        "X-SOGS-Timestamp",
        "X-SOGS-Signature",
    ]
    .map(|name| request.header(name).filter(|value| !value.is_empty()));
    let missing = [pubkey, nonce, timestamp, signature]
        .iter()
        .filter(|value| value.is_none())
        .count();
    if missing == 4 {
        return Ok(None);
    }
    let (Some(pubkey), Some(nonce), Some(timestamp), Some(signature)) =
        (pubkey, nonce, timestamp, signature)
    else {
        return Err(Reply::text(
            400,
            format!(
                "Invalid authentication headers: missing {missing}/4 required X-SOGS-* headers"
            ),
        ));
    };

    let pubkey: [u8; 33] = decode_hex_or_b64(pubkey)
        .ok_or_else(|| bad("X-SOGS-Pubkey is not a valid 66-hex digit id"))?;
    let prefix = pubkey[0];
    let allowed = prefix == 0x00 || prefix == 0x15 || (prefix == 0x25 && state.config.blind25);
    if !allowed {
        return Err(bad("X-SOGS-Pubkey must be 00- or 15- prefixed"));
    }
    let mut key = [0u8; 32];
    key.copy_from_slice(&pubkey[1..]);
    if !is_valid_point(&key) {
        return Err(bad("given X-SOGS-Pubkey is not a valid Ed25519 pubkey"));
    }
    let session_id = if prefix == 0x00 {
        if state.config.require_blind_keys {
            return Err(bad("this server requires the use of blinded ids"));
        }
        let x25519 = convert::ed25519_pk_to_x25519(&key)
            .map_err(|_| bad("given X-SOGS-Pubkey is not a valid Ed25519 pubkey"))?;
        format!("05{}", hex::encode(x25519))
    } else {
        format!("{prefix:02x}{}", hex::encode(key))
    };

    let nonce: [u8; 16] = decode_hex_or_b64(nonce)
        .ok_or_else(|| bad("X-SOGS-Nonce must be 16 bytes (encoded as base64 or hex)"))?;
    let signature: [u8; 64] =
        decode_hex_or_b64(signature).ok_or_else(|| bad("X-SOGS-Signature is not base64[88]"))?;
    let ts = parse_python_int(timestamp)
        .ok_or_else(|| bad("X-SOGS-Timestamp is not a valid timestamp"))?;
    #[allow(clippy::cast_precision_loss)] // a far-off timestamp is rejected either way
    let ts = ts as f64;
    if !(now - WINDOW_S <= ts && ts <= now + WINDOW_S) {
        return Err(Reply::text(
            425,
            "Invalid authentication: X-SOGS-Timestamp is too far from current time",
        ));
    }

    let uid = state.vivify(&session_id, now);
    let Some(user) = state.user_mut(uid) else {
        return Err(Reply::error_page(500));
    };
    if user.banned {
        // The ban is checked before the signature, as pysogs does.
        return Err(Reply::text(403, "Banned"));
    }
    if !user.nonces.insert(nonce) {
        return Err(Reply::text(
            425,
            "Invalid authentication: X-SOGS-Nonce cannot be reused",
        ));
    }

    let message = signed_message(&state.server_pk, &nonce, timestamp, request);
    if ed25519::verify(&signature, &key, &message).is_err() {
        return Err(Reply::text(
            401,
            "Invalid authentication: X-SOGS-Signature verification failed",
        ));
    }
    if let Some(user) = state.user_mut(uid) {
        user.last_active = now;
    }
    Ok(Some(uid))
}

/// The bytes an X-SOGS signature covers.
pub(crate) fn signed_message(
    server_pk: &[u8; 32],
    nonce: &[u8; 16],
    timestamp: &str,
    request: &SogsRequest,
) -> Vec<u8> {
    let mut message = Vec::with_capacity(200);
    message.extend_from_slice(server_pk);
    message.extend_from_slice(nonce);
    message.extend_from_slice(timestamp.as_bytes());
    message.extend_from_slice(request.method.as_bytes());
    message.extend_from_slice(request.path.as_bytes());
    if !request.query.is_empty() {
        message.push(b'?');
        message.extend_from_slice(request.query.as_bytes());
    }
    if !request.body.is_empty() {
        message.extend_from_slice(&blake2b::hash::<64>(&[&request.body]));
    }
    message
}

/// libsodium's `crypto_core_ed25519_is_valid_point`: a canonical encoding of a point in the
/// prime-order subgroup that is not of small order.
pub(crate) fn is_valid_point(bytes: &[u8; 32]) -> bool {
    CompressedEdwardsY(*bytes)
        .decompress()
        .is_some_and(|point| {
            point.compress().to_bytes() == *bytes
                && !point.is_small_order()
                && point.is_torsion_free()
        })
}

/// pysogs' `decode_hex_or_b64(value, N)`: exactly `2N` hex digits, or base64 of `N` bytes
/// with or without its padding.
pub(crate) fn decode_hex_or_b64<const N: usize>(value: &str) -> Option<[u8; N]> {
    let mut out = [0u8; N];
    if value.len() == 2 * N {
        return hex::decode_to_slice(value, &mut out).ok().map(|()| out);
    }
    let padded_len = N.div_ceil(3) * 4;
    let unpadded_len = (N * 4).div_ceil(3);
    if !(unpadded_len..=padded_len).contains(&value.len()) {
        return None;
    }
    let decoded = decode_base64(value)?;
    (decoded.len() == N).then(|| {
        out.copy_from_slice(&decoded);
        out
    })
}

/// pysogs' `decode_base64`: pads unpadded input, then decodes strictly.
pub(crate) fn decode_base64(value: &str) -> Option<Vec<u8>> {
    let mut text = value.to_owned();
    if (2..=3).contains(&(text.len() % 4)) && !text.ends_with('=') {
        text.push_str(&"=".repeat(4 - text.len() % 4));
    }
    PY_BASE64.decode(text).ok()
}

/// Python's `int(text)` for a decimal string: surrounding whitespace, a sign and single
/// underscores between digits allowed. Out-of-range values saturate.
fn parse_python_int(text: &str) -> Option<i128> {
    let text = text.trim();
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
        || !digits.bytes().all(|b| b.is_ascii_digit() || b == b'_')
    {
        return None;
    }
    let mut value: i128 = 0;
    for byte in digits.bytes().filter(u8::is_ascii_digit) {
        value = value
            .saturating_mul(10)
            .saturating_add(i128::from(byte - b'0'));
    }
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_decoding_rules() {
        let nonce = [7u8; 16];
        let padded = base64::engine::general_purpose::STANDARD.encode(nonce);
        assert_eq!(decode_hex_or_b64::<16>(&padded), Some(nonce));
        assert_eq!(
            decode_hex_or_b64::<16>(padded.trim_end_matches('=')),
            Some(nonce)
        );
        assert_eq!(decode_hex_or_b64::<16>(&padded[..padded.len() - 1]), None);
        assert_eq!(decode_hex_or_b64::<16>(&format!("{padded}=")), None);
        assert_eq!(decode_hex_or_b64::<16>(&hex::encode(nonce)), Some(nonce));
        assert_eq!(parse_python_int(" +1_000 "), Some(1000));
        assert_eq!(parse_python_int("12a"), None);
    }
}
