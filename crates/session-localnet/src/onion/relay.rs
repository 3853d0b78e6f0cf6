//! Passing a layer on to the next node of the path.
//!
//! The real nodes send it over OxenMQ (`sn.onion_request`, 30 s timeout) and answer 504
//! `Request time out` when that request fails, whether the next node timed out or could
//! not be reached at all. Here it goes to the next node's `/onion_req/v2` over HTTPS with
//! the hop count in the routing JSON; a connection that fails or closes without an answer
//! is that failed request, and is answered 504 at once rather than after the timeout.

use bytes::Bytes;
use hyper::Response;

use super::entry::relay_body;
use super::status::relayed_status;
use crate::http::{Clients, text_reply};
use crate::network::Network;
use session_onion::EncType;

/// What the relay needs to know about the layer it forwards.
#[derive(Debug)]
pub(crate) struct RelayRequest<'a> {
    /// The next node's Ed25519 key.
    pub(crate) destination: [u8; 32],
    /// The next layer's ephemeral key.
    pub(crate) ephemeral_key: [u8; 32],
    /// The next layer's encryption.
    pub(crate) enc_type: EncType,
    /// The next layer.
    pub(crate) ciphertext: &'a [u8],
    /// Hops taken up to this node.
    pub(crate) hop_no: i64,
}

/// Forwards the layer and returns the next node's answer with its status mapped.
pub(crate) async fn relay(
    network: &Network,
    clients: &Clients,
    request: RelayRequest<'_>,
) -> Response<Bytes> {
    let Some(next) = network.node_by_ed25519(&request.destination) else {
        return text_reply(
            502,
            format!("Next node not found: {}", hex::encode(request.destination)),
        );
    };
    let Some(body) = relay_body(
        request.ciphertext,
        &request.ephemeral_key,
        request.enc_type,
        request.hop_no.saturating_add(1),
    ) else {
        // Only a layer past the 4 GiB framing limit gets here; the body limit rules it out.
        return text_reply(500, "Invalid response from snode");
    };
    let url = format!("https://127.0.0.1:{}/onion_req/v2", next.https_port());
    let sent = clients
        .relay()
        .post(url)
        .timeout(network.config().relay_timeout)
        .body(body)
        .send()
        .await;
    let answer = match sent {
        Ok(response) => {
            let status = response.status().as_u16();
            response.bytes().await.map(|body| (status, body))
        }
        Err(error) => Err(error),
    };
    match answer {
        Ok((status, body)) => text_reply(relayed_status(status), body),
        Err(error) => {
            tracing::debug!(
                next = next.index(),
                timeout = error.is_timeout(),
                "onion relay to the next node failed"
            );
            text_reply(504, "Request time out")
        }
    }
}
