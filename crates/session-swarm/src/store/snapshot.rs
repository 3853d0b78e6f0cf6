//! Saved node lists as they come back from a store.

use crate::net::ServiceNode;

/// The node pool as last saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodePoolSnapshot {
    /// The nodes, in the order they were saved.
    pub nodes: Vec<ServiceNode>,
    /// When the list was fetched (ms, the caller's clock), to decide whether it is stale.
    pub fetched_at_ms: i64,
}

/// An account's swarm as last saved.
#[derive(Clone, PartialEq, Eq)]
pub struct SwarmSnapshot {
    /// The members' Ed25519 keys, in the order they were saved.
    pub members: Vec<[u8; 32]>,
    /// When the swarm was fetched (ms, the caller's clock).
    pub fetched_at_ms: i64,
}

// Keys in hex, the way the network names nodes.
impl core::fmt::Debug for SwarmSnapshot {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let members: Vec<String> = self.members.iter().map(hex::encode).collect();
        f.debug_struct("SwarmSnapshot")
            .field("members", &members)
            .field("fetched_at_ms", &self.fetched_at_ms)
            .finish()
    }
}
