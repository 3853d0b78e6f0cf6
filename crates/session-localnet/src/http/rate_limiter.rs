//! The storage server's per-client token buckets (`oxenss/rpc/rate_limiter.cpp`): 600
//! tokens, one more every 1e6/300 µs, at most 10000 clients tracked. Time is passed in, so
//! the behaviour is testable to the microsecond.
//!
//! Quirks kept from the original: a new client starts with 599 tokens (its first request
//! spent one); a refill adds whole periods only and the leftover fraction is lost when a
//! token is taken; and the cleanup pass adds tokens without moving the bucket's clock.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::Ipv4Addr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Tokens a bucket holds.
pub(crate) const BUCKET_SIZE: u32 = 600;
/// Tokens per second for clients.
pub(crate) const TOKEN_RATE: u32 = 300;
/// Tokens per second for service nodes (their own limiter on the real network; nodes here
/// talk over HTTPS only, so only the tests use it).
#[cfg(test)]
pub(crate) const TOKEN_RATE_SN: u32 = 600;
/// Clients tracked at once; a new client beyond this is limited unless a cleanup frees room.
pub(crate) const MAX_CLIENTS: usize = 10_000;
/// How often the real server's timer sweeps full buckets away.
const CLEAN_INTERVAL: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: u32,
    last: Instant,
}

/// Token buckets keyed by `K`, with a refill period. Not synchronised; see [`RateLimiter`].
#[derive(Debug)]
pub(crate) struct TokenBuckets<K> {
    buckets: HashMap<K, Bucket>,
    period: Duration,
    max_entries: usize,
}

impl<K: Hash + Eq> TokenBuckets<K> {
    /// Buckets refilled at `rate` tokens per second, at most `max_entries` of them.
    pub(crate) fn new(rate: u32, max_entries: usize) -> Self {
        // Whole microseconds, as the original's `1'000'000us / rate`.
        let period = Duration::from_micros(1_000_000 / u64::from(rate.max(1)));
        Self {
            buckets: HashMap::new(),
            period,
            max_entries,
        }
    }

    /// Adds the tokens earned since the bucket's last request; true when it is full.
    fn fill(bucket: &mut Bucket, now: Instant, period: Duration) -> bool {
        // Capped at the time to fill an empty bucket, which also bounds the arithmetic.
        let elapsed = now
            .saturating_duration_since(bucket.last)
            .min(period * BUCKET_SIZE);
        let earned = (elapsed.as_micros() / period.as_micros().max(1)) as u32;
        bucket.tokens = bucket.tokens.saturating_add(earned);
        if bucket.tokens >= BUCKET_SIZE {
            bucket.tokens = BUCKET_SIZE;
            return true;
        }
        false
    }

    /// Whether a request from `key` at `now` is over its limit (and if not, spends a token).
    pub(crate) fn should_limit(&mut self, key: K, now: Instant) -> bool {
        let period = self.period;
        if let Some(bucket) = self.buckets.get_mut(&key) {
            Self::fill(bucket, now, period);
            if bucket.tokens == 0 {
                return true;
            }
            bucket.tokens -= 1;
            bucket.last = now;
            return false;
        }
        if self.buckets.len() >= self.max_entries {
            self.clean(now);
            if self.buckets.len() >= self.max_entries {
                return true;
            }
        }
        self.buckets.insert(
            key,
            Bucket {
                tokens: BUCKET_SIZE - 1,
                last: now,
            },
        );
        false
    }

    /// Forgets the buckets that are full again at `now`.
    pub(crate) fn clean(&mut self, now: Instant) {
        let period = self.period;
        self.buckets
            .retain(|_, bucket| !Self::fill(bucket, now, period));
    }
}

#[derive(Debug)]
struct State {
    clients: TokenBuckets<Ipv4Addr>,
    last_clean: Option<Instant>,
}

/// The per-IPv4 limiter of one node's `/storage_rpc/v1`.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    state: Mutex<State>,
}

impl Default for RateLimiter {
    fn default() -> Self {
        Self::new()
    }
}

impl RateLimiter {
    /// An empty limiter with the storage server's constants.
    pub(crate) fn new() -> Self {
        Self {
            state: Mutex::new(State {
                clients: TokenBuckets::new(TOKEN_RATE, MAX_CLIENTS),
                last_clean: None,
            }),
        }
    }

    /// Whether a request from `ip` at `now` is limited.
    pub(crate) fn should_rate_limit_client(&self, ip: Ipv4Addr, now: Instant) -> bool {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        // The real server sweeps on a 10 s timer; sweeping lazily on the same schedule
        // gives the same answers without a task per node.
        match state.last_clean {
            None => state.last_clean = Some(now),
            Some(last) if now.saturating_duration_since(last) >= CLEAN_INTERVAL => {
                state.clients.clean(now);
                state.last_clean = Some(now);
            }
            Some(_) => {}
        }
        state.clients.should_limit(ip, now)
    }
}
