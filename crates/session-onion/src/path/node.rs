//! A service node as path selection sees it: its keys, where to reach it, and its /24.

use core::fmt;
use std::net::Ipv4Addr;

/// A service node from the pool.
///
/// A plain record the I/O layer fills in from `get_service_nodes` (or the pool cache), so
/// its fields are public. The Ed25519 key is the node's identity everywhere in this module:
/// strikes, path membership and destinations are all keyed by it.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Node {
    /// The node's Ed25519 public key (`pubkey_ed25519`).
    pub ed25519: [u8; 32],
    /// The node's X25519 public key (`pubkey_x25519`), the key onion layers are encrypted to.
    pub x25519: [u8; 32],
    /// The node's public IPv4 address (`public_ip`).
    pub ip: Ipv4Addr,
    /// The storage server's HTTPS port (`storage_port`), used by the HTTPS onion transport.
    pub https_port: u16,
    /// The storage server's QUIC/OMQ port (`storage_lmq_port`), used by libsession's transport.
    pub quic_port: u16,
    /// The swarm the node belongs to (`swarm_id`; `u64::MAX` when unknown, as in libsession).
    pub swarm_id: u64,
}

impl Node {
    /// The /24 the node's address is in, the unit of subnet diversity.
    pub fn subnet24(&self) -> Subnet24 {
        let [a, b, c, _] = self.ip.octets();
        Subnet24([a, b, c])
    }
}

// Keys in hex: the derived form would print 64 decimal numbers per node.
impl fmt::Debug for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Node")
            .field("ed25519", &hex::encode(self.ed25519))
            .field("x25519", &hex::encode(self.x25519))
            .field("ip", &self.ip)
            .field("https_port", &self.https_port)
            .field("quic_port", &self.quic_port)
            .field("swarm_id", &self.swarm_id)
            .finish()
    }
}

/// An IPv4 /24 network: the address without its last octet.
///
/// Nodes in one /24 are likely run by one operator or hosted in one data centre, so a path
/// with two of them would let that party see more than one hop.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Subnet24([u8; 3]);

impl Subnet24 {
    /// The three leading octets.
    pub const fn octets(self) -> [u8; 3] {
        self.0
    }
}

impl fmt::Display for Subnet24 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c] = self.0;
        write!(f, "{a}.{b}.{c}.0/24")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subnet_drops_the_last_octet() {
        let node = Node {
            ed25519: [1; 32],
            x25519: [2; 32],
            ip: Ipv4Addr::new(203, 0, 113, 77),
            https_port: 22021,
            quic_port: 22020,
            swarm_id: 5,
        };
        assert_eq!(node.subnet24().octets(), [203, 0, 113]);
        assert_eq!(node.subnet24().to_string(), "203.0.113.0/24");
        assert!(format!("{node:?}").contains(&"01".repeat(32)));
    }
}
