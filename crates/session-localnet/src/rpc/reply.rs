//! Building replies: text errors, JSON successes stamped with `t` and `hf`, and the swarm
//! object of a misdirected (421) request.

use serde_json::{Value, json};

use crate::account::AccountId;
use crate::network::Network;
use crate::node::{HARDFORK, Node};
use crate::storage::StorageError;

/// A reply's body: JSON (sent as `application/json`) or text (`text/plain`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ReplyBody {
    /// A JSON document, serialised compactly with sorted keys, as nlohmann's `dump()`.
    Json(Value),
    /// A plain-text message.
    Text(String),
}

/// The status and body of one RPC.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RpcReply {
    /// The HTTP status (inside an onion, the `status` of the answer).
    pub(crate) status: u16,
    /// The body.
    pub(crate) body: ReplyBody,
}

impl RpcReply {
    /// The body as it goes on the wire.
    pub(crate) fn body_text(&self) -> String {
        match &self.body {
            ReplyBody::Json(value) => value.to_string(),
            ReplyBody::Text(text) => text.clone(),
        }
    }

    /// The `Content-Type` of the body.
    pub(crate) const fn content_type(&self) -> &'static str {
        match self.body {
            ReplyBody::Json(_) => "application/json",
            ReplyBody::Text(_) => "text/plain",
        }
    }

    /// Whether the status is 2xx.
    pub(crate) const fn is_success(&self) -> bool {
        self.status >= 200 && self.status <= 299
    }
}

/// A plain-text reply.
pub(crate) fn text(status: u16, body: impl Into<String>) -> RpcReply {
    RpcReply {
        status,
        body: ReplyBody::Text(body.into()),
    }
}

/// A JSON reply as it is.
pub(crate) const fn json(status: u16, body: Value) -> RpcReply {
    RpcReply {
        status,
        body: ReplyBody::Json(body),
    }
}

/// Adds the `t` (server time, ms) and `hf` fields every successful JSON answer carries.
pub(crate) fn stamp(mut body: Value, now_ms: u64) -> Value {
    if let Value::Object(map) = &mut body {
        map.insert("t".to_owned(), json!(now_ms));
        map.insert("hf".to_owned(), json!(HARDFORK));
    }
    body
}

/// A 200 JSON reply stamped with `t` and `hf`.
pub(crate) fn ok_stamped(body: Value, now_ms: u64) -> RpcReply {
    json(200, stamp(body, now_ms))
}

/// `400 invalid request: …`.
pub(crate) fn invalid_request(detail: &str) -> RpcReply {
    text(400, format!("invalid request: {detail}"))
}

/// The 500 the server sends when a handler throws something that is not a parse error.
pub(crate) fn request_failed() -> RpcReply {
    text(500, "request failed")
}

/// The 421 for an account that this node's swarm does not hold: the right swarm, stamped.
pub(crate) fn wrong_swarm(network: &Network, node: &Node, account: &AccountId) -> RpcReply {
    json(
        421,
        stamp(network.swarm_json(account), node.clock().now_ms()),
    )
}

/// `Some(421)` unless `node` belongs to the swarm of `account`.
pub(crate) fn check_swarm(network: &Network, node: &Node, account: &AccountId) -> Option<RpcReply> {
    (network.swarm_of(account) != node.swarm_id()).then(|| wrong_swarm(network, node, account))
}

/// `Ok` if a signature verified; else the endpoint's 401 `failure` text, or `request failed`
/// when the revocation lookup itself failed (the server's uncaught database exception).
pub(crate) fn unless_verified(
    verified: Result<bool, StorageError>,
    failure: &str,
) -> Result<(), RpcReply> {
    match verified {
        Ok(true) => Ok(()),
        Ok(false) => Err(text(401, failure)),
        Err(_) => Err(request_failed()),
    }
}
