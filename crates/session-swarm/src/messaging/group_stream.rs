//! The stream of group events: every joined group polled each interval, plus what arrives
//! 1:1 (invites, promotions), in the order it happened.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};

use futures_core::Stream;
use tokio::sync::broadcast::{self, error::TryRecvError};

use crate::groups::{GroupError, GroupEvent};
use crate::messaging::context::Context;

type Step = (Result<GroupEvent, GroupError>, Cursor);

struct Cursor {
    ctx: Arc<Context>,
    events: broadcast::Receiver<GroupEvent>,
    first: bool,
}

/// Group events, each once per stream. Made by
/// [`Groups::events`](super::Groups::events). Polling failures of the network are retried
/// at the next interval and not yielded; store failures are yielded.
pub struct GroupStream {
    cursor: Option<Cursor>,
    step: Option<Pin<Box<dyn Future<Output = Step> + Send>>>,
}

impl std::fmt::Debug for GroupStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupStream")
            .field("polling", &self.step.is_some())
            .finish_non_exhaustive()
    }
}

impl GroupStream {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        let events = ctx.groups.subscribe();
        Self {
            cursor: Some(Cursor {
                ctx,
                events,
                first: true,
            }),
            step: None,
        }
    }

    /// The next event: [`Stream::poll_next`] as an `async fn`. Never `None`: the stream
    /// polls for as long as it lives.
    pub async fn next(&mut self) -> Option<Result<GroupEvent, GroupError>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl Stream for GroupStream {
    type Item = Result<GroupEvent, GroupError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Option<Self::Item>> {
        if self.step.is_none() {
            let Some(cursor) = self.cursor.take() else {
                return Poll::Ready(None);
            };
            self.step = Some(Box::pin(advance(cursor)));
        }
        let Some(step) = self.step.as_mut() else {
            return Poll::Ready(None);
        };
        match step.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready((item, cursor)) => {
                self.step = None;
                self.cursor = Some(cursor);
                Poll::Ready(Some(item))
            }
        }
    }
}

/// Hands out what the driver announced; when nothing is waiting, polls the groups (whose
/// events the driver announces), then waits for the interval or an event from elsewhere.
async fn advance(mut cursor: Cursor) -> Step {
    loop {
        match cursor.events.try_recv() {
            Ok(event) => return (Ok(event), cursor),
            Err(TryRecvError::Lagged(skipped)) => {
                tracing::debug!(skipped, "group events dropped: the stream fell behind");
                continue;
            }
            Err(TryRecvError::Empty | TryRecvError::Closed) => {}
        }
        if !cursor.first {
            let interval = cursor.ctx.options.poll_interval;
            tokio::select! {
                () = tokio::time::sleep(interval) => {}
                received = cursor.events.recv() => {
                    if let Ok(event) = received {
                        return (Ok(event), cursor);
                    }
                }
            }
        }
        cursor.first = false;
        match cursor.ctx.groups.poll_all().await {
            Ok(_) => {}
            Err(GroupError::Swarm(error)) => {
                tracing::debug!(%error, "group poll failed; trying again at the next interval");
            }
            Err(error) => return (Err(error), cursor),
        }
    }
}
