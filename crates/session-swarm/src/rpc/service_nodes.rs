//! `oxend_request` with `get_service_nodes`: refresh the node pool from a storage node.

use serde_json::{Map, Value};

use crate::error::Result;
use crate::rpc::call::Call;
use crate::rpc::json::{self, malformed};
use crate::rpc::meta::Meta;
use crate::rpc::request::Request;

/// The fields the official clients ask for.
pub const CLIENT_FIELDS: [&str; 4] = [
    "public_ip",
    "storage_port",
    "pubkey_x25519",
    "pubkey_ed25519",
];

/// An `oxend_request` for `get_service_nodes`.
#[derive(Clone, Debug)]
pub struct GetServiceNodes {
    request: Request,
}

impl GetServiceNodes {
    /// Active nodes with `fields` (sent as `{name: true}`, as clients do).
    pub fn new(fields: &[&str]) -> Self {
        let fields: Map<String, Value> = fields
            .iter()
            .map(|field| ((*field).to_owned(), Value::Bool(true)))
            .collect();
        let mut inner = Map::new();
        inner.insert("active_only".to_owned(), true.into());
        inner.insert("fields".to_owned(), Value::Object(fields));
        let mut params = Map::new();
        params.insert("endpoint".to_owned(), "get_service_nodes".into());
        params.insert("params".to_owned(), Value::Object(inner));
        Self {
            request: Request::new("oxend_request", params),
        }
    }
}

/// One node of the list; every field is optional, as oxend omits unrequested ones and the
/// contact fields of nodes without an uptime proof.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ServiceNode {
    /// `pubkey_ed25519`.
    pub ed25519: Option<[u8; 32]>,
    /// `pubkey_x25519`.
    pub x25519: Option<[u8; 32]>,
    /// `public_ip` (`0.0.0.0` means unusable).
    pub public_ip: Option<String>,
    /// `storage_port` (HTTPS).
    pub storage_port: Option<u16>,
    /// `storage_lmq_port` (OxenMQ / QUIC).
    pub storage_lmq_port: Option<u16>,
    /// `swarm_id`.
    pub swarm_id: Option<u64>,
}

/// The answer: `result.service_node_states`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceNodes {
    /// The nodes.
    pub nodes: Vec<ServiceNode>,
    /// oxend's `height`, if given.
    pub height: Option<u64>,
    /// The node's clock and hard fork.
    pub meta: Meta,
}

impl Call for GetServiceNodes {
    type Output = ServiceNodes;

    fn request(&self) -> &Request {
        &self.request
    }

    fn parse(&self, body: &Value) -> Result<ServiceNodes> {
        let map = json::object(body, "oxend_request response")?;
        let result = json::object(json::field(map, "result")?, "result")?;
        let nodes = json::field(result, "service_node_states")?
            .as_array()
            .ok_or_else(|| malformed("`service_node_states` is not an array"))?
            .iter()
            .map(service_node)
            .collect::<Result<Vec<_>>>()?;
        Ok(ServiceNodes {
            nodes,
            height: json::opt_u64(result, "height")?,
            meta: Meta::from_body(body),
        })
    }
}

/// One `service_node_states` entry.
fn service_node(value: &Value) -> Result<ServiceNode> {
    let map = json::object(value, "service node")?;
    let key = |name: &str| -> Result<Option<[u8; 32]>> {
        match map.get(name).and_then(Value::as_str) {
            Some(text) if !text.is_empty() => json::key32(text, name).map(Some),
            _ => Ok(None),
        }
    };
    let port = |name: &str| -> Result<Option<u16>> {
        json::opt_u64(map, name)?
            .map(|p| u16::try_from(p).map_err(|_| malformed(format!("`{name}` is not a port"))))
            .transpose()
    };
    Ok(ServiceNode {
        ed25519: key("pubkey_ed25519")?,
        x25519: key("pubkey_x25519")?,
        public_ip: map
            .get("public_ip")
            .and_then(Value::as_str)
            .map(str::to_owned),
        storage_port: port("storage_port")?,
        storage_lmq_port: port("storage_lmq_port")?,
        swarm_id: json::opt_u64(map, "swarm_id")?,
    })
}
