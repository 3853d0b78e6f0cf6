//! What to do with one attempt's outcome, sans-IO: hand the answer back, follow a 421,
//! resync the clock, retry elsewhere (blaming the node or not), or give up. The rules are
//! the official clients' (desktop `onions.ts` / `sendSingleMessage`, libsession
//! `handle_errors`).

use std::time::Duration;

use crate::error::Error;
use crate::rpc::{Failure, FailureKind, Reply, SwarmResult};

/// What the attempt says about the node that handled it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Penalty {
    /// Not its fault (rate limit, no path on our side).
    None,
    /// One strike; at the threshold it leaves the pool and the swarms.
    Strike,
    /// This node is gone from the network (`Next node not found`): drop it at once.
    Drop([u8; 32]),
    /// The onion layer has no path: refresh the pool before the next attempt.
    RefreshPool,
}

/// The decision about one attempt.
#[derive(Debug)]
pub(crate) enum Step<T> {
    /// The node answered as hoped.
    Done(T),
    /// 421: the account lives in this swarm now; adopt it and retry there.
    WrongSwarm(SwarmResult),
    /// 406/425: our clock is too far from the node's; learn its time and rebuild.
    ResyncClock(Failure),
    /// Another node may do better.
    Retry(Error, Penalty),
    /// Retrying cannot help: the request itself was refused or cannot be built.
    Fail(Error),
}

/// The error a failure becomes when it reaches the caller.
pub(crate) fn status_error(failure: Failure) -> Error {
    Error::Status {
        status: failure.status,
        body: failure.text,
    }
}

/// Classifies a sent-and-parsed attempt.
pub(crate) fn classify<T>(outcome: Result<Reply<T>, Error>) -> Step<T> {
    match outcome {
        Ok(Reply::Ok(value)) => Step::Done(value),
        Ok(Reply::WrongSwarm(swarm)) => Step::WrongSwarm(swarm),
        Ok(Reply::Failed(failure)) => classify_failure(failure),
        Err(error) => classify_error(error),
    }
}

/// A status the node chose.
fn classify_failure<T>(failure: Failure) -> Step<T> {
    match failure.kind() {
        FailureKind::ClockOutOfSync => Step::ResyncClock(failure),
        // The request is refused as such: the same bytes get the same answer anywhere.
        FailureKind::BadRequest
        | FailureKind::Unauthorized
        | FailureKind::Forbidden
        | FailureKind::NotFound
        | FailureKind::TooLarge => Step::Fail(status_error(failure)),
        // Not this node's fault, but another member may have room.
        FailureKind::RateLimited => Step::Retry(status_error(failure), Penalty::None),
        // A 421 without a usable swarm, 5xx and the rest: desktop strikes and retries.
        _ => Step::Retry(status_error(failure), Penalty::Strike),
    }
}

/// An error on the way (transport, path, parse) or from the caller's acceptance check.
fn classify_error<T>(error: Error) -> Step<T> {
    match error {
        Error::Onion(session_onion::Failure::NextNodeNotFound { ed25519 }) => {
            Step::Retry(error, Penalty::Drop(ed25519))
        }
        Error::NoPath => Step::Retry(error, Penalty::RefreshPool),
        // Over onions these come after the transport tried other paths: the destination
        // is what they had in common, so it takes the strike (as desktop strikes a snode
        // destination for any failure). A healthy member struck by bad luck stays
        // reachable: fetched swarms are used whole.
        Error::Transport(_)
        | Error::Timeout { .. }
        | Error::Onion(_)
        | Error::Malformed(_)
        | Error::BadMemberSignature { .. }
        | Error::NotStored { .. }
        | Error::Status { .. } => Step::Retry(error, Penalty::Strike),
        other => Step::Fail(other),
    }
}

/// The pause before retry number `failures` (1-based): `base · 2^(failures−1)`, at most
/// `max`.
pub(crate) fn backoff(failures: u32, base: Duration, max: Duration) -> Duration {
    let factor = 1u32 << failures.saturating_sub(1).min(16);
    base.saturating_mul(factor).min(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(status: u16) -> Result<Reply<u8>, Error> {
        Ok(Reply::Failed(Failure {
            status,
            json: None,
            text: String::new(),
        }))
    }

    #[test]
    fn statuses() {
        assert!(matches!(classify(Ok(Reply::Ok(1u8))), Step::Done(1)));
        assert!(matches!(classify(failed(406)), Step::ResyncClock(_)));
        assert!(matches!(classify(failed(425)), Step::ResyncClock(_)));
        for status in [400, 401, 403, 404, 413] {
            assert!(
                matches!(classify(failed(status)), Step::Fail(_)),
                "{status}"
            );
        }
        assert!(matches!(
            classify(failed(429)),
            Step::Retry(_, Penalty::None)
        ));
        for status in [421, 500, 502, 503, 504] {
            assert!(
                matches!(classify(failed(status)), Step::Retry(_, Penalty::Strike)),
                "{status}"
            );
        }
    }

    #[test]
    fn errors() {
        let gone = Error::Onion(session_onion::Failure::NextNodeNotFound { ed25519: [4; 32] });
        assert!(matches!(
            classify::<u8>(Err(gone)),
            Step::Retry(_, Penalty::Drop([4, ..]))
        ));
        assert!(matches!(
            classify::<u8>(Err(Error::Timeout { limit_ms: 1 })),
            Step::Retry(_, Penalty::Strike)
        ));
        let hop = || Error::Onion(session_onion::Failure::HopTimeout);
        assert!(matches!(
            classify::<u8>(Err(hop())),
            Step::Retry(_, Penalty::Strike)
        ));
        assert!(matches!(
            classify::<u8>(Err(Error::Transport(String::new()))),
            Step::Retry(_, Penalty::Strike)
        ));
        assert!(matches!(
            classify::<u8>(Err(Error::NoPath)),
            Step::Retry(_, Penalty::RefreshPool)
        ));
        assert!(matches!(
            classify::<u8>(Err(Error::InvalidRequest(String::new()))),
            Step::Fail(_)
        ));
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let base = Duration::from_millis(100);
        let max = Duration::from_secs(1);
        assert_eq!(backoff(1, base, max), base);
        assert_eq!(backoff(2, base, max), Duration::from_millis(200));
        assert_eq!(backoff(3, base, max), Duration::from_millis(400));
        assert_eq!(backoff(9, base, max), max);
        assert_eq!(backoff(u32::MAX, base, max), max);
    }
}
