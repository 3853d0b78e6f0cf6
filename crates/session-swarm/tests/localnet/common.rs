//! What the localnet tests share: networks, keys, clients and the lookups that compare the
//! client's view with the network's.

use std::time::Duration;

use session_crypto::Ed25519Seed;
use session_identity::Keypair;
use session_localnet::{AccountId, LocalNet, LocalNetBuilder, NodeHandle};
use session_swarm::client::{ClientOptions, SwarmClient, TransportKind};
use session_swarm::net::{Network, SeedConfig, SeedNode, ServiceNode};
use session_swarm::rpc::{Account, Members};

/// A day, the TTL most tests store with.
pub(crate) const DAY_MS: u64 = 86_400_000;

/// The deterministic test key `byte`.
pub(crate) fn keypair(byte: u8) -> Keypair {
    Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([byte; 32]))
}

/// A network of `nodes` nodes in `swarms` swarms, without rate limits (tests send many
/// requests from one address) and with short relay and peer timeouts, so stopped or
/// delayed nodes show quickly.
pub(crate) fn builder(nodes: usize, swarms: usize) -> LocalNetBuilder {
    LocalNet::builder()
        .nodes(nodes)
        .swarms(swarms)
        .seed([7; 32])
        .rate_limit(false)
        .relay_timeout(Duration::from_secs(2))
        .peer_timeout(Duration::from_millis(500))
}

/// [`builder`], started.
pub(crate) async fn start(nodes: usize, swarms: usize) -> LocalNet {
    builder(nodes, swarms).start().await.unwrap()
}

/// The network with `net`'s seed, pinned to its certificate.
pub(crate) fn network(net: &LocalNet) -> Network {
    Network::Custom {
        seeds: vec![SeedNode {
            url: net.seed_url().to_owned(),
            cert_der: Some(net.seed_cert_der().to_vec()),
        }],
    }
}

/// Short timeouts, so failures show quickly; onion paths with the /24 rule off (every
/// local node is on 127.0.0.1).
pub(crate) fn options() -> ClientOptions {
    let mut options = ClientOptions::default();
    options.onion.ignore_subnets = true;
    options.seed = SeedConfig::once(Duration::from_secs(5));
    options.request_timeout = Duration::from_secs(3);
    options.deadline = Duration::from_secs(10);
    options.backoff_base = Duration::from_millis(50);
    options.backoff_max = Duration::from_millis(200);
    options
}

/// [`options`] over direct HTTPS, for tests where onion paths add nothing.
pub(crate) fn direct_options() -> ClientOptions {
    let mut options = options();
    options.transport = TransportKind::Direct;
    options
}

/// A connected client.
pub(crate) async fn client(net: &LocalNet, options: ClientOptions) -> SwarmClient {
    SwarmClient::connect(network(net), options).await.unwrap()
}

/// The localnet's name for `account`.
pub(crate) fn id(account: &Account) -> AccountId {
    AccountId::from_bytes(*account.as_bytes())
}

/// The keys of the swarm that stores `account` now, sorted.
pub(crate) fn swarm_keys(net: &LocalNet, account: &Account) -> Vec<[u8; 32]> {
    let mut keys: Vec<[u8; 32]> = net
        .swarm_nodes(&id(account))
        .iter()
        .map(NodeHandle::ed25519)
        .collect();
    keys.sort_unstable();
    keys
}

/// The members whose signed results verified, sorted.
pub(crate) fn verified_keys<T>(members: &Members<T>) -> Vec<[u8; 32]> {
    let mut keys: Vec<[u8; 32]> = members.verified().map(|(key, _)| *key).collect();
    keys.sort_unstable();
    keys
}

/// The keys of the swarm the client has cached (or fetches) for `account`, sorted.
pub(crate) async fn cached_keys(client: &SwarmClient, account: &Account) -> Vec<[u8; 32]> {
    let mut keys: Vec<[u8; 32]> = client
        .swarm(account)
        .await
        .unwrap()
        .iter()
        .map(|n| n.ed25519)
        .collect();
    keys.sort_unstable();
    keys
}

/// The client's pool entry for `handle`.
pub(crate) fn service_node(client: &SwarmClient, handle: &NodeHandle) -> ServiceNode {
    client
        .pool()
        .into_iter()
        .find(|n| n.ed25519 == handle.ed25519())
        .unwrap()
}
