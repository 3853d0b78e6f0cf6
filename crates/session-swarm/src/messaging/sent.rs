//! What sending a message produced.

/// A message the recipient's swarm confirmed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SentMessage {
    /// Its hash in the recipient's swarm.
    pub hash: String,
    /// Its sent timestamp (envelope and `sigTimestamp`), ms: what quotes, reactions, read
    /// receipts and unsend requests refer to it by.
    pub timestamp_ms: u64,
    /// The hash of its sync copy in our own swarm, if one was stored.
    pub sync_hash: Option<String>,
    /// When the recipient's swarm drops it, ms.
    pub expires_at_ms: u64,
}
