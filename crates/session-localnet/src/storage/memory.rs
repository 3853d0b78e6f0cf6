//! The default message store: plain collections behind one mutex, gone when the node is.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::fmt;
use std::sync::{Mutex, MutexGuard};

use super::expiry_tally::ExpiryTally;
use super::{
    ExpireMode, ExpiryUpdate, MAX_REVOKED_PER_ACCOUNT, Namespaces, Storage, StorageError,
    StoreOutcome, StoredMessage,
};
use crate::account::AccountId;

/// A [`Storage`] in memory, for nodes that need not survive a restart.
///
/// Rows are kept by hash (the real table's `UNIQUE(hash)`) plus an ordered index of
/// `(account, namespace, insertion sequence)`, which gives retrieval its insertion order
/// without scanning other accounts.
#[derive(Default)]
pub struct MemoryStorage {
    inner: Mutex<Inner>,
}

impl MemoryStorage {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // No code below can panic halfway through a mutation, so the collections behind a
        // poisoned lock are still consistent and a node keeps serving.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl fmt::Debug for MemoryStorage {
    // Message bytes stay out of logs: only counts are shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = self.lock();
        f.debug_struct("MemoryStorage")
            .field("messages", &inner.rows.len())
            .field("accounts_with_revocations", &inner.revoked.len())
            .finish()
    }
}

/// A stored message apart from its hash, which is the key it is kept under.
struct Row {
    account: AccountId,
    namespace: i16,
    seq: u64,
    timestamp_ms: u64,
    expiry_ms: u64,
    data: Vec<u8>,
}

/// Position of a row in the ordered index.
type OrderKey = (AccountId, i16, u64);

#[derive(Default)]
struct Inner {
    next_seq: u64,
    rows: HashMap<String, Row>,
    order: BTreeMap<OrderKey, String>,
    revoked: HashMap<AccountId, VecDeque<[u8; 36]>>,
}

impl Inner {
    /// Index keys of `account`'s rows in `namespaces`, in namespace then insertion order.
    fn keys_in(&self, account: &AccountId, namespaces: Namespaces) -> Vec<OrderKey> {
        let (low, high) = match namespaces {
            Namespaces::One(namespace) => (namespace, namespace),
            Namespaces::All => (i16::MIN, i16::MAX),
        };
        self.order
            .range((*account, low, 0)..=(*account, high, u64::MAX))
            .map(|(key, _)| *key)
            .collect()
    }

    /// Removes a row by its index key; returns its namespace and hash.
    fn remove_key(&mut self, key: &OrderKey) -> Option<(i16, String)> {
        let hash = self.order.remove(key)?;
        self.rows.remove(&hash);
        Some((key.1, hash))
    }

    /// The row with `hash` if it belongs to `account`.
    fn owned_mut(&mut self, account: &AccountId, hash: &str) -> Option<&mut Row> {
        self.rows
            .get_mut(hash)
            .filter(|row| row.account == *account)
    }

    /// Deletes `account`'s rows in `namespaces` that `doomed` picks; sorted results.
    fn delete_where(
        &mut self,
        account: &AccountId,
        namespaces: Namespaces,
        doomed: impl Fn(&Row) -> bool,
    ) -> Vec<(i16, String)> {
        let mut deleted = Vec::new();
        for key in self.keys_in(account, namespaces) {
            let picked = self
                .order
                .get(&key)
                .and_then(|hash| self.rows.get(hash))
                .is_some_and(&doomed);
            if picked && let Some(gone) = self.remove_key(&key) {
                deleted.push(gone);
            }
        }
        deleted.sort();
        deleted
    }
}

impl Storage for MemoryStorage {
    fn store(&self, message: StoredMessage) -> Result<StoreOutcome, StorageError> {
        let mut inner = self.lock();
        if let Some(row) = inner.rows.get_mut(&message.hash) {
            row.expiry_ms = row.expiry_ms.max(message.expiry_ms);
            return Ok(StoreOutcome::Already {
                expiry_ms: row.expiry_ms,
            });
        }
        let seq = inner.next_seq;
        inner.next_seq += 1;
        inner.order.insert(
            (message.account, message.namespace, seq),
            message.hash.clone(),
        );
        inner.rows.insert(
            message.hash,
            Row {
                account: message.account,
                namespace: message.namespace,
                seq,
                timestamp_ms: message.timestamp_ms,
                expiry_ms: message.expiry_ms,
                data: message.data,
            },
        );
        Ok(StoreOutcome::New)
    }

    fn retrieve(
        &self,
        account: &AccountId,
        namespace: i16,
        last_hash: Option<&str>,
        limit: Option<usize>,
    ) -> Result<Vec<StoredMessage>, StorageError> {
        let inner = self.lock();
        let start = last_hash
            .and_then(|hash| inner.rows.get(hash))
            .filter(|row| row.account == *account && row.namespace == namespace)
            .map_or(0, |row| row.seq + 1);
        let messages = inner
            .order
            .range((*account, namespace, start)..=(*account, namespace, u64::MAX))
            .take(limit.unwrap_or(usize::MAX))
            .filter_map(|(_, hash)| {
                inner.rows.get(hash).map(|row| StoredMessage {
                    account: row.account,
                    namespace: row.namespace,
                    hash: hash.clone(),
                    timestamp_ms: row.timestamp_ms,
                    expiry_ms: row.expiry_ms,
                    data: row.data.clone(),
                })
            })
            .collect();
        Ok(messages)
    }

    fn delete_hashes(
        &self,
        account: &AccountId,
        hashes: &[String],
    ) -> Result<Vec<String>, StorageError> {
        let mut inner = self.lock();
        let mut deleted = BTreeSet::new();
        for hash in hashes {
            let key = inner
                .rows
                .get(hash)
                .filter(|row| row.account == *account)
                .map(|row| (row.account, row.namespace, row.seq));
            if let Some(key) = key
                && let Some((_, gone)) = inner.remove_key(&key)
            {
                deleted.insert(gone);
            }
        }
        Ok(deleted.into_iter().collect())
    }

    fn delete_all(
        &self,
        account: &AccountId,
        namespaces: Namespaces,
    ) -> Result<Vec<(i16, String)>, StorageError> {
        Ok(self.lock().delete_where(account, namespaces, |_| true))
    }

    fn delete_before(
        &self,
        account: &AccountId,
        namespaces: Namespaces,
        before_ms: u64,
    ) -> Result<Vec<(i16, String)>, StorageError> {
        Ok(self
            .lock()
            .delete_where(account, namespaces, |row| row.timestamp_ms <= before_ms))
    }

    fn delete_others(
        &self,
        account: &AccountId,
        namespace: i16,
        keep_hash: &str,
    ) -> Result<(), StorageError> {
        let mut inner = self.lock();
        for key in inner.keys_in(account, Namespaces::One(namespace)) {
            if inner.order.get(&key).is_some_and(|hash| hash != keep_hash) {
                inner.remove_key(&key);
            }
        }
        Ok(())
    }

    fn shorten_all(
        &self,
        account: &AccountId,
        namespaces: Namespaces,
        expiry_ms: u64,
    ) -> Result<Vec<(i16, String)>, StorageError> {
        let mut inner = self.lock();
        let mut updated = Vec::new();
        for key in inner.keys_in(account, namespaces) {
            let Some(hash) = inner.order.get(&key).cloned() else {
                continue;
            };
            if let Some(row) = inner.rows.get_mut(&hash)
                && row.expiry_ms > expiry_ms
            {
                row.expiry_ms = expiry_ms;
                updated.push((key.1, hash));
            }
        }
        updated.sort();
        Ok(updated)
    }

    fn update_expiries(
        &self,
        account: &AccountId,
        targets: &[(String, u64)],
        mode: ExpireMode,
    ) -> Result<ExpiryUpdate, StorageError> {
        let mut inner = self.lock();
        let mut tally = ExpiryTally::default();
        for (hash, expiry_ms) in targets {
            if let Some(row) = inner.owned_mut(account, hash)
                && tally.offer(mode, hash, row.expiry_ms, *expiry_ms)
            {
                row.expiry_ms = *expiry_ms;
            }
        }
        Ok(tally.finish())
    }

    fn expiries(
        &self,
        account: &AccountId,
        hashes: &[String],
    ) -> Result<Vec<(String, u64)>, StorageError> {
        let inner = self.lock();
        let found: BTreeMap<String, u64> = hashes
            .iter()
            .filter_map(|hash| {
                let row = inner.rows.get(hash).filter(|row| row.account == *account)?;
                Some((hash.clone(), row.expiry_ms))
            })
            .collect();
        Ok(found.into_iter().collect())
    }

    fn sweep_expired(&self, now_ms: u64) -> Result<usize, StorageError> {
        let mut inner = self.lock();
        let doomed: Vec<OrderKey> = inner
            .rows
            .values()
            .filter(|row| row.expiry_ms < now_ms)
            .map(|row| (row.account, row.namespace, row.seq))
            .collect();
        for key in &doomed {
            inner.remove_key(key);
        }
        Ok(doomed.len())
    }

    fn revoke(&self, account: &AccountId, tokens: &[[u8; 36]]) -> Result<(), StorageError> {
        let mut inner = self.lock();
        let list = inner.revoked.entry(*account).or_default();
        for token in tokens {
            // A token already revoked keeps its place, as `ON CONFLICT DO NOTHING` does.
            if !list.contains(token) {
                list.push_back(*token);
            }
        }
        while list.len() > MAX_REVOKED_PER_ACCOUNT {
            list.pop_front();
        }
        Ok(())
    }

    fn unrevoke(&self, account: &AccountId, tokens: &[[u8; 36]]) -> Result<usize, StorageError> {
        let mut inner = self.lock();
        let Some(list) = inner.revoked.get_mut(account) else {
            return Ok(0);
        };
        let before = list.len();
        list.retain(|kept| !tokens.contains(kept));
        let removed = before - list.len();
        if list.is_empty() {
            inner.revoked.remove(account);
        }
        Ok(removed)
    }

    fn is_revoked(&self, account: &AccountId, token: &[u8; 36]) -> Result<bool, StorageError> {
        Ok(self
            .lock()
            .revoked
            .get(account)
            .is_some_and(|list| list.contains(token)))
    }

    fn revoked(&self, account: &AccountId) -> Result<Vec<[u8; 36]>, StorageError> {
        Ok(self
            .lock()
            .revoked
            .get(account)
            .map(|list| list.iter().copied().collect())
            .unwrap_or_default())
    }

    fn message_count(&self) -> Result<usize, StorageError> {
        Ok(self.lock().rows.len())
    }
}
