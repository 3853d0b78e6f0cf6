//! The methods that are not bound to an account's swarm (`storage-server.md` §6.3–6.5):
//! `info`, `get_swarm` and the `oxend_request` proxy to the node's oxend.

use serde_json::{Map, Value, json};

use super::auth;
use super::params::{self, ParseError, Parsed};
use super::reply::{self, RpcReply};
use crate::account::AccountId;
use crate::network::Network;
use crate::node::{Node, VERSION};

/// `info`: the version and the node's time.
pub(crate) fn handle_info(node: &Node) -> RpcReply {
    let now = node.clock().now_ms();
    reply::ok_stamped(json!({"version": VERSION, "timestamp": now}), now)
}

/// Parses `get_swarm` params: `pubkey` or `pubKey`.
pub(crate) fn parse_get_swarm(params: &Map<String, Value>) -> Parsed<AccountId> {
    let pubkey_alias = params::string(params, "pubKey")?;
    let pubkey = params::string(params, "pubkey")?;
    let pubkey = params::one_of_alias("pubkey", pubkey, "pubKey", pubkey_alias)?;
    auth::account_from_text(pubkey)
        .ok_or_else(|| ParseError::new("Pubkey must be 66 hex digits/33 bytes long"))
}

/// `get_swarm`: the swarm of any account (never a 421).
pub(crate) fn handle_get_swarm(network: &Network, node: &Node, account: &AccountId) -> RpcReply {
    reply::ok_stamped(network.swarm_json(account), node.clock().now_ms())
}

/// The oxend endpoints a client may reach through a node.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum OxendRequest {
    /// `get_service_nodes`, with its params.
    GetServiceNodes(Option<Value>),
    /// `ons_resolve`, with its params.
    OnsResolve(Option<Value>),
}

/// Parses `oxend_request` params.
pub(crate) fn parse_oxend(params: &Map<String, Value>) -> Parsed<OxendRequest> {
    let endpoint = params::require("endpoint", params::string(params, "endpoint")?)?;
    let oxend_params = params
        .get("params")
        .filter(|value| !value.is_null())
        .cloned();
    match endpoint {
        "get_service_nodes" => Ok(OxendRequest::GetServiceNodes(oxend_params)),
        "ons_resolve" => Ok(OxendRequest::OnsResolve(oxend_params)),
        other => Err(ParseError(format!("Invalid oxend endpoint '{other}'"))),
    }
}

/// oxend's `fields`: a list of names, or the legacy dict of name → `true`.
fn requested_fields(oxend_params: Option<&Value>) -> Result<Option<Vec<String>>, String> {
    let Some(fields) = oxend_params.and_then(|params| params.get("fields")) else {
        return Ok(None);
    };
    match fields {
        Value::Null => Ok(None),
        Value::Array(names) => names
            .iter()
            .map(|name| {
                name.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| "Invalid fields: expected a list of field names".to_owned())
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Value::Object(flags) => flags
            .iter()
            .filter_map(|(name, wanted)| match wanted {
                Value::Bool(true) => Some(Ok(name.clone())),
                Value::Bool(false) => None,
                _ => Some(Err(format!(
                    "Invalid value for field '{name}': expected boolean"
                ))),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        _ => Err("Invalid fields: expected a list or dict of field names".to_owned()),
    }
}

/// Whether `text` names a 32-byte ONS name hash (64 hex digits or 43/44 base64 characters).
fn is_name_hash(text: &str) -> bool {
    (text.len() == 64 && text.bytes().all(|byte| byte.is_ascii_hexdigit()))
        || ((text.len() == 43 || (text.len() == 44 && text.ends_with('=')))
            && super::encoding::is_base64(text))
}

/// Runs `oxend_request`: the network's own service-node list for `get_service_nodes`; no ONS
/// names are registered, so `ons_resolve` finds nothing.
pub(crate) fn handle_oxend(network: &Network, node: &Node, request: &OxendRequest) -> RpcReply {
    let now = node.clock().now_ms();
    match request {
        OxendRequest::GetServiceNodes(oxend_params) => {
            if oxend_params
                .as_ref()
                .is_some_and(|params| !params.is_object())
            {
                return reply::text(400, "Invalid params: expected a JSON object");
            }
            match requested_fields(oxend_params.as_ref()) {
                Ok(fields) => reply::ok_stamped(
                    json!({"result": network.service_node_states(fields.as_deref())}),
                    now,
                ),
                Err(message) => reply::text(400, message),
            }
        }
        OxendRequest::OnsResolve(oxend_params) => {
            let name_hash = oxend_params
                .as_ref()
                .and_then(|params| params.get("name_hash"))
                .and_then(Value::as_str);
            match name_hash {
                Some(hash) if is_name_hash(hash) => {
                    // oxend answers an unknown name with an empty result (no encrypted_value).
                    reply::ok_stamped(json!({"result": {}}), now)
                }
                _ => reply::text(
                    400,
                    "Invalid name_hash: expected hash as 64 hex digits or 43/44 base64 characters",
                ),
            }
        }
    }
}
