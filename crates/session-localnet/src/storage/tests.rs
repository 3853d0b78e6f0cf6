//! One conformance suite run against every store, so that a node behaves the same whichever
//! one it was given.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use super::*;

fn account(n: u8) -> AccountId {
    let mut bytes = [n; 33];
    bytes[0] = 0x05;
    AccountId::from_bytes(bytes)
}

/// A 43-character hash whose sort order follows `name`'s.
fn hash(name: &str) -> String {
    format!("{name:_<43}")
}

fn message(
    account_n: u8,
    namespace: i16,
    name: &str,
    timestamp_ms: u64,
    expiry_ms: u64,
) -> StoredMessage {
    StoredMessage {
        account: account(account_n),
        namespace,
        hash: hash(name),
        timestamp_ms,
        expiry_ms,
        data: name.as_bytes().to_vec(),
    }
}

fn put(
    storage: &dyn Storage,
    account_n: u8,
    namespace: i16,
    name: &str,
    timestamp_ms: u64,
    expiry_ms: u64,
) {
    let outcome = storage
        .store(message(account_n, namespace, name, timestamp_ms, expiry_ms))
        .unwrap();
    assert_eq!(outcome, StoreOutcome::New, "{name}");
}

fn hashes(messages: &[StoredMessage]) -> Vec<String> {
    messages
        .iter()
        .map(|message| message.hash.clone())
        .collect()
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|name| hash(name)).collect()
}

fn pairs(list: &[(i16, &str)]) -> Vec<(i16, String)> {
    list.iter()
        .map(|(namespace, name)| (*namespace, hash(name)))
        .collect()
}

/// `update_expiries` for `account(account_n)`, the targets named as [`hash`] names them.
fn expire(
    storage: &dyn Storage,
    account_n: u8,
    targets: &[(&str, u64)],
    mode: ExpireMode,
) -> ExpiryUpdate {
    let targets: Vec<(String, u64)> = targets
        .iter()
        .map(|&(name, expiry_ms)| (hash(name), expiry_ms))
        .collect();
    storage
        .update_expiries(&account(account_n), &targets, mode)
        .unwrap()
}

/// The expiries `account(account_n)` has for the named messages.
fn expiries(storage: &dyn Storage, account_n: u8, list: &[&str]) -> Vec<(String, u64)> {
    storage.expiries(&account(account_n), &names(list)).unwrap()
}

fn token(n: u8) -> [u8; 36] {
    [n; 36]
}

fn store_then_retrieve_in_insertion_order(storage: &dyn Storage) {
    // Names out of alphabetical order: the order must be insertion, not hash.
    put(storage, 1, 0, "c", 10, 1000);
    put(storage, 1, 0, "a", 11, 1001);
    put(storage, 1, 0, "b", 12, 1002);
    put(storage, 1, 5, "other-namespace", 13, 1003);
    put(storage, 2, 0, "other-account", 14, 1004);

    let all = storage.retrieve(&account(1), 0, None, None).unwrap();
    assert_eq!(hashes(&all), names(&["c", "a", "b"]));
    assert_eq!(all[1], message(1, 0, "a", 11, 1001));
    assert_eq!(storage.message_count().unwrap(), 5);
    assert!(
        storage
            .retrieve(&account(3), 0, None, None)
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        hashes(&storage.retrieve(&account(1), 5, None, None).unwrap()),
        names(&["other-namespace"])
    );
}

fn retrieve_after_last_hash(storage: &dyn Storage) {
    for name in ["c", "a", "b"] {
        put(storage, 1, 0, name, 1, 1000);
    }
    let after_c = storage
        .retrieve(&account(1), 0, Some(&hash("c")), None)
        .unwrap();
    assert_eq!(hashes(&after_c), names(&["a", "b"]));
    let after_b = storage
        .retrieve(&account(1), 0, Some(&hash("b")), None)
        .unwrap();
    assert!(after_b.is_empty());
}

fn retrieve_from_start_when_last_hash_unknown(storage: &dyn Storage) {
    put(storage, 1, 0, "a", 1, 1000);
    put(storage, 1, 0, "b", 1, 1000);
    put(storage, 1, 0, "c", 1, 1000);
    let unknown = storage
        .retrieve(&account(1), 0, Some(&hash("never-stored")), None)
        .unwrap();
    assert_eq!(hashes(&unknown), names(&["a", "b", "c"]));

    // A deleted last hash is unknown too: the client gets everything again.
    storage.delete_hashes(&account(1), &names(&["a"])).unwrap();
    let deleted = storage
        .retrieve(&account(1), 0, Some(&hash("a")), None)
        .unwrap();
    assert_eq!(hashes(&deleted), names(&["b", "c"]));
}

fn retrieve_keeps_order_after_deletions(storage: &dyn Storage) {
    put(storage, 1, 0, "a", 1, 1000);
    put(storage, 1, 0, "b", 1, 1000);
    storage.delete_hashes(&account(1), &names(&["b"])).unwrap();
    put(storage, 1, 0, "c", 1, 1000);
    // A message stored after a deletion still comes after the last hash the client saw.
    assert_eq!(
        hashes(
            &storage
                .retrieve(&account(1), 0, Some(&hash("a")), None)
                .unwrap()
        ),
        names(&["c"])
    );
}

fn restore_extends_expiry_to_the_max(storage: &dyn Storage) {
    put(storage, 1, 0, "a", 1, 1000);
    let later = storage.store(message(1, 0, "a", 1, 2000)).unwrap();
    assert_eq!(later, StoreOutcome::Already { expiry_ms: 2000 });
    let earlier = storage.store(message(1, 0, "a", 1, 1500)).unwrap();
    assert_eq!(earlier, StoreOutcome::Already { expiry_ms: 2000 });
    let all = storage.retrieve(&account(1), 0, None, None).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].expiry_ms, 2000);
    assert_eq!(storage.message_count().unwrap(), 1);
}

fn retrieve_includes_expired_unswept_rows(storage: &dyn Storage) {
    put(storage, 1, 0, "old", 1, 100);
    put(storage, 1, 0, "new", 1, 10_000);
    // Nothing looks at the clock on retrieval: only the sweep removes expired rows.
    assert_eq!(
        storage.retrieve(&account(1), 0, None, None).unwrap().len(),
        2
    );
    assert_eq!(storage.sweep_expired(5_000).unwrap(), 1);
    assert_eq!(
        hashes(&storage.retrieve(&account(1), 0, None, None).unwrap()),
        names(&["new"])
    );
    // Expiring exactly now is not yet expired.
    assert_eq!(storage.sweep_expired(10_000).unwrap(), 0);
    assert_eq!(storage.sweep_expired(10_001).unwrap(), 1);
    assert_eq!(storage.message_count().unwrap(), 0);
}

fn delete_hashes_only_own_and_sorted(storage: &dyn Storage) {
    put(storage, 1, 0, "b", 1, 1000);
    put(storage, 1, 3, "a", 1, 1000);
    put(storage, 2, 0, "theirs", 1, 1000);
    let deleted = storage
        .delete_hashes(&account(1), &names(&["b", "missing", "theirs", "a", "b"]))
        .unwrap();
    assert_eq!(deleted, names(&["a", "b"]));
    assert_eq!(storage.message_count().unwrap(), 1);
    assert!(
        storage
            .delete_hashes(&account(1), &names(&["a"]))
            .unwrap()
            .is_empty()
    );
}

fn delete_all_by_namespace(storage: &dyn Storage) {
    put(storage, 1, 0, "z", 1, 1000);
    put(storage, 1, 0, "y", 1, 1000);
    put(storage, 1, -10, "x", 1, 1000);
    put(storage, 1, 7, "w", 1, 1000);
    put(storage, 2, 0, "theirs", 1, 1000);

    let one = storage.delete_all(&account(1), Namespaces::One(0)).unwrap();
    assert_eq!(one, pairs(&[(0, "y"), (0, "z")]));
    let all = storage.delete_all(&account(1), Namespaces::All).unwrap();
    assert_eq!(all, pairs(&[(-10, "x"), (7, "w")]));
    assert!(
        storage
            .delete_all(&account(1), Namespaces::All)
            .unwrap()
            .is_empty()
    );
    assert_eq!(storage.message_count().unwrap(), 1);
}

fn delete_before_by_timestamp(storage: &dyn Storage) {
    put(storage, 1, 0, "t100", 100, 10_000);
    put(storage, 1, 0, "t200", 200, 10_000);
    put(storage, 1, 0, "t300", 300, 10_000);
    put(storage, 1, 4, "n4-t100", 100, 10_000);
    put(storage, 2, 0, "theirs", 100, 10_000);

    // `<=`: the message at exactly `before` goes too.
    let one = storage
        .delete_before(&account(1), Namespaces::One(0), 200)
        .unwrap();
    assert_eq!(one, pairs(&[(0, "t100"), (0, "t200")]));
    let all = storage
        .delete_before(&account(1), Namespaces::All, 1_000)
        .unwrap();
    assert_eq!(all, pairs(&[(0, "t300"), (4, "n4-t100")]));
    assert_eq!(storage.message_count().unwrap(), 1);
}

fn delete_others_keeps_the_hash(storage: &dyn Storage) {
    put(storage, 1, 2, "a", 1, 1000);
    put(storage, 1, 2, "keep", 1, 1000);
    put(storage, 1, 2, "c", 1, 1000);
    put(storage, 1, 3, "other-namespace", 1, 1000);
    put(storage, 2, 2, "theirs", 1, 1000);
    storage
        .delete_others(&account(1), 2, &hash("keep"))
        .unwrap();
    assert_eq!(
        hashes(&storage.retrieve(&account(1), 2, None, None).unwrap()),
        names(&["keep"])
    );
    assert_eq!(storage.message_count().unwrap(), 3);
    // Keeping a hash that is not there deletes everything in the namespace.
    storage
        .delete_others(&account(1), 2, &hash("absent"))
        .unwrap();
    assert!(
        storage
            .retrieve(&account(1), 2, None, None)
            .unwrap()
            .is_empty()
    );
}

fn shorten_all_only_shortens(storage: &dyn Storage) {
    put(storage, 1, 0, "long", 1, 5_000);
    put(storage, 1, 0, "short", 1, 1_000);
    put(storage, 1, 1, "longer-ns1", 1, 9_000);
    put(storage, 2, 0, "theirs", 1, 9_000);

    let one = storage
        .shorten_all(&account(1), Namespaces::One(0), 2_000)
        .unwrap();
    assert_eq!(one, pairs(&[(0, "long")]));
    assert_eq!(
        expiries(storage, 1, &["long", "short", "longer-ns1"]),
        vec![
            (hash("long"), 2_000),
            (hash("longer-ns1"), 9_000),
            (hash("short"), 1_000)
        ]
    );
    let all = storage
        .shorten_all(&account(1), Namespaces::All, 1_500)
        .unwrap();
    assert_eq!(all, pairs(&[(0, "long"), (1, "longer-ns1")]));
    // Equal is not later: nothing to shorten.
    assert!(
        storage
            .shorten_all(&account(1), Namespaces::All, 1_500)
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        expiries(storage, 2, &["theirs"]),
        vec![(hash("theirs"), 9_000)]
    );
}

fn update_expiries_set(storage: &dyn Storage) {
    put(storage, 1, 0, "b", 1, 5_000);
    put(storage, 1, 0, "a", 1, 5_000);
    put(storage, 2, 0, "theirs", 1, 5_000);
    let targets = [
        ("b", 9_000),
        ("a", 1_000),
        ("missing", 1_000),
        ("theirs", 1_000),
    ];
    let update = expire(storage, 1, &targets, ExpireMode::Set);
    assert_eq!(update.updated, vec![(hash("a"), 1_000), (hash("b"), 9_000)]);
    assert!(update.unchanged.is_empty());
    assert_eq!(
        expiries(storage, 2, &["theirs"]),
        vec![(hash("theirs"), 5_000)]
    );
    // Setting the same value is still an update.
    let same = expire(storage, 1, &[("a", 1_000)], ExpireMode::Set);
    assert_eq!(same.updated, vec![(hash("a"), 1_000)]);
}

fn update_expiries_shorten(storage: &dyn Storage) {
    put(storage, 1, 0, "a", 1, 5_000);
    put(storage, 1, 0, "b", 1, 5_000);
    put(storage, 1, 0, "c", 1, 5_000);
    let targets = [("c", 9_000), ("a", 1_000), ("b", 5_000), ("x", 1)];
    let update = expire(storage, 1, &targets, ExpireMode::Shorten);
    assert_eq!(update.updated, vec![(hash("a"), 1_000)]);
    assert_eq!(
        update.unchanged,
        vec![(hash("b"), 5_000), (hash("c"), 5_000)]
    );
    assert_eq!(
        expiries(storage, 1, &["a", "b", "c"]),
        vec![(hash("a"), 1_000), (hash("b"), 5_000), (hash("c"), 5_000)]
    );
}

fn update_expiries_extend(storage: &dyn Storage) {
    put(storage, 1, 0, "a", 1, 5_000);
    put(storage, 1, 0, "b", 1, 5_000);
    let targets = [("b", 9_000), ("a", 1_000)];
    let update = expire(storage, 1, &targets, ExpireMode::Extend);
    assert_eq!(update.updated, vec![(hash("b"), 9_000)]);
    assert_eq!(update.unchanged, vec![(hash("a"), 5_000)]);
    let none = expire(storage, 2, &targets, ExpireMode::Extend);
    assert_eq!(none, ExpiryUpdate::default());
}

fn expiries_only_existing_and_own(storage: &dyn Storage) {
    put(storage, 1, 0, "b", 1, 2_000);
    put(storage, 1, 9, "a", 1, 3_000);
    put(storage, 2, 0, "theirs", 1, 4_000);
    let found = expiries(storage, 1, &["b", "missing", "theirs", "a", "b"]);
    assert_eq!(found, vec![(hash("a"), 3_000), (hash("b"), 2_000)]);
}

fn revoke_and_unrevoke(storage: &dyn Storage) {
    storage.revoke(&account(1), &[token(1), token(2)]).unwrap();
    storage.revoke(&account(2), &[token(1)]).unwrap();
    assert!(storage.is_revoked(&account(1), &token(1)).unwrap());
    assert!(!storage.is_revoked(&account(1), &token(3)).unwrap());
    assert_eq!(
        storage.revoked(&account(1)).unwrap(),
        vec![token(1), token(2)]
    );
    // Revoking again keeps the original place.
    storage.revoke(&account(1), &[token(1), token(3)]).unwrap();
    assert_eq!(
        storage.revoked(&account(1)).unwrap(),
        vec![token(1), token(2), token(3)]
    );

    let removed = storage
        .unrevoke(&account(1), &[token(1), token(9), token(3), token(1)])
        .unwrap();
    assert_eq!(removed, 2);
    assert_eq!(storage.revoked(&account(1)).unwrap(), vec![token(2)]);
    assert!(storage.is_revoked(&account(2), &token(1)).unwrap());
    assert_eq!(storage.unrevoke(&account(3), &[token(1)]).unwrap(), 0);
    assert!(storage.revoked(&account(3)).unwrap().is_empty());
}

fn revoke_keeps_the_newest_fifty(storage: &dyn Storage) {
    let first: Vec<[u8; 36]> = (0..40).map(token).collect();
    let second: Vec<[u8; 36]> = (40..60).map(token).collect();
    storage.revoke(&account(1), &first).unwrap();
    storage.revoke(&account(1), &second).unwrap();
    storage.revoke(&account(2), &[token(0)]).unwrap();
    let kept = storage.revoked(&account(1)).unwrap();
    assert_eq!(kept.len(), MAX_REVOKED_PER_ACCOUNT);
    assert_eq!(kept, (10..60).map(token).collect::<Vec<_>>());
    assert!(!storage.is_revoked(&account(1), &token(9)).unwrap());
    assert!(storage.is_revoked(&account(1), &token(10)).unwrap());
    // Another account's cap is its own.
    assert!(storage.is_revoked(&account(2), &token(0)).unwrap());
}

fn debug_hides_message_data(storage: &dyn Storage) {
    storage
        .store(message(1, 0, "secret-payload", 1, 1000))
        .unwrap();
    let shown = format!("{storage:?}");
    assert!(!shown.contains("secret-payload"), "{shown}");
}

macro_rules! conformance {
    ($backend:ident, $make:expr) => {
        mod $backend {
            use super::*;

            conformance!(@tests $make;
                store_then_retrieve_in_insertion_order,
                retrieve_after_last_hash,
                retrieve_from_start_when_last_hash_unknown,
                retrieve_keeps_order_after_deletions,
                restore_extends_expiry_to_the_max,
                retrieve_includes_expired_unswept_rows,
                delete_hashes_only_own_and_sorted,
                delete_all_by_namespace,
                delete_before_by_timestamp,
                delete_others_keeps_the_hash,
                shorten_all_only_shortens,
                update_expiries_set,
                update_expiries_shorten,
                update_expiries_extend,
                expiries_only_existing_and_own,
                revoke_and_unrevoke,
                revoke_keeps_the_newest_fifty,
                debug_hides_message_data,
            );
        }
    };
    (@tests $make:expr; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                // Tuple fields drop in order: the store closes before its directory goes.
                let made = $make;
                super::$name(&made.0);
            }
        )*
    };
}

conformance!(memory, (MemoryStorage::new(), ()));
conformance!(sqlite_in_memory, (SqliteStorage::in_memory().unwrap(), ()));
conformance!(sqlite_file, TempDb::new().open());

/// A database file in a fresh directory under the system temp dir, removed on drop.
struct TempDb {
    dir: PathBuf,
}

impl TempDb {
    fn new() -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!(
            "session-localnet-storage-{}-{nanos}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Self { dir }
    }

    fn path(&self) -> PathBuf {
        self.dir.join("storage.db")
    }

    /// Opens the database, handing back the directory too, to be dropped after the store.
    fn open(self) -> (SqliteStorage, Self) {
        (SqliteStorage::open(self.path()).unwrap(), self)
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn sqlite_file_survives_reopen() {
    let temp = TempDb::new();
    {
        let storage = SqliteStorage::open(temp.path()).unwrap();
        assert_eq!(storage.path(), Some(temp.path().as_path()));
        put(&storage, 1, 0, "b", 10, 1000);
        put(&storage, 1, 0, "a", 11, 2000);
        storage.revoke(&account(1), &[token(7), token(8)]).unwrap();
    }
    let storage = SqliteStorage::open(temp.path()).unwrap();
    let all = storage.retrieve(&account(1), 0, None, None).unwrap();
    assert_eq!(
        all,
        vec![message(1, 0, "b", 10, 1000), message(1, 0, "a", 11, 2000)]
    );
    assert_eq!(
        storage.revoked(&account(1)).unwrap(),
        vec![token(7), token(8)]
    );
    // Row ids carry on after the reopen, so the order does too.
    put(&storage, 1, 0, "0-first-by-name", 12, 3000);
    let after = storage
        .retrieve(&account(1), 0, Some(&hash("a")), None)
        .unwrap();
    assert_eq!(hashes(&after), names(&["0-first-by-name"]));
    assert_eq!(
        storage.store(message(1, 0, "b", 10, 500)).unwrap(),
        StoreOutcome::Already { expiry_ms: 1000 }
    );
}

#[test]
fn sqlite_file_is_wal_and_versioned() {
    let temp = TempDb::new();
    drop(SqliteStorage::open(temp.path()).unwrap());
    let conn = rusqlite::Connection::open(temp.path()).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(mode.to_ascii_lowercase(), "wal");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, 1);
}

#[test]
fn sqlite_refuses_a_newer_schema() {
    let temp = TempDb::new();
    {
        let conn = rusqlite::Connection::open(temp.path()).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let error = SqliteStorage::open(temp.path()).unwrap_err();
    assert!(error.to_string().contains("99"), "{error}");
}

#[test]
fn memory_is_the_default_and_empty() {
    let storage = MemoryStorage::default();
    assert_eq!(storage.message_count().unwrap(), 0);
    assert!(
        storage
            .retrieve(&account(1), 0, Some(&hash("x")), None)
            .unwrap()
            .is_empty()
    );
}
