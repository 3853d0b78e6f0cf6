//! Waiting on several futures at once without spawning (they borrow the network), so that
//! swarm peers and batch subrequests wait out their timeouts together rather than in turn.

use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

/// A boxed future borrowing for `'a`.
pub(crate) type BoxedFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Polls every future until all are done; the outputs come back in the input order.
pub(crate) async fn join_all<T>(futures: Vec<BoxedFuture<'_, T>>) -> Vec<T> {
    let mut pending: Vec<Option<BoxedFuture<'_, T>>> = futures.into_iter().map(Some).collect();
    let mut done: Vec<Option<T>> = pending.iter().map(|_| None).collect();
    std::future::poll_fn(|context| {
        let mut all_ready = true;
        for (slot, output) in pending.iter_mut().zip(done.iter_mut()) {
            if let Some(future) = slot {
                match future.as_mut().poll(context) {
                    Poll::Ready(value) => {
                        *output = Some(value);
                        *slot = None;
                    }
                    Poll::Pending => all_ready = false,
                }
            }
        }
        if all_ready {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    done.into_iter().flatten().collect()
}
