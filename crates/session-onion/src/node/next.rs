//! What a decrypted layer asks of its node (the storage server's `process_inner_request`).

use serde_json::Value;

use super::fields::{decode_key, enc_type_of};
use crate::destination::Scheme;
use crate::enc_type::EncType;
use crate::error::{Error, Result};
use crate::frame::Frame;

/// Flags of the final node's control JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Control {
    /// Embed the RPC body in the answer as a JSON object instead of a JSON string.
    pub json: bool,
    /// Send the encrypted answer in base64 (the default) rather than raw.
    pub base64: bool,
}

impl Default for Control {
    fn default() -> Self {
        Self {
            json: false,
            base64: true,
        }
    }
}

/// Where a layer goes next.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Next {
    /// This node is the destination: run `request` (a JSON-RPC body) and answer with
    /// [`super::Layer::reply`].
    Deliver {
        /// The RPC body.
        request: Vec<u8>,
        /// How to shape the answer.
        control: Control,
    },
    /// Pass `ciphertext` on to the node named `destination`.
    Relay {
        /// The next node's Ed25519 key.
        destination: [u8; 32],
        /// The next layer's ephemeral key.
        ephemeral_key: [u8; 32],
        /// The next layer's enc type.
        enc_type: EncType,
        /// The next layer.
        ciphertext: Vec<u8>,
    },
    /// POST `payload` (this layer's whole plaintext) to `protocol://host:port target`, and
    /// return the server's answer unchanged.
    Server {
        /// Host name or address.
        host: String,
        /// Port (443 when absent).
        port: u16,
        /// HTTP or HTTPS (HTTPS when absent).
        protocol: Scheme,
        /// The path, normally `/oxen/v4/lsrpc`; check it with [`is_allowed_target`].
        target: String,
        /// The bytes to POST.
        payload: Vec<u8>,
    },
}

impl Next {
    /// Reads a decrypted layer: `u32(N) ‖ N bytes ‖ JSON`. A `"headers"` key (any value) makes
    /// this node the destination; else `"host"` means a server; else `"destination"` and
    /// `"ephemeral_key"` mean another node.
    pub fn from_plaintext(plaintext: &[u8]) -> Result<Self> {
        let frame = Frame::parse(plaintext)?;
        let Ok(Value::Object(json)) = serde_json::from_slice::<Value>(frame.json) else {
            return Err(Error::Json("layer JSON is not an object"));
        };
        if json.contains_key("headers") {
            let flag = |key: &str, default: bool| {
                json.get(key).and_then(Value::as_bool).unwrap_or(default)
            };
            return Ok(Self::Deliver {
                request: frame.blob.to_vec(),
                control: Control {
                    json: flag("json", false),
                    base64: flag("base64", true),
                },
            });
        }
        if let Some(host) = json.get("host") {
            let host = host.as_str().ok_or(Error::Json("host is not a string"))?;
            let target = json
                .get("target")
                .and_then(Value::as_str)
                .ok_or(Error::Json("missing target"))?;
            let protocol = match json.get("protocol") {
                None => Scheme::Https,
                Some(value) => match value.as_str() {
                    Some("https") => Scheme::Https,
                    Some("http") => Scheme::Http,
                    _ => return Err(Error::Json("protocol must be http or https")),
                },
            };
            let port = match json.get("port") {
                None => protocol.default_port(),
                Some(port) => port
                    .as_u64()
                    .and_then(|port| u16::try_from(port).ok())
                    .ok_or(Error::Json("port is not a number in 0..=65535"))?,
            };
            return Ok(Self::Server {
                host: host.to_owned(),
                port,
                protocol,
                target: target.to_owned(),
                payload: plaintext.to_vec(),
            });
        }
        let destination = json
            .get("destination")
            .and_then(Value::as_str)
            .and_then(|text| {
                let mut key = [0u8; 32];
                hex::decode_to_slice(text, &mut key).ok().map(|()| key)
            })
            .ok_or(Error::Json("missing or invalid destination"))?;
        let ephemeral_key = json
            .get("ephemeral_key")
            .and_then(Value::as_str)
            .and_then(decode_key)
            .ok_or(Error::Json("missing or invalid ephemeral_key"))?;
        Ok(Self::Relay {
            destination,
            ephemeral_key,
            enc_type: enc_type_of(&json)?,
            ciphertext: frame.blob.to_vec(),
        })
    }

    /// For [`Next::Relay`]: the body to send the next node (`u32(N) ‖ ciphertext ‖
    /// {"enc_type","ephemeral_key"}`, what its `/onion_req/v2` takes). `None` otherwise.
    pub fn relay_body(&self) -> Option<Vec<u8>> {
        let Self::Relay {
            ephemeral_key,
            enc_type,
            ciphertext,
            ..
        } = self
        else {
            return None;
        };
        let json = crate::routing::outer(*enc_type, ephemeral_key);
        Frame::encode(ciphertext, &json).ok()
    }
}

/// Whether a node proxies to `target`: `/loki/…/lsrpc` or `/oxen/…/lsrpc`, with no query.
pub fn is_allowed_target(target: &str) -> bool {
    (target.starts_with("/loki/") || target.starts_with("/oxen/"))
        && target.ends_with("/lsrpc")
        && !target.contains('?')
}
