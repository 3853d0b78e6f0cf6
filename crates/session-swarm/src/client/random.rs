//! Randomness for choosing nodes, from the operating system.
//!
//! Which member gets a request is not secret, but pool refresh sources feed path
//! selection's view of the network, so the draws come from the OS generator. A failing
//! generator (very rare) yields zeros rather than a panic: the choice then degrades to
//! "the first candidate", which is still a valid node.

use std::convert::Infallible;

use session_onion::rand_core::{TryCryptoRng, TryRng};

/// The OS generator as the `CryptoRng` the pool functions take.
#[derive(Debug, Default)]
pub(crate) struct OsRng;

impl OsRng {
    /// A uniform-enough index below `len` (`None` for an empty range).
    pub(crate) fn index(&mut self, len: usize) -> Option<usize> {
        if len == 0 {
            return None;
        }
        let draw = self.try_next_u64().unwrap_or_default();
        // The modulo bias is negligible for swarm and pool sizes against 2^64.
        usize::try_from(draw % len as u64).ok()
    }
}

impl TryRng for OsRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut bytes = [0u8; 4];
        self.try_fill_bytes(&mut bytes)?;
        Ok(u32::from_le_bytes(bytes))
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut bytes = [0u8; 8];
        self.try_fill_bytes(&mut bytes)?;
        Ok(u64::from_le_bytes(bytes))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        if getrandom::fill(dst).is_err() {
            dst.fill(0);
        }
        Ok(())
    }
}

impl TryCryptoRng for OsRng {}
