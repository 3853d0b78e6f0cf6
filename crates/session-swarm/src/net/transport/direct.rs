//! Direct HTTPS: `POST https://ip:port/storage_rpc/v1`. Reveals our address to the node,
//! so it is for bootstrap, guard tests and pool refreshes; messages go over onions.

use std::sync::Arc;
use std::time::Duration;

use tracing::Instrument;

use crate::error::Result;
use crate::net::clock::SharedClock;
use crate::net::http::{request_error, snode_client};
use crate::net::service_node::ServiceNode;
use crate::net::transport::api::{BoxFuture, RpcResponse, Transport};

/// Storage RPCs straight to the node over HTTPS.
#[derive(Clone, Debug)]
pub struct DirectTransport {
    /// The snode client (any certificate).
    client: reqwest::Client,
    /// Updated with every answer's `t`, if set.
    clock: Option<Arc<SharedClock>>,
}

impl DirectTransport {
    /// A transport with the service-node TLS settings.
    pub fn new() -> Result<Self> {
        Ok(Self {
            client: snode_client()?,
            clock: None,
        })
    }

    /// Feeds every answer's `t` to `clock`.
    #[must_use]
    pub fn with_clock(mut self, clock: Arc<SharedClock>) -> Self {
        self.clock = Some(clock);
        self
    }

    /// POSTs `body` to `url` (a full URL) and reads the answer, within `timeout`.
    pub(crate) async fn post(
        client: &reqwest::Client,
        url: &str,
        content_type: &str,
        body: Vec<u8>,
        timeout: Duration,
    ) -> Result<RpcResponse> {
        let response = client
            .post(url)
            .header("Content-Type", content_type)
            .timeout(timeout)
            .body(body)
            .send()
            .await
            .map_err(|e| request_error(&e, timeout))?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|e| request_error(&e, timeout))?;
        Ok(RpcResponse {
            status,
            body: body.to_vec(),
        })
    }
}

impl Transport for DirectTransport {
    fn send<'a>(
        &'a self,
        node: &'a ServiceNode,
        body: &'a [u8],
        timeout: Duration,
    ) -> BoxFuture<'a, Result<RpcResponse>> {
        let span = tracing::debug_span!(
            "direct_rpc",
            node = %hex::encode(&node.ed25519[..4]),
            timeout_ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX),
        );
        Box::pin(
            async move {
                let url = format!("{}/storage_rpc/v1", node.url());
                let answer = Self::post(
                    &self.client,
                    &url,
                    "application/json",
                    body.to_vec(),
                    timeout,
                )
                .await;
                match &answer {
                    Ok(response) => {
                        tracing::debug!(status = response.status, "answered");
                        if let Some(clock) = &self.clock {
                            clock.observe(&response.body);
                        }
                    }
                    Err(error) => tracing::debug!(%error, "failed"),
                }
                answer
            }
            .instrument(span),
        )
    }
}
