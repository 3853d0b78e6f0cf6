//! The bookkeeping `update_expiries` shares between the stores, so that both give "shorten",
//! "extend" and repeated hashes the same reading.

use std::collections::BTreeMap;

use super::{ExpireMode, ExpiryUpdate};

/// The expiries one `update_expiries` call has moved, and where every hash it found ended up.
#[derive(Debug, Default)]
pub(crate) struct ExpiryTally {
    updated: BTreeMap<String, u64>,
    current: BTreeMap<String, u64>,
}

impl ExpiryTally {
    /// Records an existing `hash` whose expiry is `old` and the `new` one asked for; returns
    /// whether `mode` lets it move, in which case the caller stores `new`.
    pub(crate) fn offer(&mut self, mode: ExpireMode, hash: &str, old: u64, new: u64) -> bool {
        let moves = match mode {
            ExpireMode::Set => true,
            ExpireMode::Shorten => new < old,
            ExpireMode::Extend => new > old,
        };
        if moves {
            self.updated.insert(hash.to_owned(), new);
        }
        self.current
            .insert(hash.to_owned(), if moves { new } else { old });
        moves
    }

    /// The update: the moved hashes, and the found ones never moved, each sorted by hash.
    pub(crate) fn finish(self) -> ExpiryUpdate {
        let Self { updated, current } = self;
        let unchanged = current
            .into_iter()
            .filter(|(hash, _)| !updated.contains_key(hash))
            .collect();
        ExpiryUpdate {
            updated: updated.into_iter().collect(),
            unchanged,
        }
    }
}
