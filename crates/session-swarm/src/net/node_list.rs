//! Reading node lists: oxend's `service_node_states` (seeds, `oxend_request
//! get_service_nodes`) and a swarm's `snodes` (`get_swarm`, 421 bodies).

use std::net::Ipv4Addr;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::net::service_node::ServiceNode;

/// One entry, in either naming (`public_ip`/`storage_port` from oxend, `ip`/`port_https`
/// from the storage server). `None` for nodes without usable contact details: no uptime
/// proof yet (`0.0.0.0`, empty, port 0) or keys that are not 32 bytes of hex.
pub(crate) fn parse_node(entry: &Value) -> Option<ServiceNode> {
    let ip_text = entry
        .get("public_ip")
        .or_else(|| entry.get("ip"))?
        .as_str()?;
    let ip: Ipv4Addr = ip_text.parse().ok()?;
    if ip.is_unspecified() {
        return None;
    }
    let port = entry
        .get("storage_port")
        .or_else(|| entry.get("port_https"))?
        .as_u64()?;
    let https_port = u16::try_from(port).ok().filter(|p| *p != 0)?;
    Some(ServiceNode {
        ed25519: key(entry.get("pubkey_ed25519")?)?,
        x25519: key(entry.get("pubkey_x25519")?)?,
        ip,
        https_port,
    })
}

/// A 32-byte key in hex.
fn key(value: &Value) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(value.as_str()?, &mut out).ok()?;
    Some(out)
}

/// The usable nodes of an array of entries; unusable entries are skipped, as the clients do.
pub(crate) fn parse_nodes(entries: &Value) -> Result<Vec<ServiceNode>> {
    let list = entries
        .as_array()
        .ok_or_else(|| Error::Malformed("node list is not an array".into()))?;
    Ok(list.iter().filter_map(parse_node).collect())
}

/// The nodes of an oxend `get_service_nodes` result object (`{"service_node_states": [..]}`).
pub fn parse_service_node_states(result: &Value) -> Result<Vec<ServiceNode>> {
    let states = result
        .get("service_node_states")
        .ok_or_else(|| Error::Malformed("no service_node_states".into()))?;
    parse_nodes(states)
}

/// The members of a swarm object (`get_swarm` answer or 421 body: `{"snodes": [..]}`).
pub fn parse_swarm(body: &[u8]) -> Result<Vec<ServiceNode>> {
    let json: Value = serde_json::from_slice(body)
        .map_err(|_| Error::Malformed("swarm body is not JSON".into()))?;
    let snodes = json
        .get("snodes")
        .ok_or_else(|| Error::Malformed("swarm body has no snodes".into()))?;
    parse_nodes(snodes)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn both_namings_and_unusable_entries() {
        let ed = "11".repeat(32);
        let x = "22".repeat(32);
        let states = json!({"service_node_states": [
            {"public_ip": "1.2.3.4", "storage_port": 22021, "pubkey_ed25519": ed, "pubkey_x25519": x},
            {"public_ip": "0.0.0.0", "storage_port": 22021, "pubkey_ed25519": ed, "pubkey_x25519": x},
            {"public_ip": "", "storage_port": 22021, "pubkey_ed25519": ed, "pubkey_x25519": x},
            {"public_ip": "1.2.3.5", "storage_port": 0, "pubkey_ed25519": ed, "pubkey_x25519": x},
            {"public_ip": "1.2.3.6", "storage_port": 1, "pubkey_ed25519": "zz", "pubkey_x25519": x},
        ]});
        let nodes = parse_service_node_states(&states).unwrap();
        assert_eq!(nodes.len(), 1);
        assert_eq!(nodes[0].url(), "https://1.2.3.4:22021");
        assert_eq!(nodes[0].ed25519, [0x11; 32]);

        let swarm = json!({"snodes": [
            {"ip": "5.6.7.8", "port_https": 443, "pubkey_ed25519": ed, "pubkey_x25519": x}
        ], "swarm": "1f"});
        let members = parse_swarm(swarm.to_string().as_bytes()).unwrap();
        assert_eq!(members[0].https_port, 443);
        assert!(parse_swarm(b"nope").is_err());
    }
}
