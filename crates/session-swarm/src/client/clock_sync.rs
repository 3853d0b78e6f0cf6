//! Recovering from a 406/425: ask the node that refused for its time and remember how far
//! its clock is from ours, so the request can be signed again with a time it accepts.

use std::time::Instant;

use crate::client::engine::SwarmClient;
use crate::error::{Error, Result};
use crate::net::{ServiceNode, local_now_ms};
use crate::rpc::{Call, Info};

impl SwarmClient {
    /// Learns `node`'s clock with an `info` (its answer's `t` also feeds the network
    /// clock, through the transport) before `deadline`.
    ///
    /// # Errors
    ///
    /// The transport's error, or the node's status as [`Error::Status`].
    pub(crate) async fn resync_clock(&self, node: &ServiceNode, deadline: Instant) -> Result<i64> {
        let info = Info::new();
        let sent_at = local_now_ms();
        let answer = self
            .send_once(
                node,
                &info.request().to_bytes(),
                self.attempt_timeout(deadline),
            )
            .await?;
        let received_at = local_now_ms();
        let result = info
            .parse_http(answer.status, &answer.body)?
            .into_result()?;
        let node_time = i64::try_from(result.meta.t.unwrap_or(result.timestamp))
            .map_err(|_| Error::Malformed("node time out of range".to_owned()))?;
        // The node read its clock about halfway through the round trip.
        let midpoint = sent_at + (received_at - sent_at) / 2;
        let offset = node_time - midpoint;
        tracing::debug!(offset_ms = offset, "node clock learned");
        self.state().node_offsets.insert(node.ed25519, offset);
        Ok(offset)
    }
}
