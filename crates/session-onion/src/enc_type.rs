//! The two hop encryptions and their names on the wire.

use core::fmt;
use core::str::FromStr;

/// How one onion layer is encrypted, named by the `enc_type` routing field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum EncType {
    /// AES-256-GCM with a 12-byte IV; what a node assumes when `enc_type` is absent.
    AesGcm,
    /// XChaCha20-Poly1305 with a 24-byte nonce; what libsession's builder sends by default.
    #[default]
    XChaCha20,
}

impl EncType {
    /// The canonical wire name: `"aes-gcm"` or `"xchacha20"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::AesGcm => "aes-gcm",
            Self::XChaCha20 => "xchacha20",
        }
    }

    /// Parses a wire name, accepting the aliases `"gcm"` and `"xchacha20-poly1305"`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "aes-gcm" | "gcm" => Some(Self::AesGcm),
            "xchacha20" | "xchacha20-poly1305" => Some(Self::XChaCha20),
            _ => None,
        }
    }

    /// Nonce (IV) length at the front of a ciphertext.
    pub const fn nonce_len(self) -> usize {
        match self {
            Self::AesGcm => session_crypto::aead::AES_GCM_NONCE_LEN,
            Self::XChaCha20 => session_crypto::aead::XCHACHA_NONCE_LEN,
        }
    }

    /// Bytes a layer adds to its plaintext: nonce and tag.
    pub const fn overhead(self) -> usize {
        self.nonce_len() + session_crypto::aead::TAG_LEN
    }
}

impl fmt::Display for EncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An `enc_type` name that is neither AES-GCM nor XChaCha20.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown enc_type (expected aes-gcm, gcm, xchacha20 or xchacha20-poly1305)")]
pub struct UnknownEncType;

impl FromStr for EncType {
    type Err = UnknownEncType;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::from_name(name).ok_or(UnknownEncType)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_aliases() {
        for (name, enc) in [
            ("aes-gcm", EncType::AesGcm),
            ("gcm", EncType::AesGcm),
            ("xchacha20", EncType::XChaCha20),
            ("xchacha20-poly1305", EncType::XChaCha20),
        ] {
            assert_eq!(name.parse::<EncType>(), Ok(enc));
        }
        assert_eq!("aes-cbc".parse::<EncType>(), Err(UnknownEncType));
        assert_eq!(EncType::default().as_str(), "xchacha20");
        assert_eq!(EncType::AesGcm.overhead(), 28);
        assert_eq!(EncType::XChaCha20.overhead(), 40);
    }
}
