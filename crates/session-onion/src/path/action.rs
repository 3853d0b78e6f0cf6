//! Work the path manager asks the I/O layer to do.

use super::id::TestId;
use super::node::Node;

/// Something the I/O layer must do, from [`PathManager::poll_action`].
///
/// [`PathManager::poll_action`]: super::PathManager::poll_action
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Action {
    /// Probe `node` directly (not through a path) and report with
    /// [`PathManager::guard_test_result`](super::PathManager::guard_test_result).
    ///
    /// Desktop's probe is a `get_swarm` for our own Session ID to
    /// `https://ip:https_port/storage_rpc/v1`; the test passes on HTTP 200. A probe that
    /// times out is reported as failed (or left to
    /// [`PathManager::handle_timeout`](super::PathManager::handle_timeout)).
    TestGuard {
        /// Quote this in the result.
        test_id: TestId,
        /// The guard candidate.
        node: Node,
    },
}
