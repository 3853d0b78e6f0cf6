//! A built onion path: a tested guard followed by relays.

use super::id::PathId;
use super::node::Node;

/// A built path, as handed to the request builder.
///
/// `nodes[0]` is the guard (the node the request is sent to); the rest are relays in hop
/// order. The destination is not part of the path.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Path {
    /// The path's id, to report outcomes with.
    pub id: PathId,
    /// Guard first, then relays.
    pub nodes: Vec<Node>,
}

impl Path {
    /// The first hop. Always present for paths the manager hands out.
    pub fn guard(&self) -> Option<&Node> {
        self.nodes.first()
    }

    /// The hops after the guard.
    pub fn relays(&self) -> &[Node] {
        self.nodes.get(1..).unwrap_or_default()
    }

    /// Whether the node with this Ed25519 key is one of the hops.
    pub fn contains(&self, ed25519: &[u8; 32]) -> bool {
        self.nodes.iter().any(|n| &n.ed25519 == ed25519)
    }
}
