//! A swarm as `get_swarm` and 421 answers describe it.

use std::net::IpAddr;

use serde_json::{Map, Value};

use crate::error::Result;
use crate::rpc::json::{self, malformed};
use crate::rpc::meta::Meta;

/// One storage node of a swarm.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Snode {
    /// Its Ed25519 key (its identity, the key of per-member results).
    pub ed25519: [u8; 32],
    /// Its X25519 key (onion requests encrypt to it).
    pub x25519: [u8; 32],
    /// Its public IP address.
    pub ip: IpAddr,
    /// Its HTTPS port (`/storage_rpc/v1`, `/onion_req/v2`).
    pub port_https: u16,
    /// Its OxenMQ port, when given (0 where not served).
    pub port_omq: Option<u16>,
}

/// The swarm of an account: the `get_swarm` answer, and the body of a 421.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SwarmResult {
    /// The swarm's nodes, in the server's order.
    pub snodes: Vec<Snode>,
    /// The swarm id (the server writes it as unpadded hex); `None` for the server's
    /// "no swarms known" answer (`ffffffffffffffff` with no nodes).
    pub swarm_id: Option<u64>,
    /// The answering node's clock and hard fork.
    pub meta: Meta,
}

/// The swarm id the server gives when it knows no swarm.
const NO_SWARM: u64 = u64::MAX;

impl SwarmResult {
    /// Parses `{"snodes": [...], "swarm": "<hex>", "t", "hf"}`.
    ///
    /// # Errors
    ///
    /// [`crate::Error::Malformed`] for any other shape, a bad key, address or port.
    pub fn from_body(body: &Value) -> Result<Self> {
        let map = json::object(body, "swarm")?;
        let snodes = json::field(map, "snodes")?
            .as_array()
            .ok_or_else(|| malformed("`snodes` is not an array"))?
            .iter()
            .map(|node| snode(json::object(node, "snode")?))
            .collect::<Result<Vec<_>>>()?;
        let swarm_text = json::str_field(map, "swarm")?;
        let swarm = u64::from_str_radix(swarm_text, 16)
            .map_err(|_| malformed("`swarm` is not a hex swarm id"))?;
        Ok(Self {
            snodes,
            swarm_id: (swarm != NO_SWARM).then_some(swarm),
            meta: Meta::from_body(body),
        })
    }
}

/// One entry of `snodes`.
fn snode(map: &Map<String, Value>) -> Result<Snode> {
    let ed25519 = json::key32(json::str_field(map, "pubkey_ed25519")?, "pubkey_ed25519")?;
    let x25519 = json::key32(json::str_field(map, "pubkey_x25519")?, "pubkey_x25519")?;
    let ip = json::str_field(map, "ip")?
        .parse()
        .map_err(|_| malformed("`ip` is not an IP address"))?;
    let port_https = port(map, "port_https")?.ok_or_else(|| malformed("missing `port_https`"))?;
    Ok(Snode {
        ed25519,
        x25519,
        ip,
        port_https,
        port_omq: port(map, "port_omq")?,
    })
}

/// A port number, if present.
fn port(map: &Map<String, Value>, key: &str) -> Result<Option<u16>> {
    json::opt_u64(map, key)?
        .map(|port| u16::try_from(port).map_err(|_| malformed(format!("`{key}` is not a port"))))
        .transpose()
}
