//! The `Store` trait: what the swarm client persists and how it reads it back.

use crate::net::ServiceNode;
use crate::rpc::Account;
use crate::store::batch::WriteBatch;
use crate::store::error::StoreError;
use crate::store::snapshot::{NodePoolSnapshot, SwarmSnapshot};

/// Persisted swarm-client state: node pool, swarms, last and seen hashes, clock offset and
/// keyed blobs (config dumps, group keys).
///
/// Every write goes through [`Store::apply`], which applies a [`WriteBatch`] atomically;
/// the other write methods are one-write batches. Calls block (SQLite does file I/O):
/// async callers wrap them in `spawn_blocking`. `Debug` is required so structs holding an
/// `Arc<dyn Store>` can derive it; implementations never print stored contents.
///
/// # Exactly-once delivery
///
/// A poll's messages are de-duplicated by hash, across nodes and restarts:
///
/// 1. drop the polled messages for which [`Store::is_seen`] is true;
/// 2. hand the rest to the application;
/// 3. [`Store::commit_poll`] the poll: the new last hash and the delivered hashes in one
///    atomic write.
///
/// A crash before step 3 leaves the last hash where it was and nothing marked, so the
/// next poll fetches the messages again and delivers them once more; a crash after it
/// leaves them marked, so no other node's copy is delivered. Callers that poll one
/// account from several nodes at once claim each message first with
/// [`Store::mark_seen_if_new`] (true for one caller only) and then commit the last hash.
pub trait Store: Send + Sync + core::fmt::Debug {
    /// Applies all writes of `batch` in order, or none of them if any fails.
    ///
    /// Returns one flag per [`WriteBatch::mark_seen`] write, in order: true where the hash
    /// was not seen before (earlier writes of the same batch included).
    fn apply(&self, batch: &WriteBatch) -> Result<Vec<bool>, StoreError>;

    /// Drops seen hashes whose expiry is at or before `now_ms`, returning how many.
    /// Until pruned, an expired hash still counts as seen.
    fn prune_seen(&self, now_ms: i64) -> Result<usize, StoreError>;

    /// The saved node pool, or `None` if none was ever saved.
    fn load_node_pool(&self) -> Result<Option<NodePoolSnapshot>, StoreError>;

    /// `account`'s saved swarm, if any.
    fn load_swarm(&self, account: &Account) -> Result<Option<SwarmSnapshot>, StoreError>;

    /// Every saved swarm, ordered by account bytes.
    fn load_swarms(&self) -> Result<Vec<(Account, SwarmSnapshot)>, StoreError>;

    /// The last hash polled from `node` for `account` in `namespace`, if any.
    fn last_hash(
        &self,
        account: &Account,
        namespace: i16,
        node: &[u8; 32],
    ) -> Result<Option<String>, StoreError>;

    /// Whether message `hash` of `account` is marked seen (and not yet pruned).
    fn is_seen(&self, account: &Account, hash: &str) -> Result<bool, StoreError>;

    /// The saved network clock offset, if any.
    fn clock_offset(&self) -> Result<Option<i64>, StoreError>;

    /// The blob under (`namespace`, `key`), if any.
    fn get_blob(&self, namespace: &str, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError>;

    /// The keys of the blobs in `namespace`, in byte order.
    fn blob_keys(&self, namespace: &str) -> Result<Vec<Vec<u8>>, StoreError>;

    /// Records one poll atomically: `node`'s new last hash for `account` in `namespace`
    /// and the hashes (with expiries, ms) of the messages it returned.
    ///
    /// Returns, per entry of `newly_seen`, whether that hash was new.
    fn commit_poll(
        &self,
        account: &Account,
        namespace: i16,
        node: &[u8; 32],
        new_last_hash: &str,
        newly_seen: &[(&str, i64)],
    ) -> Result<Vec<bool>, StoreError> {
        let mut batch = WriteBatch::new();
        // Last hash first: a batch is all-or-nothing, so the order only matters to
        // readers of the batch, who expect "where polling stands, then what it saw".
        batch.set_last_hash(account, namespace, node, new_last_hash);
        for (hash, expiry_ms) in newly_seen {
            batch.mark_seen(account, hash, *expiry_ms);
        }
        self.apply(&batch)
    }

    /// Marks message `hash` of `account` seen until `expiry_ms`; true the first time only.
    /// Marking again keeps the later expiry.
    fn mark_seen_if_new(
        &self,
        account: &Account,
        hash: &str,
        expiry_ms: i64,
    ) -> Result<bool, StoreError> {
        let mut batch = WriteBatch::new();
        batch.mark_seen(account, hash, expiry_ms);
        Ok(self.apply(&batch)?.first().copied().unwrap_or(false))
    }

    /// Replaces the saved node pool.
    fn save_node_pool(&self, nodes: &[ServiceNode], fetched_at_ms: i64) -> Result<(), StoreError> {
        let mut batch = WriteBatch::new();
        batch.set_node_pool(nodes, fetched_at_ms);
        self.apply(&batch).map(drop)
    }

    /// Replaces `account`'s saved swarm (members' Ed25519 keys).
    fn save_swarm(
        &self,
        account: &Account,
        members: &[[u8; 32]],
        fetched_at_ms: i64,
    ) -> Result<(), StoreError> {
        let mut batch = WriteBatch::new();
        batch.set_swarm(account, members, fetched_at_ms);
        self.apply(&batch).map(drop)
    }

    /// Forgets `account`'s saved swarm.
    fn remove_swarm(&self, account: &Account) -> Result<(), StoreError> {
        let mut batch = WriteBatch::new();
        batch.remove_swarm(account);
        self.apply(&batch).map(drop)
    }

    /// Sets the last hash polled from `node` for `account` in `namespace`.
    fn set_last_hash(
        &self,
        account: &Account,
        namespace: i16,
        node: &[u8; 32],
        hash: &str,
    ) -> Result<(), StoreError> {
        let mut batch = WriteBatch::new();
        batch.set_last_hash(account, namespace, node, hash);
        self.apply(&batch).map(drop)
    }

    /// Saves the network clock offset.
    fn set_clock_offset(&self, offset_ms: i64) -> Result<(), StoreError> {
        let mut batch = WriteBatch::new();
        batch.set_clock_offset(offset_ms);
        self.apply(&batch).map(drop)
    }

    /// Stores `value` under (`namespace`, `key`).
    fn put_blob(&self, namespace: &str, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        let mut batch = WriteBatch::new();
        batch.put_blob(namespace, key, value);
        self.apply(&batch).map(drop)
    }

    /// Deletes the blob under (`namespace`, `key`), if any.
    fn delete_blob(&self, namespace: &str, key: &[u8]) -> Result<(), StoreError> {
        let mut batch = WriteBatch::new();
        batch.delete_blob(namespace, key);
        self.apply(&batch).map(drop)
    }

    /// Forgets `account`'s swarm, last hashes and seen hashes.
    fn forget_account(&self, account: &Account) -> Result<(), StoreError> {
        let mut batch = WriteBatch::new();
        batch.forget_account(account);
        self.apply(&batch).map(drop)
    }
}
