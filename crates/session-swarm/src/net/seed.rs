//! Bootstrap: ask the seeds for the service-node list (`get_n_service_nodes`).

use std::time::Duration;

use serde_json::{Value, json};
use tokio::task::JoinSet;
use tracing::Instrument;

use crate::error::{Error, Result};
use crate::net::http::{pinned_client, request_error, snode_client};
use crate::net::network::{Network, SeedNode};
use crate::net::node_list::parse_service_node_states;
use crate::net::service_node::ServiceNode;

/// How bootstrap retries, with desktop's numbers as defaults.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct SeedConfig {
    /// Deadline of one request to one seed (5 s).
    pub timeout: Duration,
    /// Rounds of asking every seed (4: the first and 3 retries).
    pub attempts: u32,
    /// Delay before the first retry; doubled after each round (1 s).
    pub retry_delay: Duration,
}

impl Default for SeedConfig {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(5),
            attempts: 4,
            retry_delay: Duration::from_secs(1),
        }
    }
}

impl SeedConfig {
    /// One round, no retry, with this per-seed timeout (tests, interactive tools).
    pub fn once(timeout: Duration) -> Self {
        Self {
            timeout,
            attempts: 1,
            retry_delay: Duration::ZERO,
        }
    }
}

/// The JSON-RPC request desktop sends: no `limit`, because the whole list is wanted.
fn request_body() -> Vec<u8> {
    json!({
        "jsonrpc": "2.0",
        "method": "get_n_service_nodes",
        "params": {
            "active_only": true,
            "fields": {
                "public_ip": true,
                "storage_port": true,
                "pubkey_x25519": true,
                "pubkey_ed25519": true,
                "storage_server_version": true,
            },
        },
    })
    .to_string()
    .into_bytes()
}

/// Asks one seed for the node list.
pub async fn fetch_from_seed(seed: &SeedNode, timeout: Duration) -> Result<Vec<ServiceNode>> {
    let span = tracing::debug_span!("seed_request", seed = %seed.url);
    ask_seed(seed, timeout).instrument(span).await
}

/// [`fetch_from_seed`] without its span.
async fn ask_seed(seed: &SeedNode, timeout: Duration) -> Result<Vec<ServiceNode>> {
    let client = match (&seed.cert_der, seed.url.starts_with("https://")) {
        (Some(pin), _) => pinned_client(std::slice::from_ref(pin))?,
        (None, false) => snode_client()?,
        (None, true) => {
            return Err(Error::Config(format!(
                "seed {} is https but has no pinned certificate",
                seed.url
            )));
        }
    };
    let url = format!("{}/json_rpc", seed.url.trim_end_matches('/'));
    let response = client
        .post(&url)
        .header("Content-Type", "application/json")
        .header("User-Agent", "WhatsApp")
        .header("Accept-Language", "en-us")
        .timeout(timeout)
        .body(request_body())
        .send()
        .await
        .map_err(|e| request_error(&e, timeout))?;
    let status = response.status().as_u16();
    let is_json = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let body = response
        .bytes()
        .await
        .map_err(|e| request_error(&e, timeout))?;
    if status != 200 {
        return Err(Error::Status {
            status,
            body: String::from_utf8_lossy(&body).into_owned(),
        });
    }
    if !is_json {
        return Err(Error::Malformed(format!(
            "seed {} did not answer JSON",
            seed.url
        )));
    }
    let json: Value = serde_json::from_slice(&body)
        .map_err(|_| Error::Malformed(format!("seed {} answered invalid JSON", seed.url)))?;
    let result = json
        .get("result")
        .ok_or_else(|| Error::Malformed(format!("seed {} answered no result", seed.url)))?;
    let nodes = parse_service_node_states(result)?;
    if nodes.is_empty() {
        return Err(Error::Malformed(format!(
            "seed {} listed no usable node",
            seed.url
        )));
    }
    tracing::debug!(nodes = nodes.len(), "seed answered");
    Ok(nodes)
}

/// Asks every seed of `network` at once and takes the first usable answer, retrying the
/// round as `config` says. The list is returned in the seed's order; path selection and
/// node choice randomise on their own.
pub async fn bootstrap(network: &Network, config: &SeedConfig) -> Result<Vec<ServiceNode>> {
    let seeds = network.seeds()?;
    if seeds.is_empty() {
        return Err(Error::Config("the network has no seed".into()));
    }
    let mut delay = config.retry_delay;
    let mut last_error = Error::Transport("no seed was asked".into());
    for round in 0..config.attempts.max(1) {
        if round > 0 {
            tokio::time::sleep(delay).await;
            delay = delay.saturating_mul(2);
        }
        let mut asks = JoinSet::new();
        for seed in seeds.clone() {
            let timeout = config.timeout;
            asks.spawn(async move { fetch_from_seed(&seed, timeout).await });
        }
        while let Some(joined) = asks.join_next().await {
            match joined {
                Ok(Ok(nodes)) => return Ok(nodes),
                Ok(Err(error)) => {
                    tracing::debug!(round, %error, "seed failed");
                    last_error = error;
                }
                Err(join_error) => last_error = Error::Transport(join_error.to_string()),
            }
        }
    }
    Err(last_error)
}
