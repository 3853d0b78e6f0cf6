//! What the path manager tells the I/O layer happened.

use super::id::PathId;
use super::node::Node;

/// A change the I/O layer may act on, from [`PathManager::poll_event`].
///
/// [`PathManager::poll_event`]: super::PathManager::poll_event
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A new path is ready; requests waiting for a path can go.
    PathBuilt {
        /// The new path's id.
        path_id: PathId,
        /// Guard first, then relays.
        nodes: Vec<Node>,
    },
    /// A path is gone; requests in flight on it may still report, and get
    /// [`PathError::UnknownPath`](super::PathError::UnknownPath).
    PathDropped {
        /// The dropped path's id.
        path_id: PathId,
        /// Why.
        reason: DropReason,
    },
    /// A relay of a path was swapped for another node; the path keeps its id.
    PathRepaired {
        /// The repaired path.
        path_id: PathId,
        /// The Ed25519 key of the node that left the path.
        replaced: [u8; 32],
        /// The node that took its place, at the same position.
        replacement: Node,
    },
    /// A node's strike count went up.
    NodeStruck {
        /// The node's Ed25519 key.
        ed25519: [u8; 32],
        /// Its strike count now.
        strikes: u32,
    },
    /// A node reached the strike threshold and will not be used until the next pool
    /// refresh; the I/O layer should also drop it from cached swarms, as the clients do.
    NodeDropped {
        /// The node's Ed25519 key.
        ed25519: [u8; 32],
    },
    /// A guard candidate failed its test and will not be used until the next pool refresh.
    GuardRejected {
        /// The candidate's Ed25519 key.
        ed25519: [u8; 32],
    },
    /// Too few usable nodes are left to keep the configured paths: fetch a new pool and
    /// pass it to [`PathManager::set_pool`](super::PathManager::set_pool). Emitted once
    /// per pool.
    NeedPoolRefresh,
}

/// Why a path was dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DropReason {
    /// The path reached its failure threshold.
    PathStrikes,
    /// The guard was struck out or left the pool. Guards are never replaced, because a
    /// replacement would be an untested guard.
    GuardLost,
    /// A relay was struck out or left the pool, and no unused node outside the path's
    /// /24s could replace it.
    NoReplacement,
}
