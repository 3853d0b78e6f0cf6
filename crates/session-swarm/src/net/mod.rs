//! The network layer: TLS, seeds, the node list, network time and the transports that
//! carry storage RPCs, directly or through onion paths.
//!
//! ```no_run
//! use std::time::Duration;
//!
//! use session_swarm::net::{
//!     DirectTransport, Network, OnionConfig, OnionTransport, SeedConfig, Transport, bootstrap,
//! };
//!
//! # async fn demo() -> session_swarm::Result<()> {
//! // The node list from the (pinned) seeds.
//! let nodes = bootstrap(&Network::Mainnet, &SeedConfig::default()).await?;
//!
//! // One RPC straight to a node (reveals our address to it: bootstrap and probes only).
//! let info = br#"{"method":"info","params":{}}"#;
//! let answer = DirectTransport::new()?.send(&nodes[0], info, Duration::from_secs(10)).await?;
//! assert_eq!(answer.status, 200);
//!
//! // The same through a 3-hop onion path.
//! let onion = OnionTransport::new(OnionConfig::default())?;
//! onion.set_pool(&nodes)?;
//! let answer = onion.send(&nodes[1], info, Duration::from_secs(10)).await?;
//! assert!(answer.is_success());
//! # Ok(())
//! # }
//! ```

mod clock;
mod http;
mod network;
mod node_list;
mod pool;
mod pool_refresh;
mod seed;
mod service_node;
mod swarm_cache;
mod tls;
mod transport;

pub use clock::{CLOCK_SAMPLES, MIN_NETWORK_TIME_MS, NetworkClock, SharedClock, local_now_ms};
pub use network::{Network, SeedNode};
pub use node_list::{parse_service_node_states, parse_swarm};
pub use pool::{NodePool, PoolConfig};
pub use pool_refresh::{fetch_from_node, maintain_pool, refresh_from_nodes};
pub use seed::{SeedConfig, bootstrap, fetch_from_seed};
pub use service_node::ServiceNode;
pub use swarm_cache::{MIN_SWARM_MEMBERS, SwarmCache};
pub use tls::{seed_tls_config, snode_tls_config};
pub(crate) use transport::OsRandom;
pub use transport::{
    BoxFuture, DirectTransport, OnionConfig, OnionTransport, RpcResponse, Transport,
};
