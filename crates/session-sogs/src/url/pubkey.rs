//! The `public_key` of a room URL in the three encodings libsession accepts: 64 hex
//! digits (any case), base64 (43 or 44 characters) and base32z (52 characters).

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};

use crate::error::{Error, Result};

/// z-base-32's alphabet, in value order.
const BASE32Z: &[u8; 32] = b"ybndrfg8ejkmcpqxot1uwisza345h769";

/// Decodes a server key written as hex, base64 or base32z.
pub(crate) fn decode_server_key(text: &str) -> Result<[u8; 32]> {
    let bytes = match text.len() {
        64 => hex::decode(text).ok(),
        43 | 44 => [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
            .iter()
            .find_map(|engine| engine.decode(text).ok()),
        52 => decode_base32z(text),
        _ => None,
    };
    bytes
        .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
        .ok_or_else(|| Error::Url("public_key is not 32 bytes of hex, base64 or base32z".into()))
}

/// z-base-32 to bytes (case-insensitive); trailing bits that do not fill a byte must be
/// zero, so every key has one spelling.
fn decode_base32z(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let value = BASE32Z.iter().position(|&a| a == c.to_ascii_lowercase())?;
        acc = (acc << 5) | u32::try_from(value).ok()?;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).ok()?);
        }
        acc &= (1 << bits) - 1;
    }
    (acc == 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_encodings_agree() {
        let want = hex::decode("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
            .unwrap();
        for text in [
            "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
            "ASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4mrze8",
            "ASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4mrze8=",
            "yrtwk3hjixg66yjdeiuauk6p7hy1gtm8tgih55abrpnsxnpm3zzo",
        ] {
            assert_eq!(decode_server_key(text).unwrap().as_slice(), want, "{text}");
        }
    }

    #[test]
    fn rejects_other_lengths_and_alphabets() {
        for text in ["", "00", &"g".repeat(64), &"!".repeat(52), &"l".repeat(52)] {
            assert!(decode_server_key(text).is_err(), "{text}");
        }
    }
}
