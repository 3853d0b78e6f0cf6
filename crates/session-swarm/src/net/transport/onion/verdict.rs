//! What to do with an onion answer, sans-IO: hand it back, retry on another path, or
//! give up, and what to tell the path manager. The rules are the clients' (desktop
//! `onions.ts`, libsession `handle_errors`).

use session_onion::path::Outcome;
use session_onion::{Failure, NodeResponse, ServerResponse};

use crate::error::Error;
use crate::net::transport::api::RpcResponse;

/// The decision about one attempt.
#[derive(Debug)]
pub(crate) enum Verdict<T> {
    /// The destination answered (any status it chose): return it.
    Answer(T, Option<Outcome>),
    /// The path failed: report, then try again on a path chosen afresh.
    Retry(Error, Outcome),
    /// Retrying cannot help (the destination itself is unreachable): report and fail.
    Fail(Error, Option<Outcome>),
}

/// Destination statuses that blame nobody: the request itself was refused.
fn blames_nobody(status: u16) -> bool {
    matches!(status, 400 | 401 | 403 | 404 | 406 | 425)
}

/// Path-level failures, the same for both kinds of destination.
fn path_verdict<T>(failure: Failure, destination: Option<&[u8; 32]>) -> Verdict<T> {
    match failure {
        Failure::NextNodeNotFound { ed25519 } => {
            let outcome = Outcome::NextNodeNotFound { ed25519 };
            if destination == Some(&ed25519) {
                Verdict::Fail(Error::Onion(failure), Some(outcome))
            } else {
                Verdict::Retry(Error::Onion(failure), outcome)
            }
        }
        other => Verdict::Retry(Error::Onion(other), Outcome::PathFailure),
    }
}

/// The verdict on a `decode_node_response` result for a request to snode `destination`.
pub(crate) fn node_verdict(
    decoded: Result<NodeResponse, Failure>,
    destination: &[u8; 32],
) -> Verdict<RpcResponse> {
    let strike = Some(Outcome::NodeFailure {
        ed25519: *destination,
    });
    match decoded {
        Ok(response) => Verdict::Answer(
            RpcResponse {
                status: response.status,
                body: response.body,
            },
            Some(Outcome::Success),
        ),
        Err(Failure::ClockSkew { status, body }) => {
            Verdict::Answer(RpcResponse { status, body }, None)
        }
        // Desktop strikes a node that answers 421 (it then adopts the swarm it names).
        Err(Failure::WrongSwarm { body }) => {
            Verdict::Answer(RpcResponse { status: 421, body }, strike)
        }
        Err(Failure::Status { status, body }) => {
            let outcome = if blames_nobody(status) { None } else { strike };
            Verdict::Answer(RpcResponse { status, body }, outcome)
        }
        Err(failure) => path_verdict(failure, Some(destination)),
    }
}

/// The verdict on a `decode_server_response` result: a server's own statuses blame no node.
pub(crate) fn server_verdict(decoded: Result<ServerResponse, Failure>) -> Verdict<ServerResponse> {
    match decoded {
        Ok(response) => Verdict::Answer(response, Some(Outcome::Success)),
        Err(Failure::ClockSkew { status, body } | Failure::Status { status, body }) => {
            Verdict::Answer(
                ServerResponse {
                    status,
                    body,
                    ..ServerResponse::default()
                },
                None,
            )
        }
        Err(failure) => path_verdict(failure, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_statuses() {
        let dest = [9u8; 32];
        let v = node_verdict(
            Err(Failure::WrongSwarm {
                body: b"{}".to_vec(),
            }),
            &dest,
        );
        assert!(matches!(
            v,
            Verdict::Answer(
                RpcResponse { status: 421, .. },
                Some(Outcome::NodeFailure { .. })
            )
        ));
        let v = node_verdict(
            Err(Failure::Status {
                status: 401,
                body: vec![],
            }),
            &dest,
        );
        assert!(matches!(
            v,
            Verdict::Answer(RpcResponse { status: 401, .. }, None)
        ));
        let v = node_verdict(Err(Failure::HopTimeout), &dest);
        assert!(matches!(v, Verdict::Retry(_, Outcome::PathFailure)));
        let v = node_verdict(Err(Failure::NextNodeNotFound { ed25519: dest }), &dest);
        assert!(matches!(v, Verdict::Fail(..)));
        let v = node_verdict(Err(Failure::NextNodeNotFound { ed25519: [1; 32] }), &dest);
        assert!(matches!(
            v,
            Verdict::Retry(_, Outcome::NextNodeNotFound { .. })
        ));
    }

    #[test]
    fn server_statuses() {
        let v = server_verdict(Err(Failure::Status {
            status: 404,
            body: vec![],
        }));
        assert!(matches!(
            v,
            Verdict::Answer(ServerResponse { status: 404, .. }, None)
        ));
        let v = server_verdict(Err(Failure::DecryptionFailed));
        assert!(matches!(v, Verdict::Retry(_, Outcome::PathFailure)));
    }
}
