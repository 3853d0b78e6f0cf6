//! A service node as the network layer knows it: identity keys and HTTPS address.

use std::fmt;
use std::net::Ipv4Addr;

use session_onion::Hop;
use session_onion::path::Node;

/// A storage server on the network.
///
/// Only IPv4 is modelled: the storage server refuses non-IPv4 peers and publishes IPv4
/// addresses only.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ServiceNode {
    /// Ed25519 public key: the node's identity (strikes, swarms and paths are keyed by it).
    pub ed25519: [u8; 32],
    /// X25519 public key: what onion layers are encrypted to.
    pub x25519: [u8; 32],
    /// Public IPv4 address.
    pub ip: Ipv4Addr,
    /// HTTPS port of the storage server (`storage_port` / `port_https`).
    pub https_port: u16,
}

impl ServiceNode {
    /// `https://ip:port`, the base of `/storage_rpc/v1` and `/onion_req/v2`.
    pub fn url(&self) -> String {
        format!("https://{}:{}", self.ip, self.https_port)
    }

    /// The node as an onion hop or destination.
    pub fn hop(&self) -> Hop {
        Hop::new(self.ed25519, self.x25519)
    }

    /// The node as path selection sees it (no QUIC port or swarm known here).
    pub fn path_node(&self) -> Node {
        Node {
            ed25519: self.ed25519,
            x25519: self.x25519,
            ip: self.ip,
            https_port: self.https_port,
            quic_port: 0,
            swarm_id: u64::MAX,
        }
    }
}

// Public keys in hex, so logs name nodes the way the network does.
impl fmt::Debug for ServiceNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceNode")
            .field("ed25519", &hex::encode(self.ed25519))
            .field("ip", &self.ip)
            .field("https_port", &self.https_port)
            .finish_non_exhaustive()
    }
}
