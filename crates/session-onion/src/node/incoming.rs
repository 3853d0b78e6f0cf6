//! An onion as a node receives it: `u32(N) ‖ ciphertext ‖ {"ephemeral_key", "enc_type"?}`
//! (from the client at the guard, from the previous hop, or at a server from the last hop,
//! whose JSON also names the host and target).

use rand_core::CryptoRng;
use serde_json::Value;
use session_crypto::X25519Secret;

use super::fields::{decode_key, enc_type_of};
use super::next::{Control, Next};
use super::reply::node_reply_plaintext;
use crate::channel::ChannelKey;
use crate::enc_type::EncType;
use crate::error::{Error, Result};
use crate::frame::Frame;

/// The clear part of an onion arriving at a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncomingOnion<'a> {
    /// The layer encrypted to this node.
    pub ciphertext: &'a [u8],
    /// The client's ephemeral key for this layer.
    pub ephemeral_key: [u8; 32],
    /// The layer's enc type (AES-GCM when the JSON does not say).
    pub enc_type: EncType,
}

impl<'a> IncomingOnion<'a> {
    /// Parses the framing and JSON. The key may be hex or base64, as libsession accepts.
    pub fn parse(body: &'a [u8]) -> Result<Self> {
        let frame = Frame::parse(body)?;
        let Ok(Value::Object(json)) = serde_json::from_slice::<Value>(frame.json) else {
            return Err(Error::Json("onion metadata is not a JSON object"));
        };
        let ephemeral_key = json
            .get("ephemeral_key")
            .and_then(Value::as_str)
            .and_then(decode_key)
            .ok_or(Error::Json("missing or invalid ephemeral_key"))?;
        let enc_type = enc_type_of(&json)?;
        Ok(Self {
            ciphertext: frame.blob,
            ephemeral_key,
            enc_type,
        })
    }
}

/// One opened layer: its plaintext and the key that encrypts this node's answer.
pub struct Layer {
    plaintext: Vec<u8>,
    reply_key: ChannelKey,
}

/// Opens the layer addressed to the node whose X25519 secret is `secret`.
///
/// Errors here are the node's plain-text 400s: [`Error::Frame`]/[`Error::Json`] ("Error
/// parsing onion request") and [`Error::DecryptionFailed`] ("Invalid ciphertext").
pub fn peel(secret: &X25519Secret, body: &[u8]) -> Result<Layer> {
    let onion = IncomingOnion::parse(body)?;
    let reply_key = ChannelKey::for_node(onion.enc_type, secret, &onion.ephemeral_key)?;
    let plaintext = reply_key.decrypt(onion.ciphertext)?;
    Ok(Layer {
        plaintext,
        reply_key,
    })
}

impl core::fmt::Debug for Layer {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // The plaintext is someone's request: its length is all a log needs.
        f.debug_struct("Layer")
            .field("plaintext_len", &self.plaintext.len())
            .field("reply_key", &self.reply_key)
            .finish()
    }
}

impl Layer {
    /// The decrypted layer.
    pub fn plaintext(&self) -> &[u8] {
        &self.plaintext
    }

    /// The key of this layer, which encrypts the answer.
    pub const fn reply_key(&self) -> &ChannelKey {
        &self.reply_key
    }

    /// What the layer asks for; a failure here is answered with [`Self::reply`] and status
    /// 400 `Invalid json`, as the storage server does.
    pub fn next(&self) -> Result<Next> {
        Next::from_plaintext(&self.plaintext)
    }

    /// Encrypts a final node's answer `{"body", "status"}` with this layer's key, in base64
    /// unless `control` says otherwise.
    pub fn reply<R: CryptoRng + ?Sized>(
        &self,
        status: u16,
        body: &str,
        control: Control,
        rng: &mut R,
    ) -> Result<Vec<u8>> {
        let plaintext = node_reply_plaintext(status, body, control.json);
        let sealed = self.reply_key.encrypt(rng, &plaintext)?;
        Ok(if control.base64 {
            use base64::Engine;
            base64::engine::general_purpose::STANDARD
                .encode(sealed)
                .into_bytes()
        } else {
            sealed
        })
    }
}
