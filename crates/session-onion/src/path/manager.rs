//! The path state machine: keeps the configured paths built from a node pool, tests
//! guards, counts strikes and repairs or rebuilds paths as outcomes come in.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::Instant;

use rand_core::CryptoRng;

use super::action::Action;
use super::config::PathConfig;
use super::error::PathError;
use super::event::{DropReason, Event};
use super::id::{PathId, TestId};
use super::node::{Node, Subnet24};
use super::onion_path::Path;
use super::outcome::Outcome;
use super::selection::{choose, pick_diverse};

type Key = [u8; 32];

#[derive(Debug)]
struct GuardTest {
    id: TestId,
    node: Node,
    /// Whether the I/O layer has taken it with `poll_action`; until then it can be
    /// withdrawn silently if its node becomes unusable.
    started: bool,
    /// `None` until started, or if the timeout overflows `Instant`.
    deadline: Option<Instant>,
}

/// Sans-IO onion path selection.
///
/// Feed it the pool ([`set_pool`](Self::set_pool)), guard test results
/// ([`guard_test_result`](Self::guard_test_result), [`handle_timeout`](Self::handle_timeout))
/// and request outcomes ([`report`](Self::report), [`strike_node`](Self::strike_node));
/// drain [`poll_action`](Self::poll_action) and [`poll_event`](Self::poll_event) after
/// each input. It reads no clock and owns no RNG, and keeps every collection in a
/// deterministic order, so the same seed and inputs give the same paths and events.
///
/// Rules (see the module documentation for where they come from):
/// - up to `path_count` paths of `path_len` nodes, node-disjoint, no two nodes of a path
///   in one /24 (the guard's included);
/// - a guard is used only after a passing test; a node that fails one is not used again
///   until the next pool;
/// - node strikes and path strikes, each with a threshold; a node at its threshold leaves
///   every path (repaired in place where possible) and is not used until the next pool;
/// - dropped paths are rebuilt, and [`Event::NeedPoolRefresh`] says when that is
///   impossible with the current pool.
#[derive(Debug)]
pub struct PathManager {
    config: PathConfig,
    pool: Vec<Node>,
    /// Ed25519 key to position in `pool`.
    index: BTreeMap<Key, usize>,
    strikes: BTreeMap<Key, u32>,
    rejected_guards: BTreeSet<Key>,
    paths: Vec<Path>,
    path_strikes: BTreeMap<PathId, u32>,
    tests: Vec<GuardTest>,
    /// Guards that passed their test and wait for relays.
    guards: Vec<Node>,
    events: VecDeque<Event>,
    next_path_id: u64,
    next_test_id: u64,
    refresh_requested: bool,
}

impl PathManager {
    /// A manager with an empty pool; nothing happens until [`set_pool`](Self::set_pool).
    pub fn new(config: PathConfig) -> Self {
        Self {
            config: config.normalized(),
            pool: Vec::new(),
            index: BTreeMap::new(),
            strikes: BTreeMap::new(),
            rejected_guards: BTreeSet::new(),
            paths: Vec::new(),
            path_strikes: BTreeMap::new(),
            tests: Vec::new(),
            guards: Vec::new(),
            events: VecDeque::new(),
            next_path_id: 0,
            next_test_id: 0,
            refresh_requested: false,
        }
    }

    /// The settings in force (after raising zeros, see [`PathConfig`]).
    pub fn config(&self) -> &PathConfig {
        &self.config
    }

    /// Replaces the pool and starts building whatever paths are missing.
    ///
    /// A new pool is a fresh start, as after the clients' refreshes: node and path strikes
    /// and rejected guards are forgotten. Duplicate Ed25519 keys keep their first entry, and
    /// nodes with the unspecified address `0.0.0.0` are skipped, as the clients skip them.
    /// Built paths and tested guards survive if their nodes are still in the pool with the
    /// same details; a path that lost a node is repaired or dropped.
    pub fn set_pool<R: CryptoRng + ?Sized>(&mut self, nodes: Vec<Node>, rng: &mut R) {
        self.pool.clear();
        self.index.clear();
        for node in nodes {
            if node.ip.is_unspecified() || self.index.contains_key(&node.ed25519) {
                continue;
            }
            self.index.insert(node.ed25519, self.pool.len());
            self.pool.push(node);
        }
        self.strikes.clear();
        self.rejected_guards.clear();
        self.path_strikes.values_mut().for_each(|s| *s = 0);
        self.refresh_requested = false;

        let guards = std::mem::take(&mut self.guards);
        self.guards = guards.into_iter().filter(|g| self.in_pool(g)).collect();
        let gone: Vec<Key> = self
            .paths
            .iter()
            .flat_map(|p| &p.nodes)
            .filter(|n| !self.in_pool(n))
            .map(|n| n.ed25519)
            .collect();
        for key in gone {
            self.evict(&key, rng);
        }
        self.replenish(rng);
    }

    /// The current pool, deduplicated, in the order given.
    pub fn pool(&self) -> &[Node] {
        &self.pool
    }

    /// The next guard test to run, if any. `now` starts the test's timeout.
    pub fn poll_action(&mut self, now: Instant) -> Option<Action> {
        let timeout = self.config.guard_test_timeout;
        let test = self.tests.iter_mut().find(|t| !t.started)?;
        test.started = true;
        test.deadline = now.checked_add(timeout);
        Some(Action::TestGuard {
            test_id: test.id,
            node: test.node.clone(),
        })
    }

    /// Records a guard test's result; a timed-out probe is `passed = false`.
    ///
    /// A passing guard gets relays at once if the pool allows; a failing one is never
    /// tested again until the next pool, and another candidate is drawn.
    pub fn guard_test_result<R: CryptoRng + ?Sized>(
        &mut self,
        test_id: TestId,
        passed: bool,
        rng: &mut R,
    ) -> Result<(), PathError> {
        let pos = self
            .tests
            .iter()
            .position(|t| t.id == test_id)
            .ok_or(PathError::UnknownTest(test_id))?;
        let test = self.tests.remove(pos);
        self.finish_test(test.node, passed);
        self.replenish(rng);
        Ok(())
    }

    /// When [`handle_timeout`](Self::handle_timeout) should next be called, if ever.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.tests.iter().filter_map(|t| t.deadline).min()
    }

    /// Fails every guard test whose timeout has passed at `now`.
    pub fn handle_timeout<R: CryptoRng + ?Sized>(&mut self, now: Instant, rng: &mut R) {
        let (expired, running): (Vec<_>, Vec<_>) = std::mem::take(&mut self.tests)
            .into_iter()
            .partition(|t| t.deadline.is_some_and(|d| d <= now));
        self.tests = running;
        if expired.is_empty() {
            return;
        }
        for test in expired {
            self.finish_test(test.node, false);
        }
        self.replenish(rng);
    }

    /// A random built path for a request to `destination` (a snode's Ed25519 key, or
    /// `None` for a server), or `None` if no path qualifies yet.
    ///
    /// A path never contains its request's destination. Paths with a node in the
    /// destination's /24 (when the destination is in the pool) are avoided too, but only
    /// while another path qualifies: that rule is a preference, since making it strict
    /// could leave no path at all with nothing to rebuild. When this returns `None` with
    /// paths still missing, wait for [`Event::PathBuilt`]; with one path configured and
    /// the destination in it, pick another destination (another swarm member).
    pub fn path_for<R: CryptoRng + ?Sized>(
        &self,
        destination: Option<&[u8; 32]>,
        rng: &mut R,
    ) -> Option<Path> {
        let allowed: Vec<&Path> = self
            .paths
            .iter()
            .filter(|p| destination.is_none_or(|d| !p.contains(d)))
            .collect();
        let dest_subnet = destination
            .and_then(|d| self.pool_node(d))
            .map(Node::subnet24);
        let apart: Vec<&Path> = allowed
            .iter()
            .copied()
            .filter(|p| dest_subnet.is_none_or(|s| p.nodes.iter().all(|n| n.subnet24() != s)))
            .collect();
        let pick = if apart.is_empty() { allowed } else { apart };
        choose(rng, &pick).map(|p| (*p).clone())
    }

    /// Reports how a request over `path_id` ended; see [`Outcome`] for the rules.
    ///
    /// A path that is gone gives [`PathError::UnknownPath`] and the report is ignored,
    /// since it describes a path that no longer carries traffic.
    pub fn report<R: CryptoRng + ?Sized>(
        &mut self,
        path_id: PathId,
        outcome: Outcome,
        rng: &mut R,
    ) -> Result<(), PathError> {
        if !self.paths.iter().any(|p| p.id == path_id) {
            return Err(PathError::UnknownPath(path_id));
        }
        match outcome {
            Outcome::Success => {}
            Outcome::PathFailure | Outcome::Timeout => self.path_failure(path_id, rng),
            Outcome::NextNodeNotFound { ed25519 } => {
                let strikes = self.node_strikes(&ed25519);
                self.set_strikes(ed25519, strikes.max(self.config.node_strike_threshold), rng);
            }
            Outcome::NodeFailure { ed25519 } => {
                let strikes = self.node_strikes(&ed25519);
                self.set_strikes(ed25519, strikes.saturating_add(1), rng);
            }
        }
        self.replenish(rng);
        Ok(())
    }

    /// One strike on a node, for failures outside any path (a direct request to it).
    pub fn strike_node<R: CryptoRng + ?Sized>(&mut self, ed25519: &[u8; 32], rng: &mut R) {
        let strikes = self.node_strikes(ed25519);
        self.set_strikes(*ed25519, strikes.saturating_add(1), rng);
        self.replenish(rng);
    }

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// The built paths, oldest first.
    pub fn paths(&self) -> &[Path] {
        &self.paths
    }

    /// The built path with this id.
    pub fn path(&self, id: PathId) -> Option<&Path> {
        self.paths.iter().find(|p| p.id == id)
    }

    /// Failures counted against a built path since it was built or the pool last changed.
    pub fn path_strikes(&self, id: PathId) -> Option<u32> {
        self.path_strikes.get(&id).copied()
    }

    /// Strikes against a node since the pool last changed.
    pub fn node_strikes(&self, ed25519: &[u8; 32]) -> u32 {
        self.strikes.get(ed25519).copied().unwrap_or(0)
    }

    /// Whether a node may be put into a new path: in the pool, under its strike threshold
    /// and not a rejected guard.
    pub fn is_usable(&self, ed25519: &[u8; 32]) -> bool {
        self.pool_node(ed25519).is_some_and(|n| self.usable(n))
    }

    fn pool_node(&self, key: &Key) -> Option<&Node> {
        self.index.get(key).and_then(|&i| self.pool.get(i))
    }

    /// Exactly this node (not just its key) is in the pool, so a node that moved to another
    /// address is treated as having left.
    fn in_pool(&self, node: &Node) -> bool {
        self.pool_node(&node.ed25519) == Some(node)
    }

    fn usable(&self, node: &Node) -> bool {
        self.in_pool(node)
            && self.node_strikes(&node.ed25519) < self.config.node_strike_threshold
            && !self.rejected_guards.contains(&node.ed25519)
    }

    /// Taken by a path, a guard test or a tested guard: never in two places at once.
    fn busy(&self, key: &Key) -> bool {
        self.paths.iter().any(|p| p.contains(key))
            || self.tests.iter().any(|t| &t.node.ed25519 == key)
            || self.guards.iter().any(|g| &g.ed25519 == key)
    }

    fn free_nodes(&self) -> Vec<&Node> {
        self.pool
            .iter()
            .filter(|n| self.usable(n) && !self.busy(&n.ed25519))
            .collect()
    }

    fn finish_test(&mut self, node: Node, passed: bool) {
        if !passed {
            if self.rejected_guards.insert(node.ed25519) {
                self.events.push_back(Event::GuardRejected {
                    ed25519: node.ed25519,
                });
            }
        } else if self.usable(&node) && !self.busy(&node.ed25519) {
            self.guards.push(node);
        }
    }

    fn path_failure<R: CryptoRng + ?Sized>(&mut self, id: PathId, rng: &mut R) {
        let Some(strikes) = self.path_strikes.get_mut(&id) else {
            return;
        };
        *strikes = strikes.saturating_add(1);
        if *strikes < self.config.path_strike_threshold {
            return;
        }
        let Some(pos) = self.paths.iter().position(|p| p.id == id) else {
            return;
        };
        // Dropped before striking, so nodes that reach their threshold need no repair.
        let path = self.drop_path(pos, DropReason::PathStrikes);
        let threshold = self.config.node_strike_threshold;
        for (hop, node) in path.nodes.iter().enumerate() {
            let mut strikes = self.node_strikes(&node.ed25519).saturating_add(1);
            if hop == 0 {
                // The guard is the one node every request of the path went through.
                strikes = strikes.max(threshold);
            }
            self.set_strikes(node.ed25519, strikes, rng);
        }
    }

    /// Raises a node's strikes (never lowers them); at the threshold the node leaves
    /// every path and the tested guards.
    fn set_strikes<R: CryptoRng + ?Sized>(&mut self, key: Key, strikes: u32, rng: &mut R) {
        let old = self.node_strikes(&key);
        if strikes <= old {
            return;
        }
        self.strikes.insert(key, strikes);
        self.events.push_back(Event::NodeStruck {
            ed25519: key,
            strikes,
        });
        let threshold = self.config.node_strike_threshold;
        if old < threshold && strikes >= threshold {
            self.events.push_back(Event::NodeDropped { ed25519: key });
            self.evict(&key, rng);
        }
    }

    /// Takes a node out of tested guards and paths: a relay is replaced by a free node
    /// outside the path's /24s (the leaving node's included, as desktop does); a guard, or
    /// a relay with no replacement, takes its path down.
    fn evict<R: CryptoRng + ?Sized>(&mut self, key: &Key, rng: &mut R) {
        self.guards.retain(|g| &g.ed25519 != key);
        while let Some(pos) = self.paths.iter().position(|p| p.contains(key)) {
            let is_guard = self.paths[pos].guard().is_some_and(|g| &g.ed25519 == key);
            if is_guard {
                self.drop_path(pos, DropReason::GuardLost);
                continue;
            }
            let exclude: Vec<Subnet24> = self.paths[pos].nodes.iter().map(Node::subnet24).collect();
            let replacement = pick_diverse(rng, self.free_nodes(), &exclude, 1)
                .and_then(|mut picked| picked.pop());
            let Some(replacement) = replacement else {
                self.drop_path(pos, DropReason::NoReplacement);
                continue;
            };
            let path = &mut self.paths[pos];
            if let Some(slot) = path.nodes.iter_mut().find(|n| &n.ed25519 == key) {
                *slot = replacement.clone();
            }
            self.events.push_back(Event::PathRepaired {
                path_id: path.id,
                replaced: *key,
                replacement,
            });
        }
    }

    fn drop_path(&mut self, pos: usize, reason: DropReason) -> Path {
        let path = self.paths.remove(pos);
        self.path_strikes.remove(&path.id);
        self.events.push_back(Event::PathDropped {
            path_id: path.id,
            reason,
        });
        path
    }

    /// Moves towards `path_count` paths: builds from tested guards, then starts guard
    /// tests for what is still missing, and asks for a new pool when neither can happen.
    fn replenish<R: CryptoRng + ?Sized>(&mut self, rng: &mut R) {
        let tests = std::mem::take(&mut self.tests);
        self.tests = tests
            .into_iter()
            .filter(|t| t.started || self.usable(&t.node))
            .collect();

        while self.paths.len() < self.config.path_count && self.build_from_tested_guard(rng) {}

        // Tested guards that found no relays count as covered: testing more guards would
        // only take nodes the waiting ones need as relays.
        let covered = self.paths.len() + self.guards.len() + self.tests.len();
        let wanted = self.config.path_count.saturating_sub(covered);
        let room = self
            .config
            .max_guard_tests_in_flight
            .saturating_sub(self.tests.len());
        for _ in 0..wanted.min(room) {
            let free = self.free_nodes();
            let Some(node) = choose(rng, &free).map(|n| (*n).clone()) else {
                break;
            };
            let id = TestId(self.next_test_id);
            self.next_test_id = self.next_test_id.wrapping_add(1);
            self.tests.push(GuardTest {
                id,
                node,
                started: false,
                deadline: None,
            });
        }

        if self.paths.len() < self.config.path_count
            && self.tests.is_empty()
            && !self.refresh_requested
        {
            self.refresh_requested = true;
            self.events.push_back(Event::NeedPoolRefresh);
        }
    }

    fn build_from_tested_guard<R: CryptoRng + ?Sized>(&mut self, rng: &mut R) -> bool {
        let relay_count = self.config.path_len.saturating_sub(1);
        for i in 0..self.guards.len() {
            let exclude = [self.guards[i].subnet24()];
            let Some(relays) = pick_diverse(rng, self.free_nodes(), &exclude, relay_count) else {
                continue;
            };
            let guard = self.guards.remove(i);
            let id = PathId(self.next_path_id);
            self.next_path_id = self.next_path_id.wrapping_add(1);
            let mut nodes = Vec::with_capacity(relay_count + 1);
            nodes.push(guard);
            nodes.extend(relays);
            self.path_strikes.insert(id, 0);
            self.paths.push(Path {
                id,
                nodes: nodes.clone(),
            });
            self.events
                .push_back(Event::PathBuilt { path_id: id, nodes });
            return true;
        }
        false
    }
}
