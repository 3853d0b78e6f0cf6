//! The swarm client: storage RPCs to an account's swarm with the official clients'
//! failure handling.
//!
//! A [`SwarmClient`] bootstraps the node pool from the seeds, keeps the network clock
//! (every answer's `t` feeds it; [`SwarmClient::now_ms`] is the time all signatures use)
//! and a cache of swarms, and sends each request through onion paths (or directly, for
//! diagnostics) to a random member of the account's swarm. On the way it:
//!
//! - follows a 421 to the swarm the node names;
//! - on a 406/425 learns the node's clock and signs the request again (once), which is
//!   why calls take a builder `Fn(now_ms) -> Request` rather than a request;
//! - returns 400/401/403/404/413 to the caller at once;
//! - strikes nodes that fail (5xx, timeouts, unreachable; at once for `Next node not
//!   found`) and retries on another member with exponential backoff;
//! - gives every call an overall deadline (10 s);
//! - counts a store as delivered only if a member's signed result verified.
//!
//! ```no_run
//! use session_crypto::Ed25519Seed;
//! use session_identity::Keypair;
//! use session_swarm::client::{ClientOptions, SwarmClient};
//! use session_swarm::net::Network;
//! use session_swarm::rpc::{Auth, Lifetime, Signer};
//!
//! # async fn demo() -> session_swarm::Result<()> {
//! let client = SwarmClient::connect(Network::Mainnet, ClientOptions::default()).await?;
//! let me = Signer::user(Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([1; 32])));
//!
//! let stored = client
//!     .store(Auth::Signed(&me), 2, b"config", Lifetime::Ttl(86_400_000))
//!     .await?;
//! assert!(stored.members.verified().next().is_some());
//!
//! let inbox = client.retrieve(Auth::Signed(&me), 2, None).await?;
//! assert!(inbox.messages.iter().any(|m| m.hash == stored.hash));
//! # Ok(())
//! # }
//! ```

mod call;
mod carrier;
mod clock_sync;
mod engine;
mod files;
mod methods;
mod methods_admin;
mod options;
mod persistence;
mod random;
mod retry;
mod status;
mod swarm_lookup;

pub use engine::SwarmClient;
pub use options::{ClientOptions, TransportKind};
pub use status::Status;
