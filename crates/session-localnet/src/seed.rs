//! The seed endpoint (`https://seedN.getsession.org/json_rpc` on the real network): oxend's
//! JSON-RPC 2.0 `get_n_service_nodes` (aliases `get_service_nodes`,
//! `get_all_service_nodes`), with `fields`, `limit`, `active_only`, `service_node_pubkeys`
//! and `poll_block_hash`. Served over HTTPS with its own self-signed certificate, which a
//! client pins as Session Desktop pins the real seeds'.
//!
//! Errors are JSON-RPC error objects with the standard codes (-32700 parse error, -32600
//! invalid request, -32601 method not found, -32602 invalid params), sent with HTTP 200.

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use hyper::{Method, Request, Response};
use rand_core::{Rng, UnwrapErr};
use serde_json::{Map, Value, json};

use crate::http::{Handler, json_reply, text_reply};
use crate::network::Network;

/// Serves the network's node list.
#[derive(Debug)]
pub(crate) struct SeedHandler {
    network: Arc<Network>,
}

/// A JSON-RPC error: code and message.
type RpcError = (i64, &'static str);

const PARSE_ERROR: RpcError = (-32700, "Parse error");
const INVALID_REQUEST: RpcError = (-32600, "Invalid Request");
const METHOD_NOT_FOUND: RpcError = (-32601, "Method not found");
const INVALID_PARAMS: RpcError = (-32602, "Invalid params");

/// What `get_service_nodes` was asked for.
#[derive(Debug, Default)]
struct Query {
    fields: Option<Vec<String>>,
    limit: i64,
    pubkeys: Option<Vec<String>>,
    poll_block_hash: Option<String>,
}

impl SeedHandler {
    /// The seed of `network`.
    pub(crate) const fn new(network: Arc<Network>) -> Self {
        Self { network }
    }

    /// The JSON-RPC answer to `body`.
    fn answer(&self, body: &[u8]) -> Value {
        let Ok(request) = serde_json::from_slice::<Value>(body) else {
            return error(&Value::Null, PARSE_ERROR);
        };
        let id = request.get("id").cloned().unwrap_or(Value::Null);
        let Some(method) = request.get("method").and_then(Value::as_str) else {
            return error(&id, INVALID_REQUEST);
        };
        if !matches!(
            method,
            "get_n_service_nodes" | "get_service_nodes" | "get_all_service_nodes"
        ) {
            return error(&id, METHOD_NOT_FOUND);
        }
        let query = match request.get("params") {
            None | Some(Value::Null) => Query::default(),
            Some(Value::Object(params)) => match parse_query(params) {
                Some(query) => query,
                None => return error(&id, INVALID_PARAMS),
            },
            Some(_) => return error(&id, INVALID_PARAMS),
        };
        json!({"jsonrpc": "2.0", "id": id, "result": self.result(&query)})
    }

    fn result(&self, query: &Query) -> Value {
        let mut result = self.network.service_node_states(query.fields.as_deref());
        let unchanged = query
            .poll_block_hash
            .as_deref()
            .is_some_and(|hash| Some(hash) == result.get("block_hash").and_then(Value::as_str));
        let Value::Object(map) = &mut result else {
            return result;
        };
        if unchanged {
            // oxend's answer to a poll for the block it is on: no states, `unchanged`.
            map.remove("service_node_states");
            map.insert("unchanged".to_owned(), Value::Bool(true));
            return result;
        }
        let Some(Value::Array(states)) = map.get_mut("service_node_states") else {
            return result;
        };
        // The states come in node order, so the node list says which is which even when
        // `fields` left the key out. Every node here is funded and active, so
        // `active_only` keeps them all.
        let nodes = self.network.nodes();
        let mut chosen: Vec<Value> = states
            .drain(..)
            .zip(nodes)
            .filter(|(_, node)| {
                query.pubkeys.as_ref().is_none_or(|keys| {
                    let key = hex::encode(node.legacy_pubkey());
                    keys.iter().any(|wanted| wanted.eq_ignore_ascii_case(&key))
                })
            })
            .map(|(state, _)| state)
            .collect();
        if query.limit != 0 {
            shuffle(&mut chosen);
            if let Ok(limit) = usize::try_from(query.limit) {
                chosen.truncate(limit);
            }
        }
        *states = chosen;
        result
    }
}

/// Reads the params; `None` when a field has the wrong type.
fn parse_query(params: &Map<String, Value>) -> Option<Query> {
    let fields = match params.get("fields") {
        None | Some(Value::Null) => None,
        // The legacy form: `{"name": true, ...}`.
        Some(Value::Object(fields)) => Some(
            fields
                .iter()
                .filter(|(_, wanted)| wanted.as_bool() == Some(true))
                .map(|(name, _)| name.clone())
                .collect(),
        ),
        Some(Value::Array(fields)) => Some(
            fields
                .iter()
                .map(|name| name.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()?,
        ),
        Some(_) => return None,
    };
    let limit = match params.get("limit") {
        None | Some(Value::Null) => 0,
        Some(limit) => limit.as_i64()?,
    };
    match params.get("active_only") {
        None | Some(Value::Null | Value::Bool(_)) => {}
        Some(_) => return None,
    }
    let pubkeys = match params.get("service_node_pubkeys") {
        None | Some(Value::Null) => None,
        Some(Value::Array(keys)) => Some(
            keys.iter()
                .map(|key| key.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()?,
        ),
        Some(_) => return None,
    };
    let poll_block_hash = match params.get("poll_block_hash") {
        None | Some(Value::Null) => None,
        Some(hash) => Some(hash.as_str()?.to_owned()),
    };
    Some(Query {
        fields,
        limit,
        pubkeys: pubkeys.filter(|keys| !keys.is_empty()),
        poll_block_hash,
    })
}

/// Fisher–Yates with the system RNG (oxend shuffles with its own; no seed to keep).
fn shuffle(values: &mut [Value]) {
    let mut rng = UnwrapErr(getrandom::SysRng);
    for i in (1..values.len()).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        values.swap(i, j);
    }
}

fn error(id: &Value, (code, message): RpcError) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

impl Handler for SeedHandler {
    async fn handle(&self, request: Request<Bytes>, _peer: SocketAddr) -> Option<Response<Bytes>> {
        if request.method() != Method::POST || request.uri().path() != "/json_rpc" {
            return Some(text_reply(404, "Not Found"));
        }
        Some(json_reply(200, &self.answer(request.body())))
    }
}

#[cfg(test)]
mod tests;
