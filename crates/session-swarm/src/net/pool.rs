//! The node pool, sans-IO: which nodes we know, their strikes, and when to refresh, with
//! desktop's numbers (`snodePoolConstants.ts`).

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use session_onion::rand_core::CryptoRng;

use crate::net::service_node::ServiceNode;

/// Pool rules.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct PoolConfig {
    /// At or below this many nodes, refetch from a seed (8 = 1 guard × (3 hops + 1) × 2).
    pub min_pool: usize,
    /// Nodes asked in a refresh from the pool (3).
    pub refresh_sources: usize,
    /// Nodes the sources must all list for a refresh to be accepted (24).
    pub required_agreement: usize,
    /// Strikes at which a node leaves the pool (3).
    pub strike_threshold: u32,
    /// The first refresh after a seed bootstrap (5 minutes).
    pub first_refresh: Duration,
    /// Refreshes after that (hourly).
    pub refresh_interval: Duration,
}

impl Default for PoolConfig {
    fn default() -> Self {
        Self {
            min_pool: 8,
            refresh_sources: 3,
            required_agreement: 24,
            strike_threshold: 3,
            first_refresh: Duration::from_secs(5 * 60),
            refresh_interval: Duration::from_secs(60 * 60),
        }
    }
}

/// The known service nodes.
#[derive(Clone, Debug, Default)]
pub struct NodePool {
    /// Rules.
    config: PoolConfig,
    /// The nodes, no two with one Ed25519 key.
    nodes: Vec<ServiceNode>,
    /// Strikes by Ed25519 key, cleared by every new list.
    strikes: HashMap<[u8; 32], u32>,
    /// When the next refresh is due; `None` before the first list.
    next_refresh: Option<Instant>,
}

/// Draws `count` distinct indices below `len` (fewer if `len` is smaller).
fn sample_indices<R: CryptoRng + ?Sized>(rng: &mut R, len: usize, count: usize) -> Vec<usize> {
    let mut indices: Vec<usize> = (0..len).collect();
    let take = count.min(len);
    for i in 0..take {
        // The modulo bias is negligible for pool sizes (thousands against 2^64).
        let span = (len - i) as u64;
        let j = i + usize::try_from(rng.next_u64() % span).unwrap_or(0);
        indices.swap(i, j);
    }
    indices.truncate(take);
    indices
}

impl NodePool {
    /// An empty pool.
    pub fn new(config: PoolConfig) -> Self {
        Self {
            config,
            ..Self::default()
        }
    }

    /// The rules.
    pub fn config(&self) -> &PoolConfig {
        &self.config
    }

    /// The nodes.
    pub fn nodes(&self) -> &[ServiceNode] {
        &self.nodes
    }

    /// Whether the pool is too small to use and a seed must be asked.
    pub fn needs_seed(&self) -> bool {
        self.nodes.len() <= self.config.min_pool
    }

    /// Whether a refresh from the pool is due at `now`.
    pub fn refresh_due(&self, now: Instant) -> bool {
        self.next_refresh.is_none_or(|at| now >= at)
    }

    /// Takes a list from a seed; the first refresh from nodes follows after
    /// `first_refresh`.
    pub fn replace_from_seed(&mut self, nodes: Vec<ServiceNode>, now: Instant) {
        self.replace(nodes);
        self.next_refresh = now.checked_add(self.config.first_refresh);
    }

    /// Takes an agreed list from nodes; the next refresh follows after `refresh_interval`.
    pub fn replace_from_nodes(&mut self, nodes: Vec<ServiceNode>, now: Instant) {
        self.replace(nodes);
        self.next_refresh = now.checked_add(self.config.refresh_interval);
    }

    /// New nodes, deduplicated by key, strikes cleared (as the clients do on refresh).
    fn replace(&mut self, nodes: Vec<ServiceNode>) {
        let mut seen = HashSet::new();
        self.nodes = nodes
            .into_iter()
            .filter(|n| seen.insert(n.ed25519))
            .collect();
        self.strikes.clear();
    }

    /// The random nodes to ask for a refresh (`refresh_sources` of them).
    pub fn refresh_sources<R: CryptoRng + ?Sized>(&self, rng: &mut R) -> Vec<ServiceNode> {
        self.sample(rng, self.config.refresh_sources)
    }

    /// `count` distinct random nodes.
    pub fn sample<R: CryptoRng + ?Sized>(&self, rng: &mut R, count: usize) -> Vec<ServiceNode> {
        sample_indices(rng, self.nodes.len(), count)
            .into_iter()
            .filter_map(|i| self.nodes.get(i).cloned())
            .collect()
    }

    /// The nodes every list contains (same keys, address and port), in the first list's
    /// order, if there are at least `required_agreement` of them.
    pub fn agree(&self, lists: &[Vec<ServiceNode>]) -> Option<Vec<ServiceNode>> {
        let (first, rest) = lists.split_first()?;
        let others: Vec<HashSet<&ServiceNode>> = rest.iter().map(|l| l.iter().collect()).collect();
        let common: Vec<ServiceNode> = first
            .iter()
            .filter(|n| others.iter().all(|set| set.contains(n)))
            .cloned()
            .collect();
        (common.len() >= self.config.required_agreement).then_some(common)
    }

    /// Whether the pool holds the node with this key.
    pub fn contains(&self, ed25519: &[u8; 32]) -> bool {
        self.get(ed25519).is_some()
    }

    /// The node with this key.
    pub fn get(&self, ed25519: &[u8; 32]) -> Option<&ServiceNode> {
        self.nodes.iter().find(|n| &n.ed25519 == ed25519)
    }

    /// One strike on a node; returns whether it reached the threshold and was dropped.
    pub fn strike(&mut self, ed25519: &[u8; 32]) -> bool {
        let strikes = self.strikes.entry(*ed25519).or_insert(0);
        *strikes += 1;
        if *strikes >= self.config.strike_threshold {
            self.remove(ed25519);
            true
        } else {
            false
        }
    }

    /// Drops a node at once (`Next node not found`, or struck out elsewhere).
    pub fn remove(&mut self, ed25519: &[u8; 32]) {
        self.nodes.retain(|n| &n.ed25519 != ed25519);
        self.strikes.remove(ed25519);
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use rand_chacha::ChaCha20Rng;
    use session_onion::rand_core::SeedableRng;

    use super::*;

    fn node(i: u8) -> ServiceNode {
        ServiceNode {
            ed25519: [i; 32],
            x25519: [i; 32],
            ip: Ipv4Addr::new(10, 0, i, 1),
            https_port: 22021,
        }
    }

    #[test]
    fn sizes_strikes_and_refresh_times() {
        let mut pool = NodePool::new(PoolConfig::default());
        let now = Instant::now();
        assert!(pool.needs_seed() && pool.refresh_due(now));
        pool.replace_from_seed((0..9).map(node).chain([node(0)]).collect(), now);
        assert_eq!(pool.nodes().len(), 9);
        assert!(!pool.needs_seed());
        assert!(!pool.refresh_due(now + Duration::from_secs(299)));
        assert!(pool.refresh_due(now + Duration::from_secs(300)));

        assert!(!pool.strike(&[1; 32]));
        assert!(!pool.strike(&[1; 32]));
        assert!(pool.strike(&[1; 32]));
        assert!(!pool.contains(&[1; 32]));
        assert!(pool.needs_seed());

        pool.replace_from_nodes((0..30).map(node).collect(), now);
        assert!(!pool.refresh_due(now + Duration::from_secs(3599)));
        let mut rng = ChaCha20Rng::seed_from_u64(1);
        let sources = pool.refresh_sources(&mut rng);
        assert_eq!(sources.len(), 3);
        assert_ne!(sources[0], sources[1]);
        assert_ne!(sources[1], sources[2]);
    }

    #[test]
    fn agreement_needs_24_in_common() {
        let pool = NodePool::new(PoolConfig::default());
        let all: Vec<ServiceNode> = (0..30).map(node).collect();
        let most: Vec<ServiceNode> = (2..30).map(node).collect();
        let mut moved = all.clone();
        moved[5].https_port = 1;
        let common = pool.agree(&[all.clone(), most.clone(), moved]).unwrap();
        assert_eq!(common.len(), 27);
        assert!(!common.contains(&node(5)) && !common.contains(&node(0)));
        let few: Vec<ServiceNode> = (0..23).map(node).collect();
        assert!(pool.agree(&[all, most, few]).is_none());
        assert!(pool.agree(&[]).is_none());
    }
}
