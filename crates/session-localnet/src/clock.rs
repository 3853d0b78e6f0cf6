//! A node's clock: the host's clock plus a skew that fault injection can set, so a test can
//! put one node minutes off and watch clients get 406s from it.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch on the host.
pub(crate) fn system_now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX)
        })
}

/// The host clock shifted by a settable number of milliseconds.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    skew_ms: AtomicI64,
}

impl Clock {
    /// Now, in milliseconds since the epoch, as this node sees it.
    pub(crate) fn now_ms(&self) -> u64 {
        system_now_ms().saturating_add_signed(self.skew_ms.load(Ordering::Relaxed))
    }

    /// Sets how far this node's clock is ahead (positive) or behind (negative).
    pub(crate) fn set_skew_ms(&self, skew_ms: i64) {
        self.skew_ms.store(skew_ms, Ordering::Relaxed);
    }
}
