//! z-base-32, the alphabet of `.snode` addresses (`<base32z(legacy key)>.snode`).

const ALPHABET: &[u8; 32] = b"ybndrfg8ejkmcpqxot1uwisza345h769";

/// Encodes `bytes` in z-base-32 without padding, most significant bits first (oxenc's
/// `to_base32z`).
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity((bytes.len() * 8).div_ceil(5));
    let mut buffer: u32 = 0;
    let mut bits = 0u32;
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_answers() {
        // A 32-byte key is 52 characters; all-zero bytes are all 'y'.
        assert_eq!(super::encode(&[0u8; 32]), "y".repeat(52));
        assert_eq!(super::encode(&[0xff]), "9h");
    }
}
