//! The operating system's random generator as the `CryptoRng` session-onion takes.
//!
//! `getrandom` can fail (very rarely, and only on odd platforms); the `rand_core` traits
//! cannot. A failure is remembered, the bytes zeroed, and [`OsRandom::check`] turns it into
//! an error before anything drawn is used, so it never panics and never sends zeros.

use std::convert::Infallible;

use session_onion::rand_core::{TryCryptoRng, TryRng};

use crate::error::{Error, Result};

/// Draws from `getrandom`, recording the first failure.
#[derive(Debug, Default)]
pub(crate) struct OsRandom {
    /// The first failure, if any.
    failure: Option<getrandom::Error>,
}

impl OsRandom {
    /// A generator with no failure yet.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Fails, once and for all, if any draw failed.
    pub(crate) fn check(&self) -> Result<()> {
        match self.failure {
            None => Ok(()),
            Some(error) => Err(Error::Transport(format!(
                "the system random generator failed: {error}"
            ))),
        }
    }
}

impl TryRng for OsRandom {
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
        if let Err(error) = getrandom::fill(dst) {
            dst.fill(0);
            self.failure.get_or_insert(error);
        }
        Ok(())
    }
}

impl TryCryptoRng for OsRandom {}
