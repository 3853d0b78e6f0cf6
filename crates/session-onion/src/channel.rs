//! Hop ("channel") encryption: the key both ends of one onion layer derive, and the
//! `nonce || ciphertext || tag` layout of every layer and reply.
//!
//! | enc type | key | wire |
//! |---|---|---|
//! | AES-GCM | `HMAC-SHA256(key = "LOKI", msg = X25519)` | `iv(12) ‖ ct ‖ tag(16)` |
//! | XChaCha20 | `BLAKE2b-256(X25519 ‖ client_pk ‖ node_pk)` | `nonce(24) ‖ ct ‖ tag(16)` |
//!
//! The client's (request originator's) public key always comes first in the XChaCha20 key, on
//! both ends and in both directions, so a client cannot read another client's layer.

use core::ops::Range;

use hmac::{Hmac, KeyInit, Mac};
use rand_core::CryptoRng;
use session_crypto::aead::{self, AES_GCM_NONCE_LEN, TAG_LEN, XCHACHA_NONCE_LEN};
use session_crypto::{SharedSecret, SymmetricKey, X25519Secret, blake2b};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::enc_type::EncType;
use crate::error::{Error, Result};

/// The symmetric key of one hop, for one enc type.
#[derive(Clone, PartialEq, Eq)]
pub struct ChannelKey {
    enc_type: EncType,
    key: SymmetricKey,
}

impl core::fmt::Debug for ChannelKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ChannelKey")
            .field("enc_type", &self.enc_type)
            .finish_non_exhaustive()
    }
}

impl ChannelKey {
    /// Derives the key from an X25519 result and both public keys.
    pub fn derive(
        enc_type: EncType,
        shared: &SharedSecret,
        client_public: &[u8; 32],
        node_public: &[u8; 32],
    ) -> Self {
        let mut key = Zeroizing::new([0u8; 32]);
        match enc_type {
            EncType::AesGcm => {
                let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(b"LOKI")
                    .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
                mac.update(shared.expose_secret());
                key.copy_from_slice(&mac.finalize().into_bytes());
            }
            EncType::XChaCha20 => {
                *key = blake2b::hash::<32>(&[shared.expose_secret(), client_public, node_public]);
            }
        }
        Self {
            enc_type,
            key: SymmetricKey::from_bytes(*key),
        }
    }

    /// The client's side: our `secret`, the node's public key.
    pub fn for_client(
        enc_type: EncType,
        secret: &X25519Secret,
        node_public: &[u8; 32],
    ) -> Result<Self> {
        let shared = secret.diffie_hellman(node_public)?;
        Ok(Self::derive(
            enc_type,
            &shared,
            &secret.public_key(),
            node_public,
        ))
    }

    /// The node's (or destination server's) side: its `secret`, the client's ephemeral key.
    pub fn for_node(
        enc_type: EncType,
        secret: &X25519Secret,
        client_public: &[u8; 32],
    ) -> Result<Self> {
        let shared = secret.diffie_hellman(client_public)?;
        Ok(Self::derive(
            enc_type,
            &shared,
            client_public,
            &secret.public_key(),
        ))
    }

    /// The layer's enc type.
    pub const fn enc_type(&self) -> EncType {
        self.enc_type
    }

    /// The key bytes (the CLI prints them so a response can be decrypted later); keep the borrow
    /// short and never log it.
    pub const fn expose_secret(&self) -> &[u8; 32] {
        self.key.expose_secret()
    }

    /// Rebuilds a key from [`Self::expose_secret`]'s bytes.
    pub const fn from_bytes(enc_type: EncType, key: [u8; 32]) -> Self {
        Self {
            enc_type,
            key: SymmetricKey::from_bytes(key),
        }
    }

    /// `nonce || ciphertext || tag` of `plaintext` under a fresh random nonce.
    pub fn encrypt<R: CryptoRng + ?Sized>(&self, rng: &mut R, plaintext: &[u8]) -> Result<Vec<u8>> {
        let mut sealed = vec![0u8; self.enc_type.overhead() + plaintext.len()];
        let nonce_len = self.enc_type.nonce_len();
        sealed[nonce_len..nonce_len + plaintext.len()].copy_from_slice(plaintext);
        self.seal_in_place(rng, &mut sealed)?;
        Ok(sealed)
    }

    /// Encrypts in place: `buffer` is `nonce room || plaintext || tag room` and ends up
    /// `nonce || ciphertext || tag`.
    pub fn seal_in_place<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        buffer: &mut [u8],
    ) -> Result<()> {
        let nonce_len = self.enc_type.nonce_len();
        let body_len = buffer
            .len()
            .checked_sub(nonce_len + TAG_LEN)
            .ok_or(Error::EncryptionFailed)?;
        let (nonce, rest) = buffer.split_at_mut(nonce_len);
        let (body, tag_room) = rest.split_at_mut(body_len);
        rng.fill_bytes(nonce);
        let tag = match self.enc_type {
            EncType::AesGcm => {
                let nonce: &[u8; AES_GCM_NONCE_LEN] = nonce_array(nonce)?;
                aead::aes256gcm_encrypt_detached(&self.key, nonce, b"", body)?
            }
            EncType::XChaCha20 => {
                let nonce: &[u8; XCHACHA_NONCE_LEN] = nonce_array(nonce)?;
                aead::xchacha20poly1305_encrypt_detached(&self.key, nonce, b"", body)?
            }
        };
        tag_room.copy_from_slice(&tag);
        Ok(())
    }

    /// Decrypts `nonce || ciphertext || tag` into a new buffer holding just the plaintext.
    pub fn decrypt(&self, sealed: &[u8]) -> Result<Vec<u8>> {
        let (nonce, body, tag) = self.split(sealed.len())?;
        let mut plaintext = sealed[body].to_vec();
        self.open_detached(&sealed[nonce], &mut plaintext, &sealed[tag])?;
        Ok(plaintext)
    }

    /// Decrypts `nonce || ciphertext || tag` where it lies and returns the plaintext, which is
    /// the middle of `buffer`.
    pub fn open_in_place<'b>(&self, buffer: &'b mut [u8]) -> Result<&'b mut [u8]> {
        let (nonce, body, tag) = self.split(buffer.len())?;
        let (head, tag_bytes) = buffer.split_at_mut(tag.start);
        let (nonce_bytes, plaintext) = head.split_at_mut(nonce.end);
        debug_assert_eq!(plaintext.len(), body.len());
        self.open_detached(nonce_bytes, plaintext, tag_bytes)?;
        Ok(plaintext)
    }

    /// The nonce, ciphertext and tag ranges of a sealed message of `len` bytes.
    fn split(&self, len: usize) -> Result<(Range<usize>, Range<usize>, Range<usize>)> {
        let nonce_len = self.enc_type.nonce_len();
        let tag_start = len
            .checked_sub(TAG_LEN)
            .filter(|&start| start >= nonce_len)
            .ok_or(Error::DecryptionFailed)?;
        Ok((0..nonce_len, nonce_len..tag_start, tag_start..len))
    }

    fn open_detached(&self, nonce: &[u8], body: &mut [u8], tag: &[u8]) -> Result<()> {
        let tag: &[u8; TAG_LEN] = tag.try_into().map_err(|_| Error::DecryptionFailed)?;
        match self.enc_type {
            EncType::AesGcm => {
                aead::aes256gcm_decrypt_detached(&self.key, nonce_array(nonce)?, b"", body, tag)?
            }
            EncType::XChaCha20 => aead::xchacha20poly1305_decrypt_detached(
                &self.key,
                nonce_array(nonce)?,
                b"",
                body,
                tag,
            )?,
        }
        Ok(())
    }
}

fn nonce_array<const N: usize>(nonce: &[u8]) -> Result<&[u8; N]> {
    nonce.try_into().map_err(|_| Error::DecryptionFailed)
}
