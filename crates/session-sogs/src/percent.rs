//! Percent-encoding of path segments (reactions, filenames) and the decoding the server
//! applies to the path before it checks the signature.

/// Percent-encodes everything but RFC 3986's unreserved characters, so any string (an
/// emoji, a `/` inside a reaction) is one path segment.
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes as a URL router does; a `%` not followed by two hex digits stays
/// as it is.
pub(crate) fn decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for text in ["👍", "a/b", "plain", "100%", "é ?&#", ""] {
            let encoded = encode(text);
            assert!(!encoded.contains(['/', '?', '#', ' ']));
            assert_eq!(decode(&encoded), text.as_bytes());
        }
        assert_eq!(encode("👍"), "%F0%9F%91%8D");
    }

    #[test]
    fn leaves_broken_escapes() {
        assert_eq!(decode("%zz%4"), b"%zz%4");
        assert_eq!(decode("%41%"), b"A%");
    }
}
