//! [`Poller`]: one `/batch` per interval per server, as the apps poll, turned into a
//! stream of [`PollEvent`]s, with capped exponential backoff on failures.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::time::Instant;

use crate::client::community::CommunityClient;
use crate::error::{Error, Result};
use crate::poll::{PollEvent, PollMachine, PollState};

/// How a poller paces itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PollOptions {
    /// Between polls (10 s, as the apps).
    pub interval: Duration,
    /// The first delay after a failure, doubled after each further one.
    pub backoff_base: Duration,
    /// The longest delay after failures.
    pub backoff_max: Duration,
}

impl Default for PollOptions {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(10),
            backoff_base: Duration::from_secs(2),
            backoff_max: Duration::from_secs(5 * 60),
        }
    }
}

impl PollOptions {
    /// Another interval.
    #[must_use]
    pub fn with_interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// Other backoff bounds.
    #[must_use]
    pub fn with_backoff(mut self, base: Duration, max: Duration) -> Self {
        self.backoff_base = base;
        self.backoff_max = max;
        self
    }

    /// The delay after `failures` consecutive failures.
    pub fn backoff(&self, failures: u32) -> Duration {
        let factor = 1u32 << failures.saturating_sub(1).min(16);
        self.backoff_base
            .saturating_mul(factor)
            .min(self.backoff_max)
    }
}

/// What a poller carries between calls.
struct Core {
    client: CommunityClient,
    machine: PollMachine,
    options: PollOptions,
    queue: VecDeque<PollEvent>,
    next_poll: Instant,
    failures: u32,
    /// The state after the events in `queue`; published once they are all handed out,
    /// so a state saved mid-poll redelivers rather than loses.
    pending_state: Option<PollState>,
    published: Arc<Mutex<PollState>>,
}

type Pending = Pin<Box<dyn Future<Output = (Box<Core>, Result<PollEvent>)> + Send>>;

/// Polls one server's rooms (and, when blinded, the inbox and outbox). Use
/// [`Poller::next`] or the [`futures_core::Stream`] implementation; save
/// [`Poller::state`] to resume later.
pub struct Poller {
    core: Option<Box<Core>>,
    pending: Option<Pending>,
    published: Arc<Mutex<PollState>>,
}

impl core::fmt::Debug for Poller {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Poller")
            .field("state", &self.state())
            .finish_non_exhaustive()
    }
}

impl CommunityClient {
    /// A poller of `rooms`, resuming from `state`.
    pub fn poller(&self, rooms: &[&str], state: PollState, options: PollOptions) -> Poller {
        Poller::new(
            self.clone(),
            rooms.iter().map(|r| (*r).to_owned()).collect(),
            state,
            options,
        )
    }
}

impl Poller {
    fn new(
        client: CommunityClient,
        rooms: Vec<String>,
        state: PollState,
        options: PollOptions,
    ) -> Self {
        let published = Arc::new(Mutex::new(state.clone()));
        Self {
            core: Some(Box::new(Core {
                client,
                machine: PollMachine::new(rooms, state),
                options,
                queue: VecDeque::new(),
                next_poll: Instant::now(),
                failures: 0,
                pending_state: None,
                published: Arc::clone(&published),
            })),
            pending: None,
            published,
        }
    }

    /// The state covering every event handed out so far: save it to resume.
    pub fn state(&self) -> PollState {
        self.published
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The next event, polling (after the interval, or the backoff after failures) as
    /// needed. An error is one failed poll: call again to keep polling.
    ///
    /// # Errors
    ///
    /// The failed poll's error.
    pub async fn next(&mut self) -> Result<PollEvent> {
        if let Some(pending) = self.pending.take() {
            let (core, result) = pending.await;
            self.core = Some(core);
            return result;
        }
        match self.core.as_mut() {
            Some(core) => core.next().await,
            None => Err(Error::InvalidRequest("poller is gone".into())),
        }
    }
}

impl futures_core::Stream for Poller {
    type Item = Result<PollEvent>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.pending.is_none() {
            let Some(mut core) = this.core.take() else {
                return Poll::Ready(None);
            };
            this.pending = Some(Box::pin(async move {
                let result = core.next().await;
                (core, result)
            }));
        }
        let Some(pending) = this.pending.as_mut() else {
            return Poll::Ready(None);
        };
        match pending.as_mut().poll(cx) {
            Poll::Ready((core, result)) => {
                this.pending = None;
                this.core = Some(core);
                Poll::Ready(Some(result))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl Core {
    async fn next(&mut self) -> Result<PollEvent> {
        loop {
            if let Some(event) = self.queue.pop_front() {
                if self.queue.is_empty() {
                    self.publish();
                }
                return Ok(event);
            }
            tokio::time::sleep_until(self.next_poll).await;
            match self.poll_once().await {
                Ok(()) => self.failures = 0,
                Err(error) => {
                    self.failures = self.failures.saturating_add(1);
                    let delay = self.options.backoff(self.failures);
                    tracing::debug!(failures = self.failures, ?delay, "poll failed: {error}");
                    self.next_poll = Instant::now() + delay;
                    return Err(error);
                }
            }
        }
    }

    fn publish(&mut self) {
        if let Some(state) = self.pending_state.take() {
            *self
                .published
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = state;
        }
    }

    /// One `/batch`; its events go to the queue.
    async fn poll_once(&mut self) -> Result<()> {
        let key = self.client.auth_key().await?;
        let (requests, plan) = self.machine.plan(key.mode().is_blinded())?;
        let answers = self.client.batch(requests).await?;
        let outcome = self.machine.ingest(
            &plan,
            &answers,
            self.client.keypair(),
            self.client.server().pubkey(),
        )?;
        if let Some(capabilities) = outcome.capabilities {
            self.client.learn_capabilities(capabilities);
        }
        self.next_poll = Instant::now()
            + if outcome.more {
                Duration::ZERO
            } else {
                self.options.interval
            };
        self.queue.extend(outcome.events);
        self.pending_state = Some(outcome.state);
        if self.queue.is_empty() {
            self.publish();
            // Nothing came and something failed: report it (with backoff).
            if let Some((what, error)) = outcome.errors.into_iter().next() {
                tracing::debug!("poll of {what} failed");
                return Err(error);
            }
        } else {
            for (what, error) in &outcome.errors {
                tracing::debug!("poll of {what} failed: {error}");
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        let options =
            PollOptions::default().with_backoff(Duration::from_secs(1), Duration::from_secs(10));
        let delays: Vec<_> = (1..=6).map(|n| options.backoff(n).as_secs()).collect();
        assert_eq!(delays, [1, 2, 4, 8, 10, 10]);
        assert_eq!(options.backoff(u32::MAX), Duration::from_secs(10));
    }
}
