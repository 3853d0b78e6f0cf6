//! Where a client remembers which messages it already delivered.

use std::path::PathBuf;
use std::sync::Arc;

use session_swarm::store::{MemoryStore, SqliteStore, Store};

use crate::error::Result;

/// Where a [`Client`](crate::Client) keeps what it must not forget: the messages it
/// delivered and the last hash of each poll.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub enum Storage {
    /// In memory: lost when the process ends, so a restarted client receives again every
    /// message still on its swarm (the default; fine for bots that answer idempotently,
    /// tests and one-shot tools).
    #[default]
    Memory,
    /// A SQLite file, created if missing: a restarted client resumes where it stopped.
    Sqlite(PathBuf),
    /// A store of the caller's own.
    Custom(Arc<dyn Store>),
}

impl Storage {
    /// Opens the store.
    pub(crate) fn open(self) -> Result<Arc<dyn Store>> {
        Ok(match self {
            Self::Memory => Arc::new(MemoryStore::new()),
            Self::Sqlite(path) => Arc::new(SqliteStore::open(path)?),
            Self::Custom(store) => store,
        })
    }
}
