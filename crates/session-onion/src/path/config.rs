//! The knobs of path selection, defaulting to what the Session clients use.

use std::time::Duration;

/// Path selection settings.
///
/// The defaults are the clients' (desktop `onionPathConstants.ts`, libsession
/// `network_config.hpp`): two paths of three nodes, strike thresholds of 3, guards tested
/// two at a time with desktop's 10 s timeout.
///
/// Out-of-range values are not errors: [`PathManager::new`](super::PathManager::new) raises
/// `path_len`, both thresholds and `max_guard_tests_in_flight` to at least 1, because a
/// zero there would make the rules meaningless rather than merely strict.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PathConfig {
    /// How many paths to keep built.
    pub path_count: usize,
    /// Nodes per path, guard included.
    pub path_len: usize,
    /// Strikes at which a node is dropped from the pool and from every path.
    pub node_strike_threshold: u32,
    /// Failures at which a path is dropped.
    pub path_strike_threshold: u32,
    /// Guard tests handed out and not yet answered, at most.
    pub max_guard_tests_in_flight: usize,
    /// How long a guard test may take before [`PathManager::handle_timeout`] fails it.
    ///
    /// [`PathManager::handle_timeout`]: super::PathManager::handle_timeout
    pub guard_test_timeout: Duration,
}

impl Default for PathConfig {
    fn default() -> Self {
        Self {
            path_count: 2,
            path_len: 3,
            node_strike_threshold: 3,
            path_strike_threshold: 3,
            max_guard_tests_in_flight: 2,
            guard_test_timeout: Duration::from_secs(10),
        }
    }
}

impl PathConfig {
    pub(crate) fn normalized(mut self) -> Self {
        self.path_len = self.path_len.max(1);
        self.node_strike_threshold = self.node_strike_threshold.max(1);
        self.path_strike_threshold = self.path_strike_threshold.max(1);
        self.max_guard_tests_in_flight = self.max_guard_tests_in_flight.max(1);
        self
    }
}
