//! The network as every node sees it: all nodes, the swarms, and where each account lives
//! (with the accounts a test moved to another swarm, so clients get 421s).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde_json::{Value, json};

use crate::account::AccountId;
use crate::base32z;
use crate::node::{HARDFORK, Node};
use crate::swarm_space::{swarm_for, swarm_id_hex};

/// Timeouts and limits shared by the nodes.
#[derive(Debug, Clone)]
pub(crate) struct NetworkConfig {
    /// How long a node waits for a swarm member's share of a recursive request (the real
    /// server's `sn.storage_cc` timeout is 5 s).
    pub(crate) peer_timeout: Duration,
    /// How long a relay waits for the next node (30 s on the real network, answered with
    /// 504 `Request time out`).
    pub(crate) relay_timeout: Duration,
    /// How long a node waits for a server it proxies a v4 onion to (25 s on the real
    /// network).
    pub(crate) proxy_timeout: Duration,
    /// Whether `/storage_rpc/v1` limits each client IP to 600 requests at once and 300 a
    /// second, as the real nodes do (all local clients share 127.0.0.1).
    pub(crate) rate_limit: bool,
}

impl Default for NetworkConfig {
    fn default() -> Self {
        Self {
            peer_timeout: Duration::from_secs(5),
            relay_timeout: Duration::from_secs(30),
            proxy_timeout: Duration::from_secs(25),
            rate_limit: true,
        }
    }
}

/// All the nodes and the swarm map.
#[derive(Debug)]
pub(crate) struct Network {
    nodes: Vec<Arc<Node>>,
    swarm_ids: Vec<u64>,
    moved: Mutex<HashMap<AccountId, u64>>,
    config: NetworkConfig,
}

impl Network {
    /// A network of `nodes`; the swarms are their distinct swarm ids.
    pub(crate) fn new(nodes: Vec<Arc<Node>>, config: NetworkConfig) -> Self {
        let mut swarm_ids: Vec<u64> = nodes.iter().map(|node| node.swarm_id()).collect();
        swarm_ids.sort_unstable();
        swarm_ids.dedup();
        Self {
            nodes,
            swarm_ids,
            moved: Mutex::new(HashMap::new()),
            config,
        }
    }

    /// Every node, in index order.
    pub(crate) fn nodes(&self) -> &[Arc<Node>] {
        &self.nodes
    }

    /// The swarm ids, ascending.
    pub(crate) fn swarm_ids(&self) -> &[u64] {
        &self.swarm_ids
    }

    /// The timeouts.
    pub(crate) const fn config(&self) -> &NetworkConfig {
        &self.config
    }

    /// The node named by `ed25519`.
    pub(crate) fn node_by_ed25519(&self, ed25519: &[u8; 32]) -> Option<&Arc<Node>> {
        self.nodes.iter().find(|node| &node.ed25519() == ed25519)
    }

    /// The swarm that stores `account`: the closest swarm id, unless a test moved it.
    pub(crate) fn swarm_of(&self, account: &AccountId) -> u64 {
        let moved = self.moved.lock().unwrap_or_else(PoisonError::into_inner);
        moved
            .get(account)
            .copied()
            .or_else(|| swarm_for(&self.swarm_ids, account))
            .unwrap_or(crate::swarm_space::INVALID_SWARM_ID)
    }

    /// Makes `swarm_id` the swarm of `account` from now on (the messages already stored
    /// stay where they are, as after a real swarm change before the nodes resync).
    pub(crate) fn move_account(&self, account: AccountId, swarm_id: u64) {
        self.moved
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(account, swarm_id);
    }

    /// The members of `swarm_id`.
    pub(crate) fn members(&self, swarm_id: u64) -> impl Iterator<Item = &Arc<Node>> {
        self.nodes
            .iter()
            .filter(move |node| node.swarm_id() == swarm_id)
    }

    /// `get_swarm`'s answer for `account` (also the body of a 421): the swarm's nodes as
    /// `snodes` and its id in unpadded hex. The caller adds `t` and `hf`.
    pub(crate) fn swarm_json(&self, account: &AccountId) -> Value {
        let swarm_id = self.swarm_of(account);
        let snodes: Vec<Value> = self
            .members(swarm_id)
            .map(|node| snode_json(node))
            .collect();
        if snodes.is_empty() {
            return json!({"snodes": [], "swarm": "ffffffffffffffff"});
        }
        json!({"snodes": snodes, "swarm": swarm_id_hex(swarm_id)})
    }

    /// oxend's `get_service_nodes` result: `service_node_states` with the requested
    /// `fields` (all when `None`), the nodes shuffled by the caller if it wants.
    pub(crate) fn service_node_states(&self, fields: Option<&[String]>) -> Value {
        let states: Vec<Value> = self
            .nodes
            .iter()
            .map(|node| {
                let full = service_node_state(node);
                match (fields, full) {
                    (Some(fields), Value::Object(map)) => Value::Object(
                        map.into_iter()
                            .filter(|(key, _)| fields.iter().any(|field| field == key))
                            .collect(),
                    ),
                    (_, full) => full,
                }
            })
            .collect();
        json!({
            "service_node_states": states,
            "height": 1_000_000,
            "target_height": 1_000_000,
            "block_hash": "00".repeat(32),
            "hardfork": HARDFORK[0],
            "snode_revision": HARDFORK[1],
            "status": "OK",
        })
    }
}

/// One node as `get_swarm` lists it.
fn snode_json(node: &Node) -> Value {
    let port = node.https_port();
    json!({
        "address": format!("{}.snode", base32z::encode(&node.legacy_pubkey())),
        "pubkey_legacy": hex::encode(node.legacy_pubkey()),
        "pubkey_x25519": hex::encode(node.x25519()),
        "pubkey_ed25519": hex::encode(node.ed25519()),
        "port": port.to_string(),
        "port_https": port,
        // No OxenMQ or QUIC listener runs here; clients reach nodes over HTTPS only.
        "port_omq": 0,
        "port_quic": 0,
        "ip": "127.0.0.1",
    })
}

/// One node as oxend's `get_service_nodes` describes it (the fields clients ask for, and the
/// ones the storage server itself reads).
fn service_node_state(node: &Node) -> Value {
    json!({
        "service_node_pubkey": hex::encode(node.legacy_pubkey()),
        "public_ip": "127.0.0.1",
        "storage_port": node.https_port(),
        "storage_lmq_port": 0,
        "pubkey_ed25519": hex::encode(node.ed25519()),
        "pubkey_x25519": hex::encode(node.x25519()),
        "swarm_id": node.swarm_id(),
        "swarm": swarm_id_hex(node.swarm_id()),
        "funded": true,
        "active": true,
        "requested_unlock_height": 0,
        "storage_server_version": crate::node::VERSION,
        "last_uptime_proof": 0,
        "storage_server_reachable": true,
    })
}
