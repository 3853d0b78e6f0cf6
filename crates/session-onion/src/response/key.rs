//! The key that opens the destination's answer, kept from building the request so that
//! decrypting costs one AEAD pass and no Diffie-Hellman.

use crate::channel::ChannelKey;
use crate::enc_type::EncType;
use crate::error::{Error, Result};

/// Opens the one encryption layer of a response (hops pass the destination's answer back
/// unchanged).
///
/// For an XChaCha20 request it also holds the AES-GCM key of the same agreement: some older
/// servers answer in AES-GCM whatever was asked, and libsession retries that way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseKey {
    primary: ChannelKey,
    fallback: Option<ChannelKey>,
}

impl ResponseKey {
    /// Holds `primary` and, if given, the AES-GCM `fallback`.
    pub const fn new(primary: ChannelKey, fallback: Option<ChannelKey>) -> Self {
        Self { primary, fallback }
    }

    /// The key of the request's own enc type.
    pub const fn primary(&self) -> &ChannelKey {
        &self.primary
    }

    /// The request's enc type.
    pub const fn enc_type(&self) -> EncType {
        self.primary.enc_type()
    }

    /// Decrypts `nonce || ciphertext || tag`, trying the AES-GCM fallback if the primary key
    /// fails.
    pub fn decrypt(&self, sealed: &[u8]) -> Result<Vec<u8>> {
        match self.primary.decrypt(sealed) {
            Ok(plaintext) => Ok(plaintext),
            Err(primary_error) => match &self.fallback {
                Some(fallback) => fallback
                    .decrypt(sealed)
                    .map_err(|_| Error::DecryptionFailed),
                None => Err(primary_error),
            },
        }
    }
}
