//! Why a request failed, in the terms the path logic acts on.

use crate::error::Error;

/// A request that did not succeed, with what the path and swarm logic needs to react.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Failure {
    /// A hop did not know the next node (`502 Next node not found: <ed25519 hex>`): strike that
    /// node out and repair the path.
    #[error("next node not found: {}", hex::encode(ed25519))]
    NextNodeNotFound {
        /// The node the hop could not reach.
        ed25519: [u8; 32],
    },
    /// A hop timed out waiting for the next one (`504 Request time out`).
    #[error("a hop timed out")]
    HopTimeout,
    /// Another plain-text error from a hop (for instance `400 Invalid ciphertext` or `503
    /// Snode not ready`).
    #[error("path error {status}")]
    Path {
        /// The guard's HTTP status.
        status: u16,
        /// The plain-text body.
        body: String,
    },
    /// The answer opened under neither enc type: retry once, then blame the path.
    #[error("the response could not be decrypted")]
    DecryptionFailed,
    /// The answer decrypted but is not what a destination sends.
    #[error("malformed response: {0}")]
    Malformed(Error),
    /// The destination thinks our clock is off: 406 from a node, 425 from a server.
    #[error("clock out of sync (status {status})")]
    ClockSkew {
        /// 406 or 425.
        status: u16,
        /// The destination's body (a node's carries its time).
        body: Vec<u8>,
    },
    /// The node does not hold this account (421); `body` is the swarm it points to.
    #[error("wrong swarm (421)")]
    WrongSwarm {
        /// The swarm JSON (`snodes`, `swarm`, `t`, `hf`).
        body: Vec<u8>,
    },
    /// Any other status outside 2xx from the destination.
    #[error("destination returned status {status}")]
    Status {
        /// The status.
        status: u16,
        /// The body.
        body: Vec<u8>,
    },
}

impl Failure {
    /// The failure a destination's non-2xx `status` means.
    pub fn from_destination(status: u16, body: Vec<u8>) -> Self {
        match status {
            406 | 425 => Self::ClockSkew { status, body },
            421 => Self::WrongSwarm { body },
            _ => Self::Status { status, body },
        }
    }

    /// The status code involved, if any.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::NextNodeNotFound { .. } => Some(502),
            Self::HopTimeout => Some(504),
            Self::Path { status, .. }
            | Self::ClockSkew { status, .. }
            | Self::Status { status, .. } => Some(*status),
            Self::WrongSwarm { .. } => Some(421),
            Self::DecryptionFailed | Self::Malformed(_) => None,
        }
    }
}

/// What a non-200 answer from the guard means: hops report errors in plain text, as
/// `Next node not found: <hex>` (after a `502 Bad Gateway\n\n` prefix in some versions),
/// `Request time out`, or a status line and message.
pub fn path_failure(http_status: u16, body: &[u8]) -> Failure {
    let text = String::from_utf8_lossy(body);
    if let Some(ed25519) = next_node_not_found(&text) {
        return Failure::NextNodeNotFound { ed25519 };
    }
    if http_status == 504 || text.starts_with("504 Gateway Timeout") {
        return Failure::HopTimeout;
    }
    Failure::Path {
        status: http_status,
        body: text.into_owned(),
    }
}

fn next_node_not_found(text: &str) -> Option<[u8; 32]> {
    const MARKER: &str = "Next node not found: ";
    let start = text.find(MARKER)? + MARKER.len();
    let hex_key = text.get(start..start + 64)?;
    let mut key = [0u8; 32];
    hex::decode_to_slice(hex_key, &mut key).ok()?;
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_plain_text_path_errors() {
        let hex_key = "ab".repeat(32);
        for body in [
            format!("Next node not found: {hex_key}"),
            format!("502 Bad Gateway\n\nNext node not found: {hex_key}"),
        ] {
            assert_eq!(
                path_failure(502, body.as_bytes()),
                Failure::NextNodeNotFound {
                    ed25519: [0xab; 32]
                }
            );
        }
        assert_eq!(path_failure(504, b"Request time out"), Failure::HopTimeout);
        assert_eq!(
            path_failure(400, b"Invalid ciphertext"),
            Failure::Path {
                status: 400,
                body: "Invalid ciphertext".into()
            }
        );
        assert_eq!(
            path_failure(502, b"Next node not found: zz"),
            Failure::Path {
                status: 502,
                body: "Next node not found: zz".into()
            }
        );
    }
}
