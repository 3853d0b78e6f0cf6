//! One behaviour for every `Store`: the same checks run against `MemoryStore`,
//! `SqliteStore::in_memory` and an `SqliteStore` file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use session_swarm::net::ServiceNode;
use session_swarm::rpc::Account;
use session_swarm::store::{
    MAX_HASH_LEN, MemoryStore, NodePoolSnapshot, SqliteStore, Store, StoreError, SwarmSnapshot,
    WriteBatch,
};

/// A directory removed on drop, unique per test (tests run in parallel).
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "session-swarm-store-conformance-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn account(n: u8) -> Account {
    Account::new(0x05, &[n; 32])
}

fn node(n: u8) -> ServiceNode {
    ServiceNode {
        ed25519: [n; 32],
        x25519: [n.wrapping_add(100); 32],
        ip: Ipv4Addr::new(10, 0, 0, n),
        https_port: 20_000 + u16::from(n),
    }
}

/// A 43-character hash like the server's.
fn hash(n: u8) -> String {
    format!("{n:0>43}")
}

fn empty_store_reads_nothing(store: &dyn Store) {
    assert_eq!(store.load_node_pool().unwrap(), None);
    assert_eq!(store.load_swarm(&account(1)).unwrap(), None);
    assert!(store.load_swarms().unwrap().is_empty());
    assert_eq!(store.last_hash(&account(1), 0, &[1; 32]).unwrap(), None);
    assert!(!store.is_seen(&account(1), &hash(1)).unwrap());
    assert_eq!(store.clock_offset().unwrap(), None);
    assert_eq!(store.get_blob("config", b"k").unwrap(), None);
    assert!(store.blob_keys("config").unwrap().is_empty());
    assert_eq!(store.prune_seen(i64::MAX).unwrap(), 0);
}

fn node_pool_round_trips_and_is_replaced(store: &dyn Store) {
    let nodes = vec![node(3), node(1), node(2)];
    store.save_node_pool(&nodes, 1_000).unwrap();
    assert_eq!(
        store.load_node_pool().unwrap(),
        Some(NodePoolSnapshot {
            nodes: nodes.clone(),
            fetched_at_ms: 1_000
        })
    );
    // Extremes of every field survive.
    let edge = ServiceNode {
        ed25519: [0xff; 32],
        x25519: [0; 32],
        ip: Ipv4Addr::new(255, 255, 255, 255),
        https_port: u16::MAX,
    };
    store
        .save_node_pool(std::slice::from_ref(&edge), -5)
        .unwrap();
    let pool = store.load_node_pool().unwrap().unwrap();
    assert_eq!(pool.nodes, [edge]);
    assert_eq!(pool.fetched_at_ms, -5);
    // An empty pool is a saved pool, not "never saved".
    store.save_node_pool(&[], 7).unwrap();
    assert_eq!(
        store.load_node_pool().unwrap(),
        Some(NodePoolSnapshot {
            nodes: vec![],
            fetched_at_ms: 7
        })
    );
}

fn swarms_round_trip_per_account(store: &dyn Store) {
    let (a, b) = (account(2), account(1));
    store.save_swarm(&a, &[[3; 32], [1; 32]], 10).unwrap();
    store.save_swarm(&b, &[[9; 32]], 20).unwrap();
    assert_eq!(
        store.load_swarm(&a).unwrap(),
        Some(SwarmSnapshot {
            members: vec![[3; 32], [1; 32]],
            fetched_at_ms: 10
        })
    );
    // Listed by account bytes.
    let all = store.load_swarms().unwrap();
    assert_eq!(all.iter().map(|(acc, _)| *acc).collect::<Vec<_>>(), [b, a]);
    // Replacing, emptying and removing.
    store.save_swarm(&a, &[], 30).unwrap();
    assert_eq!(
        store.load_swarm(&a).unwrap().unwrap().members,
        Vec::<[u8; 32]>::new()
    );
    store.remove_swarm(&a).unwrap();
    assert_eq!(store.load_swarm(&a).unwrap(), None);
    store.remove_swarm(&a).unwrap();
    assert_eq!(store.load_swarms().unwrap().len(), 1);
}

fn last_hashes_are_keyed_by_account_namespace_and_node(store: &dyn Store) {
    let a = account(1);
    store.set_last_hash(&a, 0, &[1; 32], &hash(1)).unwrap();
    store.set_last_hash(&a, -10, &[1; 32], &hash(2)).unwrap();
    store.set_last_hash(&a, 0, &[2; 32], &hash(3)).unwrap();
    store
        .set_last_hash(&account(2), 0, &[1; 32], &hash(4))
        .unwrap();
    assert_eq!(store.last_hash(&a, 0, &[1; 32]).unwrap(), Some(hash(1)));
    assert_eq!(store.last_hash(&a, -10, &[1; 32]).unwrap(), Some(hash(2)));
    assert_eq!(store.last_hash(&a, 0, &[2; 32]).unwrap(), Some(hash(3)));
    assert_eq!(
        store.last_hash(&account(2), 0, &[1; 32]).unwrap(),
        Some(hash(4))
    );
    assert_eq!(store.last_hash(&a, 1, &[1; 32]).unwrap(), None);
    store.set_last_hash(&a, 0, &[1; 32], &hash(5)).unwrap();
    assert_eq!(store.last_hash(&a, 0, &[1; 32]).unwrap(), Some(hash(5)));
}

fn mark_seen_if_new_is_true_once(store: &dyn Store) {
    let a = account(1);
    assert!(store.mark_seen_if_new(&a, &hash(1), 100).unwrap());
    assert!(!store.mark_seen_if_new(&a, &hash(1), 100).unwrap());
    assert!(store.is_seen(&a, &hash(1)).unwrap());
    // Per account: the same hash for another account is new.
    assert!(store.mark_seen_if_new(&account(2), &hash(1), 100).unwrap());
    // Hashes are case-sensitive (base64).
    assert!(store.mark_seen_if_new(&a, "AbC", 100).unwrap());
    assert!(store.mark_seen_if_new(&a, "abc", 100).unwrap());
}

fn prune_drops_expired_and_keeps_the_later_expiry(store: &dyn Store) {
    let a = account(1);
    store.mark_seen_if_new(&a, &hash(1), 100).unwrap();
    store.mark_seen_if_new(&a, &hash(2), 200).unwrap();
    store.mark_seen_if_new(&a, &hash(3), 300).unwrap();
    // Marking again extends, never shortens.
    assert!(!store.mark_seen_if_new(&a, &hash(1), 250).unwrap());
    assert!(!store.mark_seen_if_new(&a, &hash(3), 50).unwrap());
    // Expired but not pruned still counts as seen.
    assert!(store.is_seen(&a, &hash(2)).unwrap());
    assert_eq!(store.prune_seen(199).unwrap(), 0);
    assert_eq!(store.prune_seen(200).unwrap(), 1); // at expiry: gone
    assert!(!store.is_seen(&a, &hash(2)).unwrap());
    assert!(store.is_seen(&a, &hash(1)).unwrap());
    assert_eq!(store.prune_seen(300).unwrap(), 2);
    // Once pruned, a hash is new again.
    assert!(store.mark_seen_if_new(&a, &hash(1), 400).unwrap());
}

fn commit_poll_records_last_hash_and_seen_together(store: &dyn Store) {
    let (a, n) = (account(1), [4; 32]);
    let first = store
        .commit_poll(&a, 0, &n, &hash(2), &[(&hash(1), 10), (&hash(2), 20)])
        .unwrap();
    assert_eq!(first, [true, true]);
    assert_eq!(store.last_hash(&a, 0, &n).unwrap(), Some(hash(2)));
    assert!(store.is_seen(&a, &hash(1)).unwrap());
    // Another node returns an overlapping set: only the unseen one is new, and a hash
    // repeated within one poll is new once.
    let second = store
        .commit_poll(
            &a,
            0,
            &[5; 32],
            &hash(3),
            &[(&hash(2), 20), (&hash(3), 30), (&hash(3), 30)],
        )
        .unwrap();
    assert_eq!(second, [false, true, false]);
    assert_eq!(store.last_hash(&a, 0, &n).unwrap(), Some(hash(2)));
    assert_eq!(store.last_hash(&a, 0, &[5; 32]).unwrap(), Some(hash(3)));
    // A poll with nothing new still moves the last hash.
    assert_eq!(
        store.commit_poll(&a, 0, &n, &hash(3), &[]).unwrap(),
        Vec::<bool>::new()
    );
    assert_eq!(store.last_hash(&a, 0, &n).unwrap(), Some(hash(3)));
}

fn invalid_batch_writes_nothing(store: &dyn Store) {
    let (a, n) = (account(1), [4; 32]);
    store.set_last_hash(&a, 0, &n, &hash(1)).unwrap();
    // The bad hash comes last: nothing before it may be applied.
    let err = store
        .commit_poll(&a, 0, &n, &hash(9), &[(&hash(8), 10), ("", 10)])
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(_)), "{err:?}");
    assert_eq!(store.last_hash(&a, 0, &n).unwrap(), Some(hash(1)));
    assert!(!store.is_seen(&a, &hash(8)).unwrap());

    let long = "x".repeat(MAX_HASH_LEN + 1);
    assert!(matches!(
        store.mark_seen_if_new(&a, &long, 1),
        Err(StoreError::Invalid(_))
    ));
    assert!(
        store
            .mark_seen_if_new(&a, &"x".repeat(MAX_HASH_LEN), 1)
            .unwrap()
    );
    assert!(matches!(
        store.set_last_hash(&a, 0, &n, ""),
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        store.put_blob("", b"k", b"v"),
        Err(StoreError::Invalid(_))
    ));

    let mut batch = WriteBatch::new();
    batch
        .set_clock_offset(5)
        .put_blob("config", b"k", b"v")
        .put_blob(&"n".repeat(65), b"k", b"v");
    assert!(store.apply(&batch).is_err());
    assert_eq!(store.clock_offset().unwrap(), None);
    assert_eq!(store.get_blob("config", b"k").unwrap(), None);
}

fn batch_applies_in_order(store: &dyn Store) {
    let a = account(1);
    let mut batch = WriteBatch::new();
    batch
        .set_node_pool(&[node(1)], 1)
        .set_swarm(&a, &[[1; 32]], 2)
        .mark_seen(&a, &hash(1), 10)
        .set_last_hash(&a, 2, &[1; 32], &hash(1))
        .mark_seen(&a, &hash(1), 10)
        .set_clock_offset(-42)
        .put_blob("config", b"user", b"dump-1")
        .put_blob("config", b"user", b"dump-2")
        .put_blob("group_keys", b"03ab", b"keys")
        .delete_blob("group_keys", b"03ab");
    assert_eq!(batch.len(), 10);
    assert_eq!(store.apply(&batch).unwrap(), [true, false]);
    assert_eq!(store.load_node_pool().unwrap().unwrap().nodes, [node(1)]);
    assert_eq!(store.load_swarm(&a).unwrap().unwrap().fetched_at_ms, 2);
    assert_eq!(store.last_hash(&a, 2, &[1; 32]).unwrap(), Some(hash(1)));
    assert_eq!(store.clock_offset().unwrap(), Some(-42));
    assert_eq!(
        store.get_blob("config", b"user").unwrap().as_deref(),
        Some(&b"dump-2"[..])
    );
    assert_eq!(store.get_blob("group_keys", b"03ab").unwrap(), None);
    // An empty batch is fine and does nothing.
    assert_eq!(store.apply(&WriteBatch::new()).unwrap(), Vec::<bool>::new());
}

fn clock_offset_round_trips(store: &dyn Store) {
    for offset in [0, -1, i64::MIN, i64::MAX, 1_234] {
        store.set_clock_offset(offset).unwrap();
        assert_eq!(store.clock_offset().unwrap(), Some(offset));
    }
}

fn blobs_are_keyed_by_namespace_and_key(store: &dyn Store) {
    store.put_blob("config", b"b", b"2").unwrap();
    store.put_blob("config", b"a", b"1").unwrap();
    store.put_blob("config", b"", b"empty key").unwrap();
    store.put_blob("config", &[0xff, 0], b"").unwrap();
    store.put_blob("group_keys", b"a", &[0; 100_000]).unwrap();
    assert_eq!(
        store.blob_keys("config").unwrap(),
        [b"".to_vec(), b"a".to_vec(), b"b".to_vec(), vec![0xff, 0]]
    );
    assert_eq!(store.get_blob("config", b"a").unwrap(), Some(b"1".to_vec()));
    assert_eq!(store.get_blob("config", &[0xff, 0]).unwrap(), Some(vec![]));
    assert_eq!(
        store.get_blob("group_keys", b"a").unwrap().unwrap().len(),
        100_000
    );
    assert_eq!(store.get_blob("other", b"a").unwrap(), None);
    store.delete_blob("config", b"a").unwrap();
    store.delete_blob("config", b"missing").unwrap();
    assert_eq!(store.get_blob("config", b"a").unwrap(), None);
    assert_eq!(store.blob_keys("config").unwrap().len(), 3);
}

fn forget_account_drops_only_that_account(store: &dyn Store) {
    let (a, b) = (account(1), account(2));
    for acc in [a, b] {
        store.save_swarm(&acc, &[[1; 32]], 1).unwrap();
        store
            .commit_poll(&acc, 0, &[1; 32], &hash(1), &[(&hash(1), 10)])
            .unwrap();
    }
    store.put_blob("config", a.as_bytes(), b"dump").unwrap();
    store.forget_account(&a).unwrap();
    assert_eq!(store.load_swarm(&a).unwrap(), None);
    assert_eq!(store.last_hash(&a, 0, &[1; 32]).unwrap(), None);
    assert!(!store.is_seen(&a, &hash(1)).unwrap());
    assert!(store.load_swarm(&b).unwrap().is_some());
    assert!(store.is_seen(&b, &hash(1)).unwrap());
    assert!(store.get_blob("config", a.as_bytes()).unwrap().is_some());
}

fn concurrent_claims_deliver_once(store: Arc<dyn Store>) {
    // Eight pollers see the same 50 messages; each must be claimed exactly once.
    let a = account(1);
    let claims: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let store = Arc::clone(&store);
                scope.spawn(move || {
                    (0..50u8)
                        .filter(|n| store.mark_seen_if_new(&a, &hash(*n), 1).unwrap())
                        .count()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    assert_eq!(claims, 50);
}

fn debug_never_shows_blobs(store: &dyn Store, debug: &str) {
    store
        .put_blob("group_keys", b"k", b"SECRET-GROUP-KEY")
        .unwrap();
    assert!(!debug.contains("SECRET"));
    let mut batch = WriteBatch::new();
    batch.put_blob("group_keys", b"k", b"SECRET-GROUP-KEY");
    assert!(!format!("{batch:?}").contains("SECRET"));
    assert!(!format!("{batch:?}").contains("83, 69")); // nor as bytes
}

/// Runs every check against a fresh store from `$make` (an expression yielding
/// `(guard, store)`; the guard keeps a temp dir alive).
macro_rules! conformance {
    ($suite:ident, $make:expr) => {
        mod $suite {
            use super::*;

            fn fresh() -> (Option<TempDir>, Arc<dyn Store>) {
                $make
            }

            macro_rules! check {
                ($name:ident) => {
                    #[test]
                    fn $name() {
                        let (_guard, store) = fresh();
                        super::$name(&*store);
                    }
                };
            }

            check!(empty_store_reads_nothing);
            check!(node_pool_round_trips_and_is_replaced);
            check!(swarms_round_trip_per_account);
            check!(last_hashes_are_keyed_by_account_namespace_and_node);
            check!(mark_seen_if_new_is_true_once);
            check!(prune_drops_expired_and_keeps_the_later_expiry);
            check!(commit_poll_records_last_hash_and_seen_together);
            check!(invalid_batch_writes_nothing);
            check!(batch_applies_in_order);
            check!(clock_offset_round_trips);
            check!(blobs_are_keyed_by_namespace_and_key);
            check!(forget_account_drops_only_that_account);

            #[test]
            fn concurrent_claims_deliver_once() {
                let (_guard, store) = fresh();
                super::concurrent_claims_deliver_once(store);
            }

            #[test]
            fn debug_never_shows_blobs() {
                let (_guard, store) = fresh();
                let debug = format!("{store:?}");
                super::debug_never_shows_blobs(&*store, &debug);
            }
        }
    };
}

conformance!(memory, (None, Arc::new(MemoryStore::new())));
conformance!(
    sqlite_in_memory,
    (None, Arc::new(SqliteStore::in_memory().unwrap()))
);
conformance!(sqlite_file, {
    let dir = TempDir::new();
    let store = SqliteStore::open(dir.0.join("state.db")).unwrap();
    (Some(dir), Arc::new(store))
});
