//! The SQLite schema and its migrations, versioned by `PRAGMA user_version`.

use rusqlite::{Connection, TransactionBehavior};

use crate::store::error::StoreError;

/// The schema version this library writes and reads.
pub(crate) const SCHEMA_VERSION: u32 = 1;

/// `MIGRATIONS[n]` takes the schema from version `n` to `n + 1`. Append only: files in
/// the field are at every earlier version.
const MIGRATIONS: [&str; SCHEMA_VERSION as usize] = [
    // 0 → 1: the first schema. Keys are the natural keys, so writes are upserts and
    // WITHOUT ROWID keeps each table a single B-tree.
    "
    -- Single values: the clock offset and when the node pool was fetched.
    CREATE TABLE meta (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL
    ) WITHOUT ROWID;
    -- The node pool, in saved order.
    CREATE TABLE nodes (
        position INTEGER PRIMARY KEY,
        ed25519 BLOB NOT NULL,
        x25519 BLOB NOT NULL,
        ip INTEGER NOT NULL,
        https_port INTEGER NOT NULL
    );
    -- members: the concatenated 32-byte Ed25519 keys, in saved order.
    CREATE TABLE swarms (
        account BLOB PRIMARY KEY,
        fetched_at_ms INTEGER NOT NULL,
        members BLOB NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE last_hashes (
        account BLOB NOT NULL,
        namespace INTEGER NOT NULL,
        node BLOB NOT NULL,
        hash TEXT NOT NULL,
        PRIMARY KEY (account, namespace, node)
    ) WITHOUT ROWID;
    CREATE TABLE seen (
        account BLOB NOT NULL,
        hash TEXT NOT NULL,
        expiry_ms INTEGER NOT NULL,
        PRIMARY KEY (account, hash)
    ) WITHOUT ROWID;
    -- Pruning scans by expiry.
    CREATE INDEX seen_by_expiry ON seen (expiry_ms);
    CREATE TABLE blobs (
        namespace TEXT NOT NULL,
        key BLOB NOT NULL,
        value BLOB NOT NULL,
        PRIMARY KEY (namespace, key)
    ) WITHOUT ROWID;
    ",
];

/// The schema version of the open database.
pub(crate) fn version(conn: &Connection) -> Result<u32, StoreError> {
    let raw: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    // user_version is a signed 32-bit header field; this library never writes a
    // negative one.
    u32::try_from(raw).map_err(|_| StoreError::Corrupt("user_version"))
}

/// Brings the database to [`SCHEMA_VERSION`], refusing one written by a newer library.
///
/// Runs in one immediate (write-locked) transaction, so two processes opening the same
/// file cannot both migrate, and a crash mid-migration leaves the old version intact.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found = version(&tx)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for migration in MIGRATIONS.iter().skip(found as usize) {
        tx.execute_batch(migration)?;
    }
    if found < SCHEMA_VERSION {
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    }
    tx.commit()?;
    Ok(())
}
