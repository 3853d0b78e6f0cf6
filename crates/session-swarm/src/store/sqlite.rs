//! `SqliteStore`: the `Store` in an SQLite file (WAL, versioned schema), the default for
//! apps.

use core::fmt;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use crate::net::ServiceNode;
use crate::rpc::Account;
use crate::store::api::Store;
use crate::store::batch::{Op, WriteBatch};
use crate::store::error::StoreError;
use crate::store::schema;
use crate::store::snapshot::{NodePoolSnapshot, SwarmSnapshot};

/// How long a write waits for another connection (another process on the same file)
/// to release its lock before failing with [`StoreError::Database`].
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// `meta` row holding the clock offset.
const META_CLOCK_OFFSET: &str = "clock_offset_ms";

/// `meta` row holding when the node pool was fetched; its presence means a pool was saved.
const META_NODE_POOL_FETCHED: &str = "node_pool_fetched_at_ms";

/// A [`Store`] in an SQLite database.
///
/// Each [`Store::apply`] is one immediate transaction, committed with
/// `synchronous = FULL` in WAL mode, so a crash or power loss keeps either the whole
/// batch or none of it.
pub struct SqliteStore {
    /// The connection; SQLite connections are not `Sync`, so calls take turns.
    conn: Mutex<Connection>,
    /// The file, for `Debug` (`None` in memory).
    path: Option<PathBuf>,
}

impl SqliteStore {
    /// The schema version this library reads and writes (`PRAGMA user_version`).
    pub const SCHEMA_VERSION: u32 = schema::SCHEMA_VERSION;

    /// Opens (creating if needed) the database at `path` and migrates it to
    /// [`Self::SCHEMA_VERSION`].
    ///
    /// # Errors
    ///
    /// [`StoreError::SchemaTooNew`] if a newer library wrote the file (it is left
    /// untouched); [`StoreError::Database`] if it cannot be opened, is not a database, or
    /// cannot use WAL.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref();
        let conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Version check before WAL: switching a newer library's file to WAL would already
        // be a change to it.
        let found = schema::version(&conn)?;
        if found > schema::SCHEMA_VERSION {
            return Err(StoreError::SchemaTooNew {
                found,
                supported: schema::SCHEMA_VERSION,
            });
        }
        // WAL: readers do not block the writer and a commit is one append.
        let mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Database(format!(
                "journal_mode is {mode}, WAL is required"
            )));
        }
        // FULL: in WAL mode NORMAL may lose the last commits on power loss, which would
        // unmark delivered messages and deliver them twice.
        conn.pragma_update(None, "synchronous", "FULL")?;
        Self::init(conn, Some(path.to_path_buf()))
    }

    /// A fresh database in memory (lost when dropped), with the same schema and SQL as a
    /// file.
    pub fn in_memory() -> Result<Self, StoreError> {
        Self::init(Connection::open_in_memory()?, None)
    }

    /// The database's schema version (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        schema::version(&self.lock())
    }

    /// Migrates the schema and wraps the connection.
    fn init(mut conn: Connection, path: Option<PathBuf>) -> Result<Self, StoreError> {
        schema::migrate(&mut conn)?;
        Ok(Self {
            conn: Mutex::new(conn),
            path,
        })
    }

    /// The connection, locked. A panic while it was held dropped any open transaction,
    /// which rolls it back, so poisoning is ignored.
    fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Reads a `meta` value.
    fn meta(conn: &Connection, name: &str) -> Result<Option<i64>, StoreError> {
        Ok(conn
            .prepare_cached("SELECT value FROM meta WHERE name = ?1")?
            .query_row([name], |row| row.get(0))
            .optional()?)
    }
}

/// Upserts a `meta` value.
fn set_meta(tx: &Transaction<'_>, name: &str, value: i64) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO meta (name, value) VALUES (?1, ?2)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![name, value])?;
    Ok(())
}

/// Applies one validated write inside the batch's transaction; for a mark-seen write,
/// returns whether the hash was new.
fn apply_op(tx: &Transaction<'_>, op: &Op) -> Result<Option<bool>, StoreError> {
    match op {
        Op::SetNodePool {
            nodes,
            fetched_at_ms,
        } => {
            tx.execute("DELETE FROM nodes", [])?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO nodes (position, ed25519, x25519, ip, https_port)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (position, node) in (0_i64..).zip(nodes) {
                insert.execute(params![
                    position,
                    node.ed25519,
                    node.x25519,
                    u32::from(node.ip),
                    node.https_port
                ])?;
            }
            set_meta(tx, META_NODE_POOL_FETCHED, *fetched_at_ms)?;
        }
        Op::SetSwarm {
            account,
            members,
            fetched_at_ms,
        } => {
            tx.prepare_cached(
                "INSERT INTO swarms (account, fetched_at_ms, members) VALUES (?1, ?2, ?3)
                 ON CONFLICT (account) DO UPDATE
                 SET fetched_at_ms = excluded.fetched_at_ms, members = excluded.members",
            )?
            .execute(params![account.as_bytes(), fetched_at_ms, members.concat()])?;
        }
        Op::RemoveSwarm { account } => {
            tx.prepare_cached("DELETE FROM swarms WHERE account = ?1")?
                .execute([account.as_bytes()])?;
        }
        Op::SetLastHash {
            account,
            namespace,
            node,
            hash,
        } => {
            tx.prepare_cached(
                "INSERT INTO last_hashes (account, namespace, node, hash) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (account, namespace, node) DO UPDATE SET hash = excluded.hash",
            )?
            .execute(params![account.as_bytes(), namespace, node, hash])?;
        }
        Op::MarkSeen {
            account,
            hash,
            expiry_ms,
        } => {
            let inserted = tx
                .prepare_cached(
                    "INSERT INTO seen (account, hash, expiry_ms) VALUES (?1, ?2, ?3)
                     ON CONFLICT (account, hash) DO NOTHING",
                )?
                .execute(params![account.as_bytes(), hash, expiry_ms])?;
            if inserted == 0 {
                tx.prepare_cached(
                    "UPDATE seen SET expiry_ms = max(expiry_ms, ?3)
                     WHERE account = ?1 AND hash = ?2",
                )?
                .execute(params![account.as_bytes(), hash, expiry_ms])?;
            }
            return Ok(Some(inserted == 1));
        }
        Op::SetClockOffset { offset_ms } => set_meta(tx, META_CLOCK_OFFSET, *offset_ms)?,
        Op::PutBlob {
            namespace,
            key,
            value,
        } => {
            tx.prepare_cached(
                "INSERT INTO blobs (namespace, key, value) VALUES (?1, ?2, ?3)
                 ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![namespace, key, value])?;
        }
        Op::DeleteBlob { namespace, key } => {
            tx.prepare_cached("DELETE FROM blobs WHERE namespace = ?1 AND key = ?2")?
                .execute(params![namespace, key])?;
        }
        Op::ForgetAccount { account } => {
            for sql in [
                "DELETE FROM swarms WHERE account = ?1",
                "DELETE FROM last_hashes WHERE account = ?1",
                "DELETE FROM seen WHERE account = ?1",
            ] {
                tx.prepare_cached(sql)?.execute([account.as_bytes()])?;
            }
        }
    }
    Ok(None)
}

/// A stored 32-byte key, or [`StoreError::Corrupt`] naming `table`.
fn key32(bytes: &[u8], table: &'static str) -> Result<[u8; 32], StoreError> {
    <[u8; 32]>::try_from(bytes).map_err(|_| StoreError::Corrupt(table))
}

/// A stored account, or [`StoreError::Corrupt`] naming `table`.
fn account(bytes: &[u8], table: &'static str) -> Result<Account, StoreError> {
    <[u8; 33]>::try_from(bytes)
        .map(Account::from_bytes)
        .map_err(|_| StoreError::Corrupt(table))
}

/// A stored `swarms` row.
fn swarm(members: &[u8], fetched_at_ms: i64) -> Result<SwarmSnapshot, StoreError> {
    let chunks = members.chunks_exact(32);
    if !chunks.remainder().is_empty() {
        return Err(StoreError::Corrupt("swarms"));
    }
    Ok(SwarmSnapshot {
        members: chunks
            .map(|key| key32(key, "swarms"))
            .collect::<Result<_, _>>()?,
        fetched_at_ms,
    })
}

impl Store for SqliteStore {
    fn apply(&self, batch: &WriteBatch) -> Result<Vec<bool>, StoreError> {
        batch.validate()?;
        let mut conn = self.lock();
        // Immediate: take the write lock up front, so a batch never fails half-way on a
        // lock upgrade; dropping `tx` on any error rolls the whole batch back.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut seen = Vec::new();
        for op in batch.ops() {
            if let Some(new) = apply_op(&tx, op)? {
                seen.push(new);
            }
        }
        tx.commit()?;
        Ok(seen)
    }

    fn prune_seen(&self, now_ms: i64) -> Result<usize, StoreError> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let pruned = tx
            .prepare_cached("DELETE FROM seen WHERE expiry_ms <= ?1")?
            .execute([now_ms])?;
        tx.commit()?;
        Ok(pruned)
    }

    fn load_node_pool(&self) -> Result<Option<NodePoolSnapshot>, StoreError> {
        let mut conn = self.lock();
        // One read transaction, so the list and its time come from the same save.
        let tx = conn.transaction()?;
        let Some(fetched_at_ms) = Self::meta(&tx, META_NODE_POOL_FETCHED)? else {
            return Ok(None);
        };
        let rows = tx
            .prepare_cached("SELECT ed25519, x25519, ip, https_port FROM nodes ORDER BY position")?
            .query_map([], |row| {
                Ok((
                    row.get::<_, Vec<u8>>(0)?,
                    row.get::<_, Vec<u8>>(1)?,
                    row.get::<_, i64>(2)?,
                    row.get::<_, i64>(3)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let nodes = rows
            .into_iter()
            .map(|(ed25519, x25519, ip, port)| {
                Ok(ServiceNode {
                    ed25519: key32(&ed25519, "nodes")?,
                    x25519: key32(&x25519, "nodes")?,
                    ip: Ipv4Addr::from(
                        u32::try_from(ip).map_err(|_| StoreError::Corrupt("nodes"))?,
                    ),
                    https_port: u16::try_from(port).map_err(|_| StoreError::Corrupt("nodes"))?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(Some(NodePoolSnapshot {
            nodes,
            fetched_at_ms,
        }))
    }

    fn load_swarm(&self, account: &Account) -> Result<Option<SwarmSnapshot>, StoreError> {
        let row = self
            .lock()
            .prepare_cached("SELECT members, fetched_at_ms FROM swarms WHERE account = ?1")?
            .query_row([account.as_bytes()], |row| {
                Ok((row.get::<_, Vec<u8>>(0)?, row.get::<_, i64>(1)?))
            })
            .optional()?;
        row.map(|(members, fetched_at_ms)| swarm(&members, fetched_at_ms))
            .transpose()
    }

    fn load_swarms(&self) -> Result<Vec<(Account, SwarmSnapshot)>, StoreError> {
        let rows = self
            .lock()
            .prepare_cached("SELECT account, members, fetched_at_ms FROM swarms ORDER BY account")?
            .query_map([], |row| {
                Ok((
                    row.get::<_, Vec<u8>>(0)?,
                    row.get::<_, Vec<u8>>(1)?,
                    row.get::<_, i64>(2)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(id, members, fetched_at_ms)| {
                Ok((account(&id, "swarms")?, swarm(&members, fetched_at_ms)?))
            })
            .collect()
    }

    fn last_hash(
        &self,
        account: &Account,
        namespace: i16,
        node: &[u8; 32],
    ) -> Result<Option<String>, StoreError> {
        Ok(self
            .lock()
            .prepare_cached(
                "SELECT hash FROM last_hashes WHERE account = ?1 AND namespace = ?2 AND node = ?3",
            )?
            .query_row(params![account.as_bytes(), namespace, node], |row| {
                row.get(0)
            })
            .optional()?)
    }

    fn is_seen(&self, account: &Account, hash: &str) -> Result<bool, StoreError> {
        Ok(self
            .lock()
            .prepare_cached("SELECT 1 FROM seen WHERE account = ?1 AND hash = ?2")?
            .exists(params![account.as_bytes(), hash])?)
    }

    fn clock_offset(&self) -> Result<Option<i64>, StoreError> {
        Self::meta(&self.lock(), META_CLOCK_OFFSET)
    }

    fn get_blob(&self, namespace: &str, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .lock()
            .prepare_cached("SELECT value FROM blobs WHERE namespace = ?1 AND key = ?2")?
            .query_row(params![namespace, key], |row| row.get(0))
            .optional()?)
    }

    fn blob_keys(&self, namespace: &str) -> Result<Vec<Vec<u8>>, StoreError> {
        // BLOB keys compare with memcmp, the same order as `Vec<u8>`.
        Ok(self
            .lock()
            .prepare_cached("SELECT key FROM blobs WHERE namespace = ?1 ORDER BY key")?
            .query_map([namespace], |row| row.get(0))?
            .collect::<Result<_, _>>()?)
    }
}

// The file only: the contents may hold group keys.
impl fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}
