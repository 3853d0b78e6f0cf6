//! Onion path selection, sans-IO: which nodes a request goes through.
//!
//! [`PathManager`] keeps the configured number of paths (2 by default) of 3 nodes built
//! from the node pool, and keeps them healthy as the I/O layer reports outcomes. It does
//! no I/O, reads no clock and owns no RNG: the pool, guard-test results, request outcomes,
//! the current time and a [`CryptoRng`](rand_core::CryptoRng) come in as arguments;
//! [`Action`]s (guard tests to run) and [`Event`]s (paths built, dropped, repaired; nodes
//! struck; a pool refresh needed) come out.
//!
//! ```
//! use std::net::Ipv4Addr;
//! use std::time::Instant;
//!
//! use rand_chacha::ChaCha20Rng;
//! use rand_core::SeedableRng;
//! use session_onion::path::{Action, Event, Node, PathConfig, PathManager};
//!
//! let mut rng = ChaCha20Rng::seed_from_u64(7);
//! // Twelve nodes, each in its own /24.
//! let pool: Vec<Node> = (1..=12u8)
//!     .map(|i| Node {
//!         ed25519: [i; 32],
//!         x25519: [i; 32],
//!         ip: Ipv4Addr::new(198, 51, i, 10),
//!         https_port: 22021,
//!         quic_port: 22020,
//!         swarm_id: u64::from(i % 3),
//!     })
//!     .collect();
//!
//! let mut paths = PathManager::new(PathConfig::default());
//! paths.set_pool(pool, &mut rng);
//! // The I/O layer probes each guard candidate directly; here every probe succeeds.
//! while let Some(Action::TestGuard { test_id, .. }) = paths.poll_action(Instant::now()) {
//!     paths.guard_test_result(test_id, true, &mut rng)?;
//! }
//! let mut built = 0;
//! while let Some(event) = paths.poll_event() {
//!     if let Event::PathBuilt { nodes, .. } = event {
//!         assert_eq!(nodes.len(), 3);
//!         built += 1;
//!     }
//! }
//! assert_eq!(built, 2);
//!
//! // A request to the snode with key [5; 32] never goes through a path containing it.
//! let path = paths.path_for(Some(&[5; 32]), &mut rng).expect("two paths are built");
//! assert!(!path.contains(&[5; 32]));
//! # Ok::<(), session_onion::path::PathError>(())
//! ```
//!
//! The rules, and where they come from (desktop `onionPath.ts`, libsession `network.cpp`):
//! - **Guards are tested before use** with a direct probe ([`Action::TestGuard`]), at most
//!   `max_guard_tests_in_flight` (2) at a time, as desktop does. A candidate that fails
//!   (or times out) is not used in any role until the next pool.
//! - **Subnet diversity**: no two nodes of a path share a /24, the guard included. This
//!   is stricter than desktop, which lets a relay share the guard's /24.
//! - **Paths are node-disjoint**, and a request's snode destination is never in its path.
//! - **Node strikes**, threshold 3: a node at the threshold leaves the pool and every path
//!   until the next pool. A relay that leaves is replaced in place by an untested node
//!   outside the path's /24s (testing it would reveal our address to it); a guard that
//!   leaves takes its path down. `Next node not found` strikes a node out at once.
//! - **Path strikes**, threshold 3: at the threshold every node of the path gets a strike,
//!   the guard is struck out, and the path is dropped.
//! - **Dropped paths are rebuilt** by testing new guards, and [`Event::NeedPoolRefresh`]
//!   asks for a new pool when the current one cannot supply them. A new pool clears all
//!   strikes, as the clients' refreshes do.
//! - **Success clears nothing**: strikes last until the next pool, as in the clients.

mod action;
mod config;
mod error;
mod event;
mod id;
mod manager;
mod node;
mod onion_path;
mod outcome;
mod selection;

pub use action::Action;
pub use config::PathConfig;
pub use error::PathError;
pub use event::{DropReason, Event};
pub use id::{PathId, TestId};
pub use manager::PathManager;
pub use node::{Node, Subnet24};
pub use onion_path::Path;
pub use outcome::Outcome;
