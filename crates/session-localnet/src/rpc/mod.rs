//! The storage RPC (`POST /storage_rpc/v1`, and the final hop of an onion): parse
//! `{"method", "params"}`, check swarm membership, time, TTL and signatures exactly as the
//! storage server does, act on the node's storage, and replicate recursive methods to the
//! other members of the swarm.
//!
//! Layers, lowest first: `encoding`, `namespace`, `timing`, `params`, `subaccount`, `join`,
//! `reply`; then `auth`, `message_hash`, `recursive`, `bulk`; then one file per method
//! family (`store`, `retrieve`, `delete`, `expire`, `revoke`, `info`) and the generic
//! `batch`; `dispatch` on top.

mod auth;
mod batch;
mod bulk;
mod delete;
mod dispatch;
mod encoding;
mod expire;
mod info;
mod join;
mod message_hash;
mod namespace;
mod params;
mod recursive;
mod reply;
mod retrieve;
mod revoke;
mod store;
mod subaccount;
mod timing;

#[cfg(test)]
mod tests;

use serde_json::Value;

pub(crate) use reply::{ReplyBody, RpcReply};

use crate::network::Network;
use crate::node::Node;

/// nlohmann's parser skips a UTF-8 byte-order mark; serde's does not.
const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// Runs one client request body (`{"method": …, "params": {…}}`) on `node`.
pub(crate) async fn handle_request(network: &Network, node: &Node, body: &[u8]) -> RpcReply {
    let body = body.strip_prefix(UTF8_BOM).unwrap_or(body);
    let Ok(request) = serde_json::from_slice::<Value>(body) else {
        return reply::text(400, "invalid json");
    };
    let Some(Value::String(method)) = request.get("method") else {
        return reply::text(400, "invalid json: no `method` field");
    };
    let Some(Value::Object(params)) = request.get("params") else {
        return reply::text(400, "invalid json: no `params` field");
    };
    match dispatch::parse(method, params) {
        None => reply::text(400, format!("no method {method}")),
        Some(Err(error)) => reply::invalid_request(&error.0),
        Some(Ok(parsed)) => dispatch::run(network, node, parsed).await,
    }
}
