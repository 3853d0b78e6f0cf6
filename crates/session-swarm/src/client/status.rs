//! The client's connection state, for a UI's "connecting / online / offline" indicator.

/// Where the client stands with the network.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Status {
    /// No request has been answered yet (bootstrap, path building).
    #[default]
    Connecting,
    /// The last call was answered by a node.
    Connected {
        /// Onion paths built (0 over direct HTTPS).
        paths: usize,
    },
    /// The last call failed to reach any node (or the seeds could not be reached).
    Offline,
}
