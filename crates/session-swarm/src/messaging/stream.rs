//! The stream of received messages: polls, hands out each message once, and records it as
//! seen only when the application asks for the next one.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};

use futures_core::Stream;

use crate::messaging::context::Context;
use crate::messaging::error::MessagingError;
use crate::messaging::poll::poll_once;
use crate::messaging::received::IncomingMessage;
use crate::store::WriteBatch;

/// Polls between prunes of expired seen hashes.
const PRUNE_EVERY: u32 = 100;

type Step = (Option<Result<IncomingMessage, MessagingError>>, Cursor);

/// Where the stream stands between two items.
struct Cursor {
    ctx: Arc<Context>,
    /// Messages of the current poll not handed out yet.
    ready: VecDeque<IncomingMessage>,
    /// The message handed out last, to record as seen before the next one.
    handed_out: Option<(String, i64)>,
    /// The current poll's last hashes, recorded once all its messages are handed out.
    pending: Option<WriteBatch>,
    /// No poll yet: the first one starts at once.
    first: bool,
    polls: u32,
}

/// Received messages, in sending order per sender, each once (across restarts too, with a
/// persistent store). Made by [`Messenger::messages`](super::Messenger::messages).
///
/// A message counts as delivered once the application asks for the next one: if the
/// process dies while handling a message, that message comes again after the restart
/// (at-least-once for the message in hand, exactly-once for the others). Network failures
/// are retried at the next poll and not yielded; store failures are yielded, and the
/// stream goes on polling after them.
pub struct MessageStream {
    cursor: Option<Cursor>,
    step: Option<Pin<Box<dyn Future<Output = Step> + Send>>>,
}

impl std::fmt::Debug for MessageStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MessageStream")
            .field("polling", &self.step.is_some())
            .finish_non_exhaustive()
    }
}

impl MessageStream {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self {
            cursor: Some(Cursor {
                ctx,
                ready: VecDeque::new(),
                handed_out: None,
                pending: None,
                first: true,
                polls: 0,
            }),
            step: None,
        }
    }
}

impl MessageStream {
    /// The next message: [`Stream::poll_next`] as an `async fn`, for callers without a
    /// stream-combinator crate. Never `None`: the stream polls for as long as it lives.
    pub async fn next(&mut self) -> Option<Result<IncomingMessage, MessagingError>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Records the message handed out last as delivered now, instead of when the next one
    /// is asked for: call it after handling a message before dropping the stream, or the
    /// message comes again from the next stream.
    ///
    /// # Errors
    ///
    /// The store's error; the message stays unrecorded, and the next call tries again.
    pub async fn commit(&mut self) -> Result<(), MessagingError> {
        // A poll in flight holds the cursor; it records the handed-out message itself
        // before going on, so there is nothing to do here then.
        let Some(cursor) = self.cursor.as_mut() else {
            return Ok(());
        };
        let Some((hash, expiry)) = cursor.handed_out.take() else {
            return Ok(());
        };
        let account = cursor.ctx.account;
        let key = hash.clone();
        let marked = cursor
            .ctx
            .with_store(move |store| store.mark_seen_if_new(&account, &key, expiry))
            .await;
        if marked.is_err() {
            cursor.handed_out = Some((hash, expiry));
        }
        marked.map(drop)
    }
}

impl Stream for MessageStream {
    type Item = Result<IncomingMessage, MessagingError>;

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
                Poll::Ready(item)
            }
        }
    }
}

/// Runs until the next item: records what was handed out, then hands out the next ready
/// message, or commits the poll and polls again.
async fn advance(mut cursor: Cursor) -> Step {
    loop {
        if let Some((hash, expiry)) = cursor.handed_out.take() {
            let account = cursor.ctx.account;
            let key = hash.clone();
            let marked = cursor
                .ctx
                .with_store(move |store| store.mark_seen_if_new(&account, &key, expiry))
                .await;
            if let Err(error) = marked {
                // Kept, to be recorded on the next call: skipping it would deliver the
                // message again after the next poll.
                cursor.handed_out = Some((hash, expiry));
                return (Some(Err(error)), cursor);
            }
        }
        if let Some(message) = cursor.ready.pop_front() {
            let expiry = i64::try_from(message.expires_at_ms).unwrap_or(i64::MAX);
            cursor.handed_out = Some((message.hash.clone(), expiry));
            return (Some(Ok(message)), cursor);
        }
        if let Some(batch) = cursor.pending.take()
            && let Err(error) = commit(&cursor, &batch).await
        {
            cursor.pending = Some(batch);
            return (Some(Err(error)), cursor);
        }
        if !cursor.first {
            tokio::time::sleep(cursor.ctx.options.poll_interval).await;
        }
        cursor.first = false;
        push_configs(&cursor.ctx).await;
        match poll_once(&cursor.ctx).await {
            Ok(outcome) => {
                cursor.polls = cursor.polls.wrapping_add(1);
                cursor.ready = outcome.messages.into();
                cursor.pending = Some(outcome.commit);
            }
            Err(MessagingError::Swarm(error)) => {
                tracing::debug!(%error, "poll failed; trying again at the next interval");
            }
            Err(error) => return (Some(Err(error)), cursor),
        }
    }
}

/// Pushes config changes (local edits, merge conflicts) before polling, as the clients'
/// config sync job does; a failure is retried before the next poll.
async fn push_configs(ctx: &Context) {
    match ctx.configs.needs_push().await {
        Ok(false) => {}
        Ok(true) => {
            if let Err(error) = ctx.configs.push().await {
                tracing::debug!(%error, "config push failed; trying again at the next poll");
            }
        }
        Err(error) => tracing::debug!(%error, "configs unavailable"),
    }
}

/// Records a delivered poll's last hashes and unreadable hashes; now and then drops seen
/// hashes that expired.
async fn commit(cursor: &Cursor, batch: &WriteBatch) -> Result<(), MessagingError> {
    let batch = batch.clone();
    let prune = cursor.polls % PRUNE_EVERY == PRUNE_EVERY - 1;
    let now_ms = i64::try_from(cursor.ctx.client.now_ms()).unwrap_or(i64::MAX);
    cursor
        .ctx
        .with_store(move |store| {
            if !batch.is_empty() {
                store.apply(&batch)?;
            }
            if prune {
                store.prune_seen(now_ms)?;
            }
            Ok(())
        })
        .await
}
