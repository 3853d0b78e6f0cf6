//! The routing JSON each layer carries, written exactly as libsession's builder writes it:
//! compact, keys sorted (field order below is alphabetical on purpose).

use serde::Serialize;

use crate::enc_type::EncType;

/// The v4 endpoint every onion to a server targets.
pub const V4_TARGET: &str = "/oxen/v4/lsrpc";

/// What the guard reads in the clear: `{"enc_type", "ephemeral_key"}`.
#[derive(Serialize)]
pub(crate) struct Outer<'a> {
    pub(crate) enc_type: &'a str,
    pub(crate) ephemeral_key: &'a str,
}

/// What a hop reads to forward to the next node (or the destination node).
#[derive(Serialize)]
pub(crate) struct ToNode<'a> {
    pub(crate) destination: &'a str,
    pub(crate) enc_type: &'a str,
    pub(crate) ephemeral_key: &'a str,
}

/// What the last hop reads to forward to a server.
#[derive(Serialize)]
pub(crate) struct ToServer<'a> {
    pub(crate) enc_type: &'a str,
    pub(crate) ephemeral_key: &'a str,
    pub(crate) host: &'a str,
    pub(crate) method: &'a str,
    pub(crate) port: u16,
    pub(crate) protocol: &'a str,
    pub(crate) target: &'a str,
}

/// The control JSON after a request body for a destination node.
pub(crate) const SNODE_CONTROL: &[u8] = br#"{"headers":""}"#;

pub(crate) fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    // Serialising these plain structs of strings and integers cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}

pub(crate) fn outer(enc_type: EncType, ephemeral_key: &[u8; 32]) -> Vec<u8> {
    to_json(&Outer {
        enc_type: enc_type.as_str(),
        ephemeral_key: &hex::encode(ephemeral_key),
    })
}

pub(crate) fn to_node(
    enc_type: EncType,
    destination: &[u8; 32],
    ephemeral_key: &[u8; 32],
) -> Vec<u8> {
    to_json(&ToNode {
        destination: &hex::encode(destination),
        enc_type: enc_type.as_str(),
        ephemeral_key: &hex::encode(ephemeral_key),
    })
}
