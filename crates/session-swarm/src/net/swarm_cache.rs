//! Which nodes hold which account, sans-IO: filled from `get_swarm`, replaced by a 421's
//! swarm, thinned as nodes leave the pool.

use std::collections::HashMap;

use crate::error::Result;
use crate::net::node_list::parse_swarm;
use crate::net::pool::NodePool;
use crate::net::service_node::ServiceNode;

/// Below this many members still in the pool, the swarm is fetched again (desktop: 3).
pub const MIN_SWARM_MEMBERS: usize = 3;

/// Swarm members by account (the 66-hex Session ID or group ID).
#[derive(Clone, Debug, Default)]
pub struct SwarmCache {
    /// Members' Ed25519 keys by account.
    swarms: HashMap<String, Vec<[u8; 32]>>,
}

impl SwarmCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The account's members that are still in `pool`, or `None` when fewer than
    /// [`MIN_SWARM_MEMBERS`] remain and the swarm must be fetched (`get_swarm`).
    pub fn members(&self, account: &str, pool: &NodePool) -> Option<Vec<ServiceNode>> {
        let members: Vec<ServiceNode> = self
            .swarms
            .get(account)?
            .iter()
            .filter_map(|key| pool.get(key).cloned())
            .collect();
        (members.len() >= MIN_SWARM_MEMBERS).then_some(members)
    }

    /// Sets the account's swarm.
    pub fn set(&mut self, account: &str, members: &[ServiceNode]) {
        self.swarms.insert(
            account.to_owned(),
            members.iter().map(|n| n.ed25519).collect(),
        );
    }

    /// Sets the account's swarm from a `get_swarm` answer or a 421 body, returning it.
    pub fn set_from_body(&mut self, account: &str, body: &[u8]) -> Result<Vec<ServiceNode>> {
        let members = parse_swarm(body)?;
        self.set(account, &members);
        Ok(members)
    }

    /// Forgets a node in every swarm (struck out, or not found by a relay).
    pub fn remove_node(&mut self, ed25519: &[u8; 32]) {
        for members in self.swarms.values_mut() {
            members.retain(|m| m != ed25519);
        }
    }

    /// Drops members that left the pool; like the clients, only for a pool large enough
    /// (more than 10 nodes) to be trusted.
    pub fn prune(&mut self, pool: &NodePool) {
        if pool.nodes().len() <= 10 {
            return;
        }
        for members in self.swarms.values_mut() {
            members.retain(|m| pool.contains(m));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;
    use std::time::Instant;

    use super::*;
    use crate::net::pool::PoolConfig;

    fn node(i: u8) -> ServiceNode {
        ServiceNode {
            ed25519: [i; 32],
            x25519: [i; 32],
            ip: Ipv4Addr::new(10, 0, i, 1),
            https_port: 22021,
        }
    }

    #[test]
    fn members_421_and_pruning() {
        let mut pool = NodePool::new(PoolConfig::default());
        pool.replace_from_seed((0..20).map(node).collect(), Instant::now());
        let mut cache = SwarmCache::new();
        let account = format!("05{}", "ab".repeat(32));
        assert!(cache.members(&account, &pool).is_none());
        cache.set(&account, &[node(1), node(2), node(3), node(4)]);
        assert_eq!(cache.members(&account, &pool).unwrap().len(), 4);
        cache.remove_node(&[1; 32]);
        pool.remove(&[2; 32]);
        assert!(cache.members(&account, &pool).is_none());

        let entry = |i: u8| {
            serde_json::json!({"ip": format!("10.0.{i}.1"), "port_https": 22021,
                "pubkey_ed25519": hex::encode([i; 32]), "pubkey_x25519": hex::encode([i; 32])})
        };
        let body = serde_json::json!({"snodes": [entry(5), entry(6), entry(7)], "swarm": "a"});
        let members = cache
            .set_from_body(&account, body.to_string().as_bytes())
            .unwrap();
        assert_eq!(members.len(), 3);
        assert_eq!(cache.members(&account, &pool).unwrap(), members);
        pool.remove(&[7; 32]);
        cache.prune(&pool);
        assert!(cache.members(&account, &pool).is_none());
    }
}
