//! Where a node keeps messages and revoked subaccount tokens: in memory by default, or in a
//! SQLite file so that a restarted node keeps what it had, as a real node does.
//!
//! The semantics are the storage server's (`storage-server.md` §6 and §15): one row per
//! message hash (a second store of the same hash only extends the expiry), retrieval in
//! insertion order after a last hash (from the start when that hash is unknown), expired rows
//! swept by a timer, and at most 50 revoked tokens kept per account.

use crate::account::AccountId;

mod expiry_tally;
mod memory;
mod sqlite;
#[cfg(test)]
mod tests;

pub use memory::MemoryStorage;
pub use sqlite::SqliteStorage;

/// How many revoked subaccount tokens an account keeps (the newest ones).
pub const MAX_REVOKED_PER_ACCOUNT: usize = 50;

/// One stored message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMessage {
    /// The account it is stored for.
    pub account: AccountId,
    /// Its namespace.
    pub namespace: i16,
    /// The 43-character message hash.
    pub hash: String,
    /// The client's timestamp, ms.
    pub timestamp_ms: u64,
    /// When it expires, ms.
    pub expiry_ms: u64,
    /// The stored bytes.
    pub data: Vec<u8>,
}

/// What `store` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreOutcome {
    /// A new row.
    New,
    /// The hash was already stored; its expiry is now the later of the two.
    Already {
        /// The expiry after the update.
        expiry_ms: u64,
    },
}

/// Which namespaces a bulk operation covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Namespaces {
    /// One namespace.
    One(i16),
    /// Every namespace (the RPC's `"all"`).
    All,
}

impl Namespaces {
    /// Whether `namespace` is covered.
    pub const fn contains(self, namespace: i16) -> bool {
        match self {
            Self::One(only) => only == namespace,
            Self::All => true,
        }
    }
}

/// How `expire` may move an expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpireMode {
    /// Set it, earlier or later.
    Set,
    /// Only make it earlier.
    Shorten,
    /// Only make it later.
    Extend,
}

/// What `expire` did, per requested hash that exists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExpiryUpdate {
    /// Hashes whose expiry changed, with the new expiry, sorted by hash.
    pub updated: Vec<(String, u64)>,
    /// Existing hashes left as they were, with their expiry, sorted by hash.
    pub unchanged: Vec<(String, u64)>,
}

/// A failure of the backing store (the real server's `query_failure`).
#[derive(Debug, thiserror::Error)]
#[error("storage query failed: {0}")]
pub struct StorageError(pub String);

/// A node's message store. Implementations are internally synchronised.
///
/// Lists of `(namespace, hash)` are returned sorted by namespace, then hash.
pub trait Storage: Send + Sync + std::fmt::Debug {
    /// Stores `message`, or extends the expiry of the row with its hash.
    fn store(&self, message: StoredMessage) -> Result<StoreOutcome, StorageError>;

    /// Messages of `account` in `namespace` stored after `last_hash`, in insertion order,
    /// at most `limit` of them (all with `None`); from the first when `last_hash` is `None`
    /// or unknown. Expired rows not yet swept are included, as on the real server.
    fn retrieve(
        &self,
        account: &AccountId,
        namespace: i16,
        last_hash: Option<&str>,
        limit: Option<usize>,
    ) -> Result<Vec<StoredMessage>, StorageError>;

    /// Deletes the listed messages of `account`; returns the hashes deleted, sorted.
    fn delete_hashes(
        &self,
        account: &AccountId,
        hashes: &[String],
    ) -> Result<Vec<String>, StorageError>;

    /// Deletes every message of `account` in `namespaces`.
    fn delete_all(
        &self,
        account: &AccountId,
        namespaces: Namespaces,
    ) -> Result<Vec<(i16, String)>, StorageError>;

    /// Deletes messages of `account` in `namespaces` whose timestamp is `<= before_ms`.
    fn delete_before(
        &self,
        account: &AccountId,
        namespaces: Namespaces,
        before_ms: u64,
    ) -> Result<Vec<(i16, String)>, StorageError>;

    /// Deletes every message of `account` in `namespace` except `keep_hash` (what a store to
    /// a public outbox namespace does).
    fn delete_others(
        &self,
        account: &AccountId,
        namespace: i16,
        keep_hash: &str,
    ) -> Result<(), StorageError>;

    /// Sets the expiry of messages of `account` in `namespaces` whose expiry is later than
    /// `expiry_ms` to `expiry_ms` (`expire_all` only shortens).
    fn shorten_all(
        &self,
        account: &AccountId,
        namespaces: Namespaces,
        expiry_ms: u64,
    ) -> Result<Vec<(i16, String)>, StorageError>;

    /// Moves the expiry of each listed message of `account` to its paired value under `mode`.
    fn update_expiries(
        &self,
        account: &AccountId,
        targets: &[(String, u64)],
        mode: ExpireMode,
    ) -> Result<ExpiryUpdate, StorageError>;

    /// The expiries of the listed messages of `account` that exist.
    fn expiries(
        &self,
        account: &AccountId,
        hashes: &[String],
    ) -> Result<Vec<(String, u64)>, StorageError>;

    /// Deletes rows whose expiry is before `now_ms`; returns how many.
    fn sweep_expired(&self, now_ms: u64) -> Result<usize, StorageError>;

    /// Adds `tokens` to the revoked subaccount tokens of `account`, keeping the newest
    /// [`MAX_REVOKED_PER_ACCOUNT`].
    fn revoke(&self, account: &AccountId, tokens: &[[u8; 36]]) -> Result<(), StorageError>;

    /// Removes `tokens` from the revoked list; returns how many were there.
    fn unrevoke(&self, account: &AccountId, tokens: &[[u8; 36]]) -> Result<usize, StorageError>;

    /// Whether `token` is revoked for `account`.
    fn is_revoked(&self, account: &AccountId, token: &[u8; 36]) -> Result<bool, StorageError>;

    /// The revoked tokens of `account`, oldest first.
    fn revoked(&self, account: &AccountId) -> Result<Vec<[u8; 36]>, StorageError>;

    /// How many messages are stored, all accounts together.
    fn message_count(&self) -> Result<usize, StorageError>;
}
