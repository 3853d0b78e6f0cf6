//! How a [`SwarmClient`](crate::client::SwarmClient) carries requests and how patient it is.

use std::sync::Arc;
use std::time::Duration;

use crate::net::{OnionConfig, PoolConfig, SeedConfig};
use crate::store::Store;

/// Which transport requests travel over.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportKind {
    /// Through 3-hop onion paths: the nodes never learn our address (the default).
    #[default]
    Onion,
    /// Straight to the node over HTTPS. It sees our address: diagnostics only.
    Direct,
}

/// The client's settings, with the official clients' numbers as defaults.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ClientOptions {
    /// Onion paths (default) or direct HTTPS.
    pub transport: TransportKind,
    /// Path building and onion retries.
    pub onion: OnionConfig,
    /// Seed bootstrap (timeouts, rounds).
    pub seed: SeedConfig,
    /// Pool size, strikes and refresh times.
    pub pool: PoolConfig,
    /// The longest one attempt may take (10 s: the clients' snode RPC timeout).
    pub request_timeout: Duration,
    /// The longest a whole call may take, retries, swarm lookups and clock resyncs
    /// included (10 s).
    pub deadline: Duration,
    /// Attempts on failing nodes before a call gives up (3, as `sendSingleMessage`).
    pub attempts: u32,
    /// Delay before the first retry on another node, doubled after each (100 ms).
    pub backoff_base: Duration,
    /// The longest delay between retries (1 s).
    pub backoff_max: Duration,
    /// Build onion paths (guard tests) while connecting instead of on the first call.
    pub warm_up: bool,
    /// Where the node pool, the swarms and the clock offset are kept across restarts
    /// (none: everything is fetched again by each new client).
    pub store: Option<Arc<dyn Store>>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            transport: TransportKind::Onion,
            onion: OnionConfig::default(),
            seed: SeedConfig::default(),
            pool: PoolConfig::default(),
            request_timeout: Duration::from_secs(10),
            deadline: Duration::from_secs(10),
            attempts: 3,
            backoff_base: Duration::from_millis(100),
            backoff_max: Duration::from_secs(1),
            warm_up: true,
            store: None,
        }
    }
}
