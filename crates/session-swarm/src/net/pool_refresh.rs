//! Refreshing the pool from the network: ask a few pool nodes for the node list
//! (`oxend_request get_service_nodes`) and keep what they agree on; fall back to the seeds.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use session_onion::rand_core::CryptoRng;

use crate::error::{Error, Result};
use crate::net::network::Network;
use crate::net::node_list::parse_service_node_states;
use crate::net::pool::NodePool;
use crate::net::seed::{SeedConfig, bootstrap};
use crate::net::service_node::ServiceNode;
use crate::net::transport::Transport;

/// The `oxend_request` desktop sends to a pool node.
fn request_body() -> Vec<u8> {
    json!({
        "method": "oxend_request",
        "params": {
            "endpoint": "get_service_nodes",
            "params": {
                "active_only": true,
                "fields": {
                    "public_ip": true,
                    "storage_port": true,
                    "pubkey_x25519": true,
                    "pubkey_ed25519": true,
                },
            },
        },
    })
    .to_string()
    .into_bytes()
}

/// Asks one node for the node list.
pub async fn fetch_from_node(
    transport: &dyn Transport,
    node: &ServiceNode,
    timeout: Duration,
) -> Result<Vec<ServiceNode>> {
    let answer = transport.send(node, &request_body(), timeout).await?;
    if answer.status != 200 {
        return Err(Error::Status {
            status: answer.status,
            body: String::from_utf8_lossy(&answer.body).into_owned(),
        });
    }
    let json: Value = serde_json::from_slice(&answer.body)
        .map_err(|_| Error::Malformed("oxend_request answer is not JSON".into()))?;
    let result = json
        .get("result")
        .ok_or_else(|| Error::Malformed("oxend_request answer has no result".into()))?;
    parse_service_node_states(result)
}

/// Refreshes `pool` from `refresh_sources` random pool nodes, sequentially, each within
/// `timeout`. Fails (leaving the pool as it was) when a source fails or they agree on
/// fewer than `required_agreement` nodes.
pub async fn refresh_from_nodes<R: CryptoRng + ?Sized>(
    pool: &mut NodePool,
    transport: &dyn Transport,
    rng: &mut R,
    timeout: Duration,
) -> Result<usize> {
    let sources = pool.refresh_sources(rng);
    if sources.len() < pool.config().refresh_sources {
        return Err(Error::Config(
            "the pool is too small to refresh from".into(),
        ));
    }
    let mut lists = Vec::with_capacity(sources.len());
    for source in &sources {
        lists.push(fetch_from_node(transport, source, timeout).await?);
    }
    let agreed = pool
        .agree(&lists)
        .ok_or_else(|| Error::Malformed("the nodes asked do not agree on enough nodes".into()))?;
    let count = agreed.len();
    pool.replace_from_nodes(agreed, Instant::now());
    tracing::debug!(nodes = count, "pool refreshed from nodes");
    Ok(count)
}

/// Brings the pool up to date: from the seeds when it is too small, otherwise from its
/// nodes when a refresh is due, falling back to the seeds if they disagree or fail.
pub async fn maintain_pool<R: CryptoRng + ?Sized>(
    pool: &mut NodePool,
    transport: &dyn Transport,
    network: &Network,
    seed_config: &SeedConfig,
    rng: &mut R,
    timeout: Duration,
) -> Result<()> {
    let now = Instant::now();
    if !pool.needs_seed() {
        if !pool.refresh_due(now) {
            return Ok(());
        }
        match refresh_from_nodes(pool, transport, rng, timeout).await {
            Ok(_) => return Ok(()),
            Err(error) => tracing::debug!(%error, "refresh from nodes failed; asking seeds"),
        }
    }
    let nodes = bootstrap(network, seed_config).await?;
    pool.replace_from_seed(nodes, Instant::now());
    Ok(())
}
