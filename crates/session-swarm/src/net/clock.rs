//! Network time: how far our clock is from the nodes', learned from the `t` they return.
//!
//! Signed requests are checked against the node's clock (±60 s), so the clients sign with
//! "network now" = local now − the median of (local − `t`) over recent answers. Desktop
//! takes the mean; the median agrees with it while the nodes agree with each other, and
//! one node with a wrong clock cannot drag it away from the rest.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// How many recent samples the median covers (desktop keeps 10).
pub const CLOCK_SAMPLES: usize = 10;

/// `t` values before 2021-01-01T00:00:00Z (ms) are not real node times and are ignored.
pub const MIN_NETWORK_TIME_MS: i64 = 1_609_459_200_000;

/// The rolling clock offset, sans-IO: local times are passed in.
#[derive(Clone, Debug, Default)]
pub struct NetworkClock {
    /// Recent `local − t` values, oldest first.
    samples: VecDeque<i64>,
}

impl NetworkClock {
    /// A clock with no samples (offset 0).
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a node time `t` (ms) seen when our clock read `local_ms`.
    /// Returns whether the sample was used.
    pub fn record(&mut self, local_ms: i64, t: i64) -> bool {
        if t < MIN_NETWORK_TIME_MS {
            return false;
        }
        if self.samples.len() == CLOCK_SAMPLES {
            self.samples.pop_front();
        }
        self.samples.push_back(local_ms.saturating_sub(t));
        true
    }

    /// Records the top-level `t` of a JSON answer body, if it has one.
    pub fn record_body(&mut self, local_ms: i64, body: &[u8]) -> bool {
        match network_time(body) {
            Some(t) => self.record(local_ms, t),
            None => false,
        }
    }

    /// The median of (local − `t`) over the recent samples, in ms (0 with none); with an
    /// even count, the mean of the middle two.
    pub fn offset_ms(&self) -> i64 {
        let mut sorted: Vec<i64> = self.samples.iter().copied().collect();
        sorted.sort_unstable();
        let middle = sorted.len() / 2;
        match (sorted.get(middle.wrapping_sub(1)), sorted.get(middle)) {
            (_, None) => 0,
            (Some(low), Some(high)) if sorted.len().is_multiple_of(2) => {
                // The mean of two i64 values fits an i64; the fallback is unreachable.
                i64::try_from((i128::from(*low) + i128::from(*high)) / 2).unwrap_or(0)
            }
            (_, Some(median)) => *median,
        }
    }

    /// Network time for a local time: `local_ms − offset`.
    pub fn now_ms(&self, local_ms: i64) -> i64 {
        local_ms.saturating_sub(self.offset_ms())
    }

    /// How many samples are held.
    pub fn sample_count(&self) -> usize {
        self.samples.len()
    }
}

/// The `t` (ms) at the top of a JSON body; a `batch`/`sequence` answer carries it per
/// result as well, but the top-level one is the answering node's.
fn network_time(body: &[u8]) -> Option<i64> {
    // Cheap pre-check: most bodies that are not JSON objects are skipped without parsing.
    if body.first() != Some(&b'{') {
        return None;
    }
    let json: serde_json::Value = serde_json::from_slice(body).ok()?;
    json.get("t")?.as_i64()
}

/// The local wall clock in ms since the epoch (0 if the clock is before 1970).
pub fn local_now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// A [`NetworkClock`] the transports share and update from every answer.
#[derive(Debug, Default)]
pub struct SharedClock {
    /// The clock; the lock is never held across an await.
    inner: Mutex<NetworkClock>,
}

impl SharedClock {
    /// A shared clock with no samples.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the `t` of an answer body, against the local clock now.
    pub fn observe(&self, body: &[u8]) {
        let local = local_now_ms();
        if let Ok(mut clock) = self.inner.lock() {
            clock.record_body(local, body);
        }
    }

    /// The current offset (local − network), ms.
    pub fn offset_ms(&self) -> i64 {
        self.inner.lock().map(|c| c.offset_ms()).unwrap_or(0)
    }

    /// Network now, ms since the epoch.
    pub fn now_ms(&self) -> i64 {
        let local = local_now_ms();
        self.inner.lock().map(|c| c.now_ms(local)).unwrap_or(local)
    }

    /// Starts from a saved offset (local − network, ms), as one sample that real answers
    /// soon outweigh.
    pub fn restore_offset(&self, offset_ms: i64) {
        let local = local_now_ms();
        if let Ok(mut clock) = self.inner.lock() {
            clock.record(local, local.saturating_sub(offset_ms));
        }
    }

    /// A copy of the clock's state.
    pub fn snapshot(&self) -> NetworkClock {
        self.inner.lock().map(|c| c.clone()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000_000;

    #[test]
    fn takes_the_median_of_the_last_ten() {
        let mut clock = NetworkClock::new();
        assert_eq!(clock.now_ms(NOW), NOW);
        // Eleven samples: the first (offset 1_000_000) falls out of the window.
        assert!(clock.record(NOW, NOW - 1_000_000));
        for i in 0..10 {
            assert!(clock.record(NOW, NOW - 100 - i * 2));
        }
        assert_eq!(clock.sample_count(), CLOCK_SAMPLES);
        assert_eq!(clock.offset_ms(), 109);
        assert_eq!(clock.now_ms(NOW), NOW - 109);
    }

    #[test]
    fn one_skewed_node_does_not_move_the_offset() {
        let mut clock = NetworkClock::new();
        for _ in 0..9 {
            assert!(clock.record(NOW, NOW - 200));
        }
        // Ten minutes ahead, where the mean would move by a minute.
        assert!(clock.record(NOW, NOW + 600_000));
        assert_eq!(clock.offset_ms(), 200);
        assert!(clock.record(NOW, NOW - 300));
        assert_eq!(clock.offset_ms(), 200);
    }

    #[test]
    fn ignores_times_before_2021_and_bodies_without_t() {
        let mut clock = NetworkClock::new();
        assert!(!clock.record(NOW, MIN_NETWORK_TIME_MS - 1));
        assert!(!clock.record_body(NOW, b"{\"x\":1}"));
        assert!(!clock.record_body(NOW, b"not json"));
        assert!(clock.record_body(NOW, format!("{{\"t\":{}}}", NOW + 5000).as_bytes()));
        assert_eq!(clock.offset_ms(), -5000);
        assert_eq!(clock.now_ms(NOW), NOW + 5000);
    }
}
