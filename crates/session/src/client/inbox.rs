//! The stream of received messages, with an `async fn next` so that callers need no
//! stream-combinator crate.

use std::future::poll_fn;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use session_swarm::messaging::{IncomingMessage, MessageStream};

use crate::error::{Error, Result};

/// Received messages, each once, in sending order per sender. Made by
/// [`Client::messages`](crate::Client::messages); a [`Stream`] as well.
///
/// A message counts as delivered when the next one is asked for (see
/// [`MessageStream`]): after a restart on a persistent store, the message in hand when the
/// process stopped comes again, none of the others do.
#[derive(Debug)]
pub struct Inbox {
    stream: MessageStream,
}

impl Inbox {
    pub(crate) fn new(stream: MessageStream) -> Self {
        Self { stream }
    }

    /// Waits for the next message. Network failures are retried at the next poll and
    /// not returned; `None` never comes from a live client.
    ///
    /// # Errors
    ///
    /// [`Error::Store`] when the store fails; the inbox goes on polling after it.
    pub async fn next(&mut self) -> Option<Result<IncomingMessage>> {
        poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The messenger's own stream.
    pub fn into_stream(self) -> MessageStream {
        self.stream
    }
}

impl Stream for Inbox {
    type Item = Result<IncomingMessage>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.stream)
            .poll_next(cx)
            .map(|item| item.map(|result| result.map_err(Error::from)))
    }
}
