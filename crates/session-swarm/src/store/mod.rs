//! State that must survive a restart: node pool, swarms, last hashes, seen hashes, clock
//! offset and keyed blobs (config dumps, group keys), behind the [`Store`] trait.
//!
//! [`SqliteStore`] keeps it in an SQLite file (WAL, versioned schema) and is the default
//! for apps; [`MemoryStore`] keeps it in memory for tests. Both behave identically. Every
//! write is an atomic [`WriteBatch`], so a poll's last hash and the hashes it delivered
//! are recorded together ([`Store::commit_poll`]): after a crash a message is either
//! delivered and marked seen, or fetched again and delivered once.
//!
//! ```
//! use session_swarm::rpc::Account;
//! use session_swarm::store::{MemoryStore, SqliteStore, Store};
//!
//! fn poll_once(store: &dyn Store) -> Result<(), session_swarm::store::StoreError> {
//!     let account = Account::new(0x05, &[7; 32]);
//!     let node = [1; 32];
//!     let expiry_ms = 1_700_000_000_000;
//!     assert_eq!(store.last_hash(&account, 0, &node)?, None); // poll from the start
//!
//!     // What the node returned; deliver what was not seen, then commit the poll.
//!     let polled = ["hash-a", "hash-b"];
//!     let fresh: Vec<&str> =
//!         polled.iter().copied().filter(|h| !store.is_seen(&account, h).unwrap_or(true)).collect();
//!     let seen: Vec<(&str, i64)> = fresh.iter().map(|h| (*h, expiry_ms)).collect();
//!     assert_eq!(store.commit_poll(&account, 0, &node, "hash-b", &seen)?, [true, true]);
//!
//!     // The same message from another node is not new.
//!     assert!(!store.mark_seen_if_new(&account, "hash-a", expiry_ms)?);
//!     assert_eq!(store.last_hash(&account, 0, &node)?.as_deref(), Some("hash-b"));
//!     Ok(())
//! }
//!
//! poll_once(&MemoryStore::new())?;
//! poll_once(&SqliteStore::in_memory()?)?;
//! # Ok::<(), session_swarm::store::StoreError>(())
//! ```

mod api;
mod batch;
mod error;
mod memory;
mod schema;
mod snapshot;
mod sqlite;

pub use api::Store;
pub use batch::{MAX_BLOB_NAMESPACE_LEN, MAX_HASH_LEN, WriteBatch};
pub use error::StoreError;
pub use memory::MemoryStore;
pub use snapshot::{NodePoolSnapshot, SwarmSnapshot};
pub use sqlite::SqliteStore;
