//! The transport interface: one storage RPC to one node, and its answer.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::error::Result;
use crate::net::service_node::ServiceNode;

/// A boxed, sendable future: keeps [`Transport`] usable as `dyn Transport`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A node's answer to a storage RPC: the RPC status (HTTP status for direct requests, the
/// destination's status inside an onion) and the body, usually JSON.
///
/// Every status the node itself chose comes back here, 421 and 406 included, for the
/// caller to act on; errors are for answers that never came from the node (connection,
/// TLS, path failures, deadlines).
#[derive(Clone, PartialEq, Eq)]
pub struct RpcResponse {
    /// The RPC status.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
}

impl RpcResponse {
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

// The body may hold messages or keys' signatures: only its size is shown.
impl std::fmt::Debug for RpcResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RpcResponse")
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Sends storage RPCs (`{"method": .., "params": {..}}` JSON bodies) to service nodes.
pub trait Transport: Send + Sync {
    /// Sends `body` to `node` and waits at most `timeout` (retries included) for its answer.
    fn send<'a>(
        &'a self,
        node: &'a ServiceNode,
        body: &'a [u8],
        timeout: Duration,
    ) -> BoxFuture<'a, Result<RpcResponse>>;
}
