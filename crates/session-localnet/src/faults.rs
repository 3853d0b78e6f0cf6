//! Faults a test sets on a running node: drop or delay a share of its requests. (Stopping a
//! node, skewing its clock and moving accounts between swarms live with the node, its clock
//! and the topology.)

use std::sync::Mutex;
use std::time::Duration;

use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};

/// What happens to one incoming request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fate {
    /// Handle it normally.
    Serve,
    /// Wait this long, then handle it.
    Delay(Duration),
    /// Close the connection without an answer, as a node that fell over would.
    Drop,
}

#[derive(Debug)]
struct Settings {
    drop_per_million: u32,
    delay_per_million: u32,
    delay: Duration,
    rng: ChaCha20Rng,
}

/// The drop and delay knobs of one node, with their own seeded randomness so a test that
/// seeds the network sees the same faults every run.
#[derive(Debug)]
pub(crate) struct Faults {
    settings: Mutex<Settings>,
}

fn per_million(share: f64) -> u32 {
    // A share outside 0..=1 is clamped rather than refused: a knob, not an input.
    (share.clamp(0.0, 1.0) * 1_000_000.0).round() as u32
}

impl Faults {
    /// No faults, randomness from `seed`.
    pub(crate) fn new(seed: [u8; 32]) -> Self {
        Self {
            settings: Mutex::new(Settings {
                drop_per_million: 0,
                delay_per_million: 0,
                delay: Duration::ZERO,
                rng: ChaCha20Rng::from_seed(seed),
            }),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Settings) -> T) -> T {
        let mut guard = self
            .settings
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut guard)
    }

    /// Drops `share` (0.0..=1.0) of requests.
    pub(crate) fn set_drop(&self, share: f64) {
        self.with(|s| s.drop_per_million = per_million(share));
    }

    /// Delays `share` of requests by `delay`.
    pub(crate) fn set_delay(&self, share: f64, delay: Duration) {
        self.with(|s| {
            s.delay_per_million = per_million(share);
            s.delay = delay;
        });
    }

    /// Back to no faults.
    pub(crate) fn clear(&self) {
        self.with(|s| {
            s.drop_per_million = 0;
            s.delay_per_million = 0;
            s.delay = Duration::ZERO;
        });
    }

    /// Decides the fate of the next request.
    pub(crate) fn next_fate(&self) -> Fate {
        self.with(|s| {
            if s.drop_per_million > 0 && s.rng.next_u32() % 1_000_000 < s.drop_per_million {
                return Fate::Drop;
            }
            if s.delay_per_million > 0 && s.rng.next_u32() % 1_000_000 < s.delay_per_million {
                return Fate::Delay(s.delay);
            }
            Fate::Serve
        })
    }
}
