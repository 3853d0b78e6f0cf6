//! `MemoryStore`: the `Store` kept in process memory, for tests and ephemeral clients.

use core::fmt;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::rpc::Account;
use crate::store::api::Store;
use crate::store::batch::{Op, WriteBatch};
use crate::store::error::StoreError;
use crate::store::snapshot::{NodePoolSnapshot, SwarmSnapshot};

/// Everything a [`MemoryStore`] holds.
#[derive(Default)]
struct State {
    /// The saved node pool.
    node_pool: Option<NodePoolSnapshot>,
    /// Swarms by account; ordered so listing matches SQLite's `ORDER BY account`.
    swarms: BTreeMap<Account, SwarmSnapshot>,
    /// Last hashes by (account, namespace, node).
    last_hashes: HashMap<(Account, i16, [u8; 32]), String>,
    /// Seen hashes by (account, hash), with their expiry in ms.
    seen: HashMap<(Account, String), i64>,
    /// The network clock offset.
    clock_offset: Option<i64>,
    /// Blobs by (namespace, key); ordered so key listings are in byte order.
    blobs: BTreeMap<(String, Vec<u8>), Vec<u8>>,
}

impl State {
    /// Applies one write that has already been validated; returns, for a mark-seen
    /// write, whether the hash was new. Nothing here can fail, which is what makes a
    /// validated batch all-or-nothing without a copy of the state.
    fn apply(&mut self, op: &Op) -> Option<bool> {
        match op {
            Op::SetNodePool {
                nodes,
                fetched_at_ms,
            } => {
                self.node_pool = Some(NodePoolSnapshot {
                    nodes: nodes.clone(),
                    fetched_at_ms: *fetched_at_ms,
                });
            }
            Op::SetSwarm {
                account,
                members,
                fetched_at_ms,
            } => {
                self.swarms.insert(
                    *account,
                    SwarmSnapshot {
                        members: members.clone(),
                        fetched_at_ms: *fetched_at_ms,
                    },
                );
            }
            Op::RemoveSwarm { account } => {
                self.swarms.remove(account);
            }
            Op::SetLastHash {
                account,
                namespace,
                node,
                hash,
            } => {
                self.last_hashes
                    .insert((*account, *namespace, *node), hash.clone());
            }
            Op::MarkSeen {
                account,
                hash,
                expiry_ms,
            } => {
                return Some(match self.seen.get_mut(&(*account, hash.clone())) {
                    Some(expiry) => {
                        *expiry = (*expiry).max(*expiry_ms);
                        false
                    }
                    None => {
                        self.seen.insert((*account, hash.clone()), *expiry_ms);
                        true
                    }
                });
            }
            Op::SetClockOffset { offset_ms } => self.clock_offset = Some(*offset_ms),
            Op::PutBlob {
                namespace,
                key,
                value,
            } => {
                self.blobs
                    .insert((namespace.clone(), key.clone()), value.clone());
            }
            Op::DeleteBlob { namespace, key } => {
                self.blobs.remove(&(namespace.clone(), key.clone()));
            }
            Op::ForgetAccount { account } => {
                self.swarms.remove(account);
                self.last_hashes.retain(|(a, _, _), _| a != account);
                self.seen.retain(|(a, _), _| a != account);
            }
        }
        None
    }
}

/// A [`Store`] in memory: lost when dropped. Behaves exactly like
/// [`SqliteStore`](crate::store::SqliteStore) otherwise.
#[derive(Default)]
pub struct MemoryStore {
    /// The state; one lock so a batch is applied without interleaving.
    state: Mutex<State>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// The state, locked. A panic while it was held cannot have left a batch half
    /// applied (applying cannot fail or panic after validation), so poisoning is ignored.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Store for MemoryStore {
    fn apply(&self, batch: &WriteBatch) -> Result<Vec<bool>, StoreError> {
        batch.validate()?;
        let mut state = self.lock();
        Ok(batch
            .ops()
            .iter()
            .filter_map(|op| state.apply(op))
            .collect())
    }

    fn prune_seen(&self, now_ms: i64) -> Result<usize, StoreError> {
        let mut state = self.lock();
        let before = state.seen.len();
        state.seen.retain(|_, expiry| *expiry > now_ms);
        Ok(before - state.seen.len())
    }

    fn load_node_pool(&self) -> Result<Option<NodePoolSnapshot>, StoreError> {
        Ok(self.lock().node_pool.clone())
    }

    fn load_swarm(&self, account: &Account) -> Result<Option<SwarmSnapshot>, StoreError> {
        Ok(self.lock().swarms.get(account).cloned())
    }

    fn load_swarms(&self) -> Result<Vec<(Account, SwarmSnapshot)>, StoreError> {
        Ok(self
            .lock()
            .swarms
            .iter()
            .map(|(account, swarm)| (*account, swarm.clone()))
            .collect())
    }

    fn last_hash(
        &self,
        account: &Account,
        namespace: i16,
        node: &[u8; 32],
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .lock()
            .last_hashes
            .get(&(*account, namespace, *node))
            .cloned())
    }

    fn is_seen(&self, account: &Account, hash: &str) -> Result<bool, StoreError> {
        Ok(self.lock().seen.contains_key(&(*account, hash.to_owned())))
    }

    fn clock_offset(&self) -> Result<Option<i64>, StoreError> {
        Ok(self.lock().clock_offset)
    }

    fn get_blob(&self, namespace: &str, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .lock()
            .blobs
            .get(&(namespace.to_owned(), key.to_vec()))
            .cloned())
    }

    fn blob_keys(&self, namespace: &str) -> Result<Vec<Vec<u8>>, StoreError> {
        Ok(self
            .lock()
            .blobs
            .keys()
            .filter(|(ns, _)| ns == namespace)
            .map(|(_, key)| key.clone())
            .collect())
    }
}

// Sizes only: blobs may be group keys.
impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("MemoryStore")
            .field(
                "nodes",
                &state.node_pool.as_ref().map_or(0, |p| p.nodes.len()),
            )
            .field("swarms", &state.swarms.len())
            .field("last_hashes", &state.last_hashes.len())
            .field("seen", &state.seen.len())
            .field("blobs", &state.blobs.len())
            .finish()
    }
}
