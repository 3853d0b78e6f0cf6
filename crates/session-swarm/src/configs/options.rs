//! How the config sync stores, confirms and keeps its messages alive.

use std::time::Duration;

/// The config sync's settings, with the official clients' numbers as defaults.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ConfigOptions {
    /// How long config messages live (30 days, the clients' config TTL and the servers'
    /// maximum for private namespaces).
    pub ttl: Duration,
    /// How much of its lifetime a current config message may lose before a poll extends it
    /// back to [`ttl`](Self::ttl) (1 day: at most one extension a day per message, where
    /// desktop sends one with every poll).
    pub refresh_margin: Duration,
    /// Whether a store needs a majority of the swarm's signed results to count (on, as for
    /// messages).
    pub majority_confirmation: bool,
    /// Swarm members a config-only [`sync`](super::ConfigSync::sync) polls (2).
    pub poll_members: usize,
}

impl Default for ConfigOptions {
    fn default() -> Self {
        Self {
            ttl: Duration::from_secs(30 * 24 * 3600),
            refresh_margin: Duration::from_secs(24 * 3600),
            majority_confirmation: true,
            poll_members: 2,
        }
    }
}

impl ConfigOptions {
    /// [`ttl`](Self::ttl) in milliseconds.
    pub(crate) fn ttl_ms(&self) -> u64 {
        u64::try_from(self.ttl.as_millis()).unwrap_or(u64::MAX)
    }

    /// [`refresh_margin`](Self::refresh_margin) in milliseconds.
    pub(crate) fn margin_ms(&self) -> u64 {
        u64::try_from(self.refresh_margin.as_millis()).unwrap_or(u64::MAX)
    }
}
