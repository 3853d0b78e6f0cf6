//! The storage server's base64 and hex acceptance rules (oxenc's `is_base64`/`from_base64`),
//! which are looser than RFC 4648: either alphabet, optional padding, trailing bits ignored.

/// The 6-bit value of a base64 digit of either the standard or the URL-safe alphabet.
const fn digit_value(byte: u8) -> Option<u8> {
    match byte {
        b'A'..=b'Z' => Some(byte - b'A'),
        b'a'..=b'z' => Some(byte - b'a' + 26),
        b'0'..=b'9' => Some(byte - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    }
}

/// `text` without the one or two `=` that may close a length that is a multiple of four.
fn without_padding(text: &[u8]) -> &[u8] {
    if text.is_empty() || !text.len().is_multiple_of(4) {
        return text;
    }
    let mut end = text.len();
    for _ in 0..2 {
        if end > 0 && text[end - 1] == b'=' {
            end -= 1;
        }
    }
    &text[..end]
}

/// Whether the server would take `text` as base64: digits only (after at most two padding
/// characters that complete a multiple of four), and never a length of 4n+1.
pub(crate) fn is_base64(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() % 4 == 1 {
        return false;
    }
    without_padding(bytes)
        .iter()
        .all(|&byte| digit_value(byte).is_some())
}

/// Decodes text that passed [`is_base64`]; leftover bits of a final partial byte are dropped,
/// as the server's decoder drops them.
pub(crate) fn decode_base64(text: &str) -> Vec<u8> {
    let digits = without_padding(text.as_bytes());
    let mut out = Vec::with_capacity(digits.len() * 3 / 4);
    let mut accumulator: u32 = 0;
    let mut bits = 0u32;
    for value in digits.iter().filter_map(|&byte| digit_value(byte)) {
        accumulator = (accumulator << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((accumulator >> bits) & 0xff) as u8);
        }
    }
    out
}

/// Decodes base64 text that must give exactly `N` bytes.
pub(crate) fn decode_base64_array<const N: usize>(text: &str) -> Option<[u8; N]> {
    decode_base64(text).try_into().ok()
}

/// Padded standard base64, as the server writes signatures and message data.
pub(crate) fn encode_base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Unpadded standard base64, the form of message hashes.
pub(crate) fn encode_base64_unpadded(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes)
}

/// Whether every character is a hex digit (either case).
pub(crate) fn is_hex(text: &str) -> bool {
    text.len().is_multiple_of(2) && text.bytes().all(|byte| byte.is_ascii_hexdigit())
}

/// Decodes hex text that must give exactly `N` bytes.
pub(crate) fn decode_hex_array<const N: usize>(text: &str) -> Option<[u8; N]> {
    let mut out = [0u8; N];
    hex::decode_to_slice(text, &mut out).ok()?;
    Some(out)
}
