//! Randomness for choosing nodes, from the operating system.
//!
//! Which member gets a request is not secret, but pool refresh sources feed path
//! selection's view of the network, so the draws come from the OS generator, the same one
//! the onion transport uses. A failing generator (very rare) yields zeros rather than a
//! panic: the choice then degrades to "the first candidate", which is still a valid node.

use session_onion::rand_core::TryRng;

pub(crate) use crate::net::OsRandom as OsRng;

/// A uniform-enough index below `len` drawn from `rng` (`None` for an empty range).
pub(crate) fn random_index(rng: &mut OsRng, len: usize) -> Option<usize> {
    if len == 0 {
        return None;
    }
    let draw = rng.try_next_u64().unwrap_or_default();
    // The modulo bias is negligible for swarm and pool sizes against 2^64.
    usize::try_from(draw % len as u64).ok()
}
