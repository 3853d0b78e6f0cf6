//! What the client keeps across restarts through [`ClientOptions::store`]: the node pool,
//! the swarms and the clock offset, so that a restarted app neither asks a seed again nor
//! looks up swarms it knew.
//!
//! Reads happen once, when the client is made; writes follow each change, off the async
//! threads, and a failed write is only logged (the state is a cache: the network can give
//! it again).
//!
//! [`ClientOptions::store`]: crate::client::ClientOptions::store

use std::time::{Duration, Instant};

use crate::client::engine::SwarmClient;
use crate::net::{ServiceNode, local_now_ms};
use crate::rpc::Account;
use crate::store::{Store, StoreError};

impl SwarmClient {
    /// Loads the saved pool, swarms and clock offset, if a store is set. A pool older than
    /// the refresh interval is loaded as due for a refresh.
    pub(crate) fn restore_saved_state(&self) {
        let Some(store) = self.inner.options.store.clone() else {
            return;
        };
        match load(store.as_ref()) {
            Ok(saved) => self.adopt_saved(saved),
            Err(error) => tracing::debug!(%error, "could not read the saved client state"),
        }
    }

    fn adopt_saved(&self, saved: Saved) {
        if let Some(offset_ms) = saved.clock_offset_ms {
            self.inner.clock.restore_offset(offset_ms);
        }
        let Some((nodes, age)) = saved.pool else {
            return;
        };
        if self.inner.carrier.set_pool(&nodes).is_err() {
            return;
        }
        let now = Instant::now();
        let mut state = self.state();
        state
            .pool
            .replace_from_nodes(nodes, now.checked_sub(age).unwrap_or(now));
        let pool = state.pool.clone();
        for (account, members) in saved.swarms {
            let known: Vec<ServiceNode> = members
                .iter()
                .filter_map(|key| pool.get(key).cloned())
                .collect();
            if !known.is_empty() {
                state.swarms.set(&account.to_hex(), &known);
            }
        }
    }

    /// Saves the pool as it is now.
    pub(crate) fn save_pool(&self) {
        let nodes = self.state().pool.nodes().to_vec();
        self.persist(move |store| store.save_node_pool(&nodes, local_now_ms()));
    }

    /// Saves `account`'s swarm.
    pub(crate) fn save_swarm(&self, account: &Account, members: &[ServiceNode]) {
        let account = *account;
        let keys: Vec<[u8; 32]> = members.iter().map(|node| node.ed25519).collect();
        self.persist(move |store| store.save_swarm(&account, &keys, local_now_ms()));
    }

    /// Saves the clock offset.
    pub(crate) fn save_clock(&self) {
        let offset_ms = self.inner.clock.offset_ms();
        self.persist(move |store| store.set_clock_offset(offset_ms));
    }

    fn persist<F>(&self, write: F)
    where
        F: FnOnce(&dyn Store) -> Result<(), StoreError> + Send + 'static,
    {
        let Some(store) = self.inner.options.store.clone() else {
            return;
        };
        let run = move || {
            if let Err(error) = write(store.as_ref()) {
                tracing::debug!(%error, "could not save client state");
            }
        };
        // Inside a runtime, off its threads; outside one (tests, shutdown), right here.
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => drop(runtime.spawn_blocking(run)),
            Err(_) => run(),
        }
    }
}

/// What a store held.
struct Saved {
    pool: Option<(Vec<ServiceNode>, Duration)>,
    swarms: Vec<(Account, Vec<[u8; 32]>)>,
    clock_offset_ms: Option<i64>,
}

fn load(store: &dyn Store) -> Result<Saved, StoreError> {
    let now_ms = local_now_ms();
    let pool = store.load_node_pool()?.and_then(|snapshot| {
        let age_ms = u64::try_from(now_ms.saturating_sub(snapshot.fetched_at_ms)).unwrap_or(0);
        (!snapshot.nodes.is_empty()).then_some((snapshot.nodes, Duration::from_millis(age_ms)))
    });
    let swarms = store
        .load_swarms()?
        .into_iter()
        .map(|(account, snapshot)| (account, snapshot.members))
        .collect();
    Ok(Saved {
        pool,
        swarms,
        clock_offset_ms: store.clock_offset()?,
    })
}
