//! The persistent message store: a SQLite file laid out like the real server's database, so
//! that a node restarted on the same file still has its messages and revocations.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};

use super::expiry_tally::ExpiryTally;
use super::{
    ExpireMode, ExpiryUpdate, MAX_REVOKED_PER_ACCOUNT, Namespaces, Storage, StorageError,
    StoreOutcome, StoredMessage,
};
use crate::account::AccountId;

/// The schema this code writes, kept in `PRAGMA user_version`.
const SCHEMA_VERSION: i64 = 1;

// `AUTOINCREMENT` because retrieval order is the row id and a deleted id must never come
// back: a client's `last_hash` would otherwise skip a newer message that reused it.
const SCHEMA: &str = "
CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    hash TEXT NOT NULL UNIQUE,
    account BLOB NOT NULL,
    namespace INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    expiry INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX messages_account ON messages(account, namespace, id);
CREATE INDEX messages_expiry ON messages(expiry);
CREATE TABLE revoked_subaccounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account BLOB NOT NULL,
    token BLOB NOT NULL,
    UNIQUE(account, token)
);
";

/// A [`Storage`] in a SQLite database (WAL mode), for nodes that must survive a restart.
///
/// Times are stored as SQLite integers: values above `i64::MAX` ms (far beyond any real
/// expiry) are saturated to it.
pub struct SqliteStorage {
    conn: Mutex<Connection>,
    path: Option<PathBuf>,
}

impl fmt::Debug for SqliteStorage {
    // Message bytes stay out of logs: only where the file is.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteStorage")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl SqliteStorage {
    /// Opens (creating if needed) the database at `path`.
    ///
    /// # Errors
    /// When the file cannot be opened, or holds a schema newer than this code knows.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StorageError> {
        let path = path.as_ref();
        let conn = Connection::open(path).map_err(query_failed)?;
        conn.busy_timeout(Duration::from_secs(10))
            .map_err(query_failed)?;
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(query_failed)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StorageError(format!(
                "could not enable WAL mode (got {mode})"
            )));
        }
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(query_failed)?;
        Self::with_schema(conn, Some(path.to_path_buf()))
    }

    /// A database that lives only in memory: the SQLite code path without a file.
    ///
    /// # Errors
    /// When SQLite cannot allocate the database.
    pub fn in_memory() -> Result<Self, StorageError> {
        let conn = Connection::open_in_memory().map_err(query_failed)?;
        Self::with_schema(conn, None)
    }

    /// The file this store lives in, `None` for [`SqliteStorage::in_memory`].
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn with_schema(mut conn: Connection, path: Option<PathBuf>) -> Result<Self, StorageError> {
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(query_failed)?;
        match version {
            0 => {
                let tx = conn.transaction().map_err(query_failed)?;
                tx.execute_batch(SCHEMA).map_err(query_failed)?;
                tx.pragma_update(None, "user_version", SCHEMA_VERSION)
                    .map_err(query_failed)?;
                tx.commit().map_err(query_failed)?;
            }
            SCHEMA_VERSION => {}
            newer => {
                return Err(StorageError(format!(
                    "database schema version {newer} is newer than {SCHEMA_VERSION}"
                )));
            }
        }
        Ok(Self {
            conn: Mutex::new(conn),
            path,
        })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // SQLite rolls back an unfinished transaction when it is dropped, so a connection
        // behind a poisoned lock is still consistent.
        self.conn
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn query_failed(error: rusqlite::Error) -> StorageError {
    StorageError(error.to_string())
}

fn to_sql_ms(ms: u64) -> i64 {
    i64::try_from(ms).unwrap_or(i64::MAX)
}

fn from_sql_ms(ms: i64) -> u64 {
    u64::try_from(ms).unwrap_or(0)
}

fn from_sql_count(count: i64) -> usize {
    usize::try_from(count).unwrap_or(0)
}

/// The namespace filter parameter: `NULL` matches every namespace.
fn namespace_filter(namespaces: Namespaces) -> Option<i16> {
    match namespaces {
        Namespaces::One(namespace) => Some(namespace),
        Namespaces::All => None,
    }
}

/// Runs `sql`, which returns `(namespace, hash)` rows, and collects them sorted (`RETURNING`
/// promises no order).
fn sorted_pairs(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<(i16, String)>, StorageError> {
    let mut statement = conn.prepare_cached(sql).map_err(query_failed)?;
    let mut pairs = statement
        .query_map(params, |row| Ok((row.get(0)?, row.get(1)?)))
        .map_err(query_failed)?
        .collect::<Result<Vec<(i16, String)>, _>>()
        .map_err(query_failed)?;
    pairs.sort();
    Ok(pairs)
}

impl Storage for SqliteStorage {
    fn store(&self, message: StoredMessage) -> Result<StoreOutcome, StorageError> {
        let mut conn = self.lock();
        let tx = conn.transaction().map_err(query_failed)?;
        let inserted = tx
            .execute(
                "INSERT INTO messages (hash, account, namespace, timestamp, expiry, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (hash) DO NOTHING",
                params![
                    message.hash,
                    message.account.as_bytes().as_slice(),
                    message.namespace,
                    to_sql_ms(message.timestamp_ms),
                    to_sql_ms(message.expiry_ms),
                    message.data,
                ],
            )
            .map_err(query_failed)?;
        let outcome = if inserted == 1 {
            StoreOutcome::New
        } else {
            let expiry: i64 = tx
                .query_row(
                    "UPDATE messages SET expiry = MAX(expiry, ?2) WHERE hash = ?1 RETURNING expiry",
                    params![message.hash, to_sql_ms(message.expiry_ms)],
                    |row| row.get(0),
                )
                .map_err(query_failed)?;
            StoreOutcome::Already {
                expiry_ms: from_sql_ms(expiry),
            }
        };
        tx.commit().map_err(query_failed)?;
        Ok(outcome)
    }

    fn retrieve(
        &self,
        account: &AccountId,
        namespace: i16,
        last_hash: Option<&str>,
        limit: Option<usize>,
    ) -> Result<Vec<StoredMessage>, StorageError> {
        // SQLite reads a negative LIMIT as no limit.
        let limit = limit.map_or(-1, |limit| i64::try_from(limit).unwrap_or(i64::MAX));
        let mut conn = self.lock();
        let tx = conn.transaction().map_err(query_failed)?;
        let account_bytes = account.as_bytes().as_slice();
        let after: i64 = match last_hash {
            Some(hash) => tx
                .query_row(
                    "SELECT id FROM messages WHERE hash = ?1 AND account = ?2 AND namespace = ?3",
                    params![hash, account_bytes, namespace],
                    |row| row.get(0),
                )
                .optional()
                .map_err(query_failed)?
                .unwrap_or(0),
            None => 0,
        };
        let mut statement = tx
            .prepare_cached(
                "SELECT hash, timestamp, expiry, data FROM messages
                 WHERE account = ?1 AND namespace = ?2 AND id > ?3 ORDER BY id LIMIT ?4",
            )
            .map_err(query_failed)?;
        let messages = statement
            .query_map(params![account_bytes, namespace, after, limit], |row| {
                Ok(StoredMessage {
                    account: *account,
                    namespace,
                    hash: row.get(0)?,
                    timestamp_ms: from_sql_ms(row.get(1)?),
                    expiry_ms: from_sql_ms(row.get(2)?),
                    data: row.get(3)?,
                })
            })
            .map_err(query_failed)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(query_failed)?;
        Ok(messages)
    }

    fn delete_hashes(
        &self,
        account: &AccountId,
        hashes: &[String],
    ) -> Result<Vec<String>, StorageError> {
        let mut conn = self.lock();
        let tx = conn.transaction().map_err(query_failed)?;
        let mut deleted = BTreeSet::new();
        {
            let mut statement = tx
                .prepare_cached("DELETE FROM messages WHERE account = ?1 AND hash = ?2")
                .map_err(query_failed)?;
            for hash in hashes {
                let removed = statement
                    .execute(params![account.as_bytes().as_slice(), hash])
                    .map_err(query_failed)?;
                if removed > 0 {
                    deleted.insert(hash.clone());
                }
            }
        }
        tx.commit().map_err(query_failed)?;
        Ok(deleted.into_iter().collect())
    }

    fn delete_all(
        &self,
        account: &AccountId,
        namespaces: Namespaces,
    ) -> Result<Vec<(i16, String)>, StorageError> {
        sorted_pairs(
            &self.lock(),
            "DELETE FROM messages WHERE account = ?1 AND (?2 IS NULL OR namespace = ?2)
             RETURNING namespace, hash",
            params![account.as_bytes().as_slice(), namespace_filter(namespaces)],
        )
    }

    fn delete_before(
        &self,
        account: &AccountId,
        namespaces: Namespaces,
        before_ms: u64,
    ) -> Result<Vec<(i16, String)>, StorageError> {
        sorted_pairs(
            &self.lock(),
            "DELETE FROM messages WHERE account = ?1 AND (?2 IS NULL OR namespace = ?2)
             AND timestamp <= ?3 RETURNING namespace, hash",
            params![
                account.as_bytes().as_slice(),
                namespace_filter(namespaces),
                to_sql_ms(before_ms)
            ],
        )
    }

    fn delete_others(
        &self,
        account: &AccountId,
        namespace: i16,
        keep_hash: &str,
    ) -> Result<(), StorageError> {
        self.lock()
            .execute(
                "DELETE FROM messages WHERE account = ?1 AND namespace = ?2 AND hash != ?3",
                params![account.as_bytes().as_slice(), namespace, keep_hash],
            )
            .map_err(query_failed)?;
        Ok(())
    }

    fn shorten_all(
        &self,
        account: &AccountId,
        namespaces: Namespaces,
        expiry_ms: u64,
    ) -> Result<Vec<(i16, String)>, StorageError> {
        sorted_pairs(
            &self.lock(),
            "UPDATE messages SET expiry = ?3
             WHERE account = ?1 AND (?2 IS NULL OR namespace = ?2) AND expiry > ?3
             RETURNING namespace, hash",
            params![
                account.as_bytes().as_slice(),
                namespace_filter(namespaces),
                to_sql_ms(expiry_ms)
            ],
        )
    }

    fn update_expiries(
        &self,
        account: &AccountId,
        targets: &[(String, u64)],
        mode: ExpireMode,
    ) -> Result<ExpiryUpdate, StorageError> {
        let mut conn = self.lock();
        let tx = conn.transaction().map_err(query_failed)?;
        let account_bytes = account.as_bytes().as_slice();
        // The comparison is done here rather than in SQL so that both stores share one
        // reading of "shorten" and "extend", duplicates in `targets` included.
        let mut tally = ExpiryTally::default();
        {
            let mut select = tx
                .prepare_cached("SELECT expiry FROM messages WHERE account = ?1 AND hash = ?2")
                .map_err(query_failed)?;
            let mut update = tx
                .prepare_cached("UPDATE messages SET expiry = ?3 WHERE account = ?1 AND hash = ?2")
                .map_err(query_failed)?;
            for (hash, expiry_ms) in targets {
                let Some(old) = select
                    .query_row(params![account_bytes, hash], |row| row.get::<_, i64>(0))
                    .optional()
                    .map_err(query_failed)?
                else {
                    continue;
                };
                let new = from_sql_ms(to_sql_ms(*expiry_ms));
                if tally.offer(mode, hash, from_sql_ms(old), new) {
                    update
                        .execute(params![account_bytes, hash, to_sql_ms(new)])
                        .map_err(query_failed)?;
                }
            }
        }
        tx.commit().map_err(query_failed)?;
        Ok(tally.finish())
    }

    fn expiries(
        &self,
        account: &AccountId,
        hashes: &[String],
    ) -> Result<Vec<(String, u64)>, StorageError> {
        let conn = self.lock();
        let mut select = conn
            .prepare_cached("SELECT expiry FROM messages WHERE account = ?1 AND hash = ?2")
            .map_err(query_failed)?;
        let mut found = BTreeMap::new();
        for hash in hashes {
            if let Some(expiry) = select
                .query_row(params![account.as_bytes().as_slice(), hash], |row| {
                    row.get::<_, i64>(0)
                })
                .optional()
                .map_err(query_failed)?
            {
                found.insert(hash.clone(), from_sql_ms(expiry));
            }
        }
        Ok(found.into_iter().collect())
    }

    fn sweep_expired(&self, now_ms: u64) -> Result<usize, StorageError> {
        self.lock()
            .execute(
                "DELETE FROM messages WHERE expiry < ?1",
                params![to_sql_ms(now_ms)],
            )
            .map_err(query_failed)
    }

    fn revoke(&self, account: &AccountId, tokens: &[[u8; 36]]) -> Result<(), StorageError> {
        let mut conn = self.lock();
        let tx = conn.transaction().map_err(query_failed)?;
        let account_bytes = account.as_bytes().as_slice();
        {
            // A token already revoked keeps its place, as on the real server.
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO revoked_subaccounts (account, token) VALUES (?1, ?2)
                     ON CONFLICT DO NOTHING",
                )
                .map_err(query_failed)?;
            for token in tokens {
                insert
                    .execute(params![account_bytes, token.as_slice()])
                    .map_err(query_failed)?;
            }
        }
        tx.execute(
            "DELETE FROM revoked_subaccounts WHERE account = ?1 AND id NOT IN (
                 SELECT id FROM revoked_subaccounts WHERE account = ?1 ORDER BY id DESC LIMIT ?2)",
            params![
                account_bytes,
                i64::try_from(MAX_REVOKED_PER_ACCOUNT).unwrap_or(i64::MAX)
            ],
        )
        .map_err(query_failed)?;
        tx.commit().map_err(query_failed)
    }

    fn unrevoke(&self, account: &AccountId, tokens: &[[u8; 36]]) -> Result<usize, StorageError> {
        let mut conn = self.lock();
        let tx = conn.transaction().map_err(query_failed)?;
        let mut removed = 0;
        {
            let mut delete = tx
                .prepare_cached("DELETE FROM revoked_subaccounts WHERE account = ?1 AND token = ?2")
                .map_err(query_failed)?;
            for token in tokens {
                removed += delete
                    .execute(params![account.as_bytes().as_slice(), token.as_slice()])
                    .map_err(query_failed)?;
            }
        }
        tx.commit().map_err(query_failed)?;
        Ok(removed)
    }

    fn is_revoked(&self, account: &AccountId, token: &[u8; 36]) -> Result<bool, StorageError> {
        let count: i64 = self
            .lock()
            .query_row(
                "SELECT COUNT(*) FROM revoked_subaccounts WHERE account = ?1 AND token = ?2",
                params![account.as_bytes().as_slice(), token.as_slice()],
                |row| row.get(0),
            )
            .map_err(query_failed)?;
        Ok(count > 0)
    }

    fn revoked(&self, account: &AccountId) -> Result<Vec<[u8; 36]>, StorageError> {
        let conn = self.lock();
        let mut select = conn
            .prepare_cached("SELECT token FROM revoked_subaccounts WHERE account = ?1 ORDER BY id")
            .map_err(query_failed)?;
        select
            .query_map(params![account.as_bytes().as_slice()], |row| {
                row.get::<_, [u8; 36]>(0)
            })
            .map_err(query_failed)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(query_failed)
    }

    fn message_count(&self) -> Result<usize, StorageError> {
        let count: i64 = self
            .lock()
            .query_row("SELECT COUNT(*) FROM messages", [], |row| row.get(0))
            .map_err(query_failed)?;
        Ok(from_sql_count(count))
    }
}
