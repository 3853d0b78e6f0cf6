//! SQLite-only behaviour: persistence across reopen, schema versioning, crash safety,
//! and refusal of damaged files.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use rusqlite::Connection;
use session_swarm::net::ServiceNode;
use session_swarm::rpc::Account;
use session_swarm::store::{SqliteStore, Store, StoreError};

/// A directory removed on drop, unique per test (tests run in parallel).
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "session-swarm-store-sqlite-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        Self(dir)
    }

    fn db(&self) -> PathBuf {
        self.0.join("state.db")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const NODE: [u8; 32] = [4; 32];

fn account() -> Account {
    Account::new(0x05, &[1; 32])
}

fn hash(n: u8) -> String {
    format!("{n:0>43}")
}

fn node(n: u8) -> ServiceNode {
    ServiceNode {
        ed25519: [n; 32],
        x25519: [n + 1; 32],
        ip: Ipv4Addr::new(192, 168, 1, n),
        https_port: 22_000 + u16::from(n),
    }
}

fn user_version(path: &Path) -> i64 {
    Connection::open(path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap()
}

#[test]
fn reopen_keeps_everything() {
    let dir = TempDir::new();
    {
        let store = SqliteStore::open(dir.db()).unwrap();
        store.save_node_pool(&[node(1), node(2)], 111).unwrap();
        store
            .save_swarm(&account(), &[[2; 32], [1; 32]], 222)
            .unwrap();
        store
            .commit_poll(
                &account(),
                -10,
                &NODE,
                &hash(2),
                &[(&hash(1), 10), (&hash(2), 20)],
            )
            .unwrap();
        store.set_clock_offset(-1_500).unwrap();
        store.put_blob("config", b"user", b"dump").unwrap();
    }
    let store = SqliteStore::open(dir.db()).unwrap();
    let pool = store.load_node_pool().unwrap().unwrap();
    assert_eq!(pool.nodes, [node(1), node(2)]);
    assert_eq!(pool.fetched_at_ms, 111);
    let swarm = store.load_swarm(&account()).unwrap().unwrap();
    assert_eq!(swarm.members, [[2; 32], [1; 32]]);
    assert_eq!(swarm.fetched_at_ms, 222);
    assert_eq!(
        store.last_hash(&account(), -10, &NODE).unwrap(),
        Some(hash(2))
    );
    assert!(!store.mark_seen_if_new(&account(), &hash(1), 10).unwrap());
    assert!(!store.mark_seen_if_new(&account(), &hash(2), 20).unwrap());
    assert_eq!(store.clock_offset().unwrap(), Some(-1_500));
    assert_eq!(
        store.get_blob("config", b"user").unwrap(),
        Some(b"dump".to_vec())
    );
    // Expiries survived too.
    assert_eq!(store.prune_seen(15).unwrap(), 1);
}

#[test]
fn new_file_is_at_the_current_version_in_wal_mode() {
    let dir = TempDir::new();
    let store = SqliteStore::open(dir.db()).unwrap();
    assert_eq!(SqliteStore::SCHEMA_VERSION, 1);
    assert_eq!(store.schema_version().unwrap(), SqliteStore::SCHEMA_VERSION);
    assert_eq!(user_version(&dir.db()), 1);
    let mode: String = Connection::open(dir.db())
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(
        SqliteStore::in_memory().unwrap().schema_version().unwrap(),
        SqliteStore::SCHEMA_VERSION
    );
}

#[test]
fn an_empty_version_0_file_is_migrated() {
    let dir = TempDir::new();
    // A database some earlier code created without our tables.
    Connection::open(dir.db())
        .unwrap()
        .execute_batch("CREATE TABLE unrelated (x INTEGER)")
        .unwrap();
    assert_eq!(user_version(&dir.db()), 0);
    let store = SqliteStore::open(dir.db()).unwrap();
    assert_eq!(store.schema_version().unwrap(), 1);
    assert!(store.mark_seen_if_new(&account(), &hash(1), 1).unwrap());
    drop(store);
    // Reopening an up-to-date file does not migrate again.
    let store = SqliteStore::open(dir.db()).unwrap();
    assert!(store.is_seen(&account(), &hash(1)).unwrap());
}

#[test]
fn refuses_a_newer_schema_and_leaves_it_alone() {
    let dir = TempDir::new();
    drop(SqliteStore::open(dir.db()).unwrap());
    Connection::open(dir.db())
        .unwrap()
        .execute_batch("PRAGMA user_version = 7; CREATE TABLE from_the_future (x INTEGER);")
        .unwrap();
    let err = SqliteStore::open(dir.db()).unwrap_err();
    assert_eq!(
        err,
        StoreError::SchemaTooNew {
            found: 7,
            supported: 1
        }
    );
    assert_eq!(
        err.to_string(),
        "database schema version 7 is newer than the supported 1"
    );
    assert_eq!(user_version(&dir.db()), 7);
}

#[test]
fn dropping_the_store_mid_poll_loses_nothing_and_delivers_again() {
    let dir = TempDir::new();
    let a = account();
    {
        let store = SqliteStore::open(dir.db()).unwrap();
        store
            .commit_poll(&a, 0, &NODE, &hash(1), &[(&hash(1), 100)])
            .unwrap();
        // Poll 2 returned hashes 2 and 3; they are "delivered" and then the process dies
        // before commit_poll.
        for h in [hash(2), hash(3)] {
            assert!(!store.is_seen(&a, &h).unwrap());
        }
    }
    let store = SqliteStore::open(dir.db()).unwrap();
    // Polling resumes after poll 1, so 2 and 3 come back, unseen, and are delivered once.
    assert_eq!(store.last_hash(&a, 0, &NODE).unwrap(), Some(hash(1)));
    assert!(!store.is_seen(&a, &hash(2)).unwrap());
    assert!(!store.is_seen(&a, &hash(3)).unwrap());
    assert!(store.is_seen(&a, &hash(1)).unwrap());
    let redelivered = store
        .commit_poll(&a, 0, &NODE, &hash(3), &[(&hash(2), 100), (&hash(3), 100)])
        .unwrap();
    assert_eq!(redelivered, [true, true]);
}

#[test]
fn a_failure_inside_the_transaction_rolls_the_whole_poll_back() {
    let dir = TempDir::new();
    let a = account();
    let store = SqliteStore::open(dir.db()).unwrap();
    store
        .commit_poll(&a, 0, &NODE, &hash(1), &[(&hash(1), 100)])
        .unwrap();
    // Make the database itself fail the last write of the next poll, after the last hash
    // and the first seen hash were already written inside the transaction.
    let poison = hash(9);
    Connection::open(dir.db())
        .unwrap()
        .execute_batch(&format!(
            "CREATE TRIGGER crash BEFORE INSERT ON seen WHEN NEW.hash = '{poison}'
             BEGIN SELECT RAISE(ABORT, 'simulated crash'); END;"
        ))
        .unwrap();
    let err = store
        .commit_poll(&a, 0, &NODE, &hash(9), &[(&hash(2), 100), (&poison, 100)])
        .unwrap_err();
    assert!(matches!(err, StoreError::Database(_)), "{err:?}");
    assert_eq!(store.last_hash(&a, 0, &NODE).unwrap(), Some(hash(1)));
    assert!(!store.is_seen(&a, &hash(2)).unwrap());
    drop(store);
    let store = SqliteStore::open(dir.db()).unwrap();
    assert_eq!(store.last_hash(&a, 0, &NODE).unwrap(), Some(hash(1)));
    assert!(!store.is_seen(&a, &hash(2)).unwrap());
}

/// Set in the child process of `a_killed_process_keeps_its_committed_polls`.
const CHILD_DB: &str = "SESSION_SWARM_STORE_CRASH_CHILD_DB";

#[test]
fn a_killed_process_keeps_its_committed_polls() {
    if let Ok(path) = std::env::var(CHILD_DB) {
        // The child: commit one poll, then die without dropping anything (no WAL
        // checkpoint, no clean close).
        let store = SqliteStore::open(path).unwrap();
        store
            .commit_poll(&account(), 0, &NODE, &hash(5), &[(&hash(5), 100)])
            .unwrap();
        std::process::exit(3);
    }
    let dir = TempDir::new();
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "a_killed_process_keeps_its_committed_polls",
            "--nocapture",
        ])
        .env(CHILD_DB, dir.db())
        .status()
        .unwrap();
    assert!(!status.success(), "the child must have died");
    let store = SqliteStore::open(dir.db()).unwrap();
    assert_eq!(
        store.last_hash(&account(), 0, &NODE).unwrap(),
        Some(hash(5))
    );
    assert!(store.is_seen(&account(), &hash(5)).unwrap());
}

#[test]
fn two_connections_to_one_file_claim_each_message_once() {
    let dir = TempDir::new();
    let stores = [
        SqliteStore::open(dir.db()).unwrap(),
        SqliteStore::open(dir.db()).unwrap(),
    ];
    let claims: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = stores
            .iter()
            .map(|store| {
                scope.spawn(move || {
                    (0..40u8)
                        .filter(|n| store.mark_seen_if_new(&account(), &hash(*n), 1).unwrap())
                        .count()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    assert_eq!(claims, 40);
}

#[test]
fn damaged_rows_are_errors_not_panics() {
    let dir = TempDir::new();
    let store = SqliteStore::open(dir.db()).unwrap();
    store.save_node_pool(&[node(1)], 1).unwrap();
    store.save_swarm(&account(), &[[1; 32]], 1).unwrap();
    let raw = Connection::open(dir.db()).unwrap();
    raw.execute_batch(
        "UPDATE nodes SET x25519 = x'0102';
         UPDATE swarms SET members = x'010203';",
    )
    .unwrap();
    assert_eq!(store.load_node_pool(), Err(StoreError::Corrupt("nodes")));
    assert_eq!(
        store.load_swarm(&account()),
        Err(StoreError::Corrupt("swarms"))
    );
    assert_eq!(store.load_swarms(), Err(StoreError::Corrupt("swarms")));
    raw.execute_batch("UPDATE nodes SET x25519 = zeroblob(32), https_port = 70000")
        .unwrap();
    assert_eq!(store.load_node_pool(), Err(StoreError::Corrupt("nodes")));
}

#[test]
fn a_file_that_is_not_a_database_is_refused() {
    let dir = TempDir::new();
    std::fs::write(dir.db(), vec![0x42; 4096]).unwrap();
    assert!(matches!(
        SqliteStore::open(dir.db()),
        Err(StoreError::Database(_))
    ));
}

#[test]
fn debug_names_the_file_only() {
    let dir = TempDir::new();
    let store = SqliteStore::open(dir.db()).unwrap();
    store.put_blob("group_keys", b"k", b"SECRET").unwrap();
    let debug = format!("{store:?}");
    assert!(debug.contains("state.db"), "{debug}");
    assert!(!debug.contains("SECRET"));
}
