//! What happened to a request sent over a path, as the I/O layer reports it.

/// The result of one request over a path, for
/// [`PathManager::report`](super::PathManager::report).
///
/// Map responses as the clients do (desktop `onions.ts`, libsession `handle_errors`):
/// statuses that blame nobody (400, 404, 406, 425, a server destination's 500/504 or
/// timeout) are not reported at all; a non-200 from a snode destination is a
/// [`NodeFailure`](Self::NodeFailure) for that snode; `Next node not found: <hex>` is
/// [`NextNodeNotFound`](Self::NextNodeNotFound); any other failure on the path is a
/// [`PathFailure`](Self::PathFailure).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// The request got through. Changes nothing: like the clients, the manager keeps
    /// strikes until the next pool refresh, so a flaky path still reaches its threshold.
    Success,
    /// The path failed without naming a node: one strike on the path.
    PathFailure,
    /// The request timed out on the path: counted as a [`PathFailure`](Self::PathFailure).
    Timeout,
    /// A hop could not reach the node with this key. If the node is in the path it is
    /// struck out at once and replaced (or the path dropped if it is the guard or no
    /// replacement exists); otherwise the node (typically the destination) is struck out
    /// and the path is not blamed, as desktop does.
    NextNodeNotFound {
        /// The unreachable node's Ed25519 key.
        ed25519: [u8; 32],
    },
    /// One strike on the node with this key, usually the snode destination.
    NodeFailure {
        /// The failing node's Ed25519 key.
        ed25519: [u8; 32],
    },
}

impl Outcome {
    /// Recognises a relay's `Next node not found: <ed25519 hex>` error body, with or without
    /// the `502 Bad Gateway\n\n` prefix some relays add (the two forms libsession checks).
    pub fn from_error_body(body: &str) -> Option<Self> {
        let body = body.strip_prefix("502 Bad Gateway\n\n").unwrap_or(body);
        let key = body.strip_prefix("Next node not found: ")?.trim_end();
        let mut ed25519 = [0; 32];
        hex::decode_to_slice(key, &mut ed25519).ok()?;
        Some(Self::NextNodeNotFound { ed25519 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_node_not_found_bodies() {
        let hex = "ab".repeat(32);
        let want = Some(Outcome::NextNodeNotFound {
            ed25519: [0xab; 32],
        });
        assert_eq!(
            Outcome::from_error_body(&format!("Next node not found: {hex}")),
            want
        );
        assert_eq!(
            Outcome::from_error_body(&format!("502 Bad Gateway\n\nNext node not found: {hex}\n")),
            want
        );
        assert_eq!(Outcome::from_error_body("Next node not found: abcd"), None);
        assert_eq!(Outcome::from_error_body("Oxen Server error"), None);
    }
}
