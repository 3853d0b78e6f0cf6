//! Typed storage RPC requests and responses, independent of how bytes travel (sans-IO).
//!
//! Each request type ([`Store`], [`Retrieve`], [`Delete`], ...) is built from a [`Signer`]
//! (or an anonymous [`Auth`]) and the caller's network-adjusted clock `now_ms`; nothing
//! here reads a clock or touches a socket. It renders as `{"method", "params"}`
//! ([`Request::to_json`] / [`Request::to_bytes`]) for `/storage_rpc/v1`, an onion request
//! or a [`Batch`], and its [`Call::parse`] reads the answer, verifying each swarm
//! member's signature with that member's key over the exact string the server signs.
//!
//! ```
//! use session_crypto::Ed25519Seed;
//! use session_identity::Keypair;
//! use session_swarm::rpc::{Auth, Batch, Call, Lifetime, Reply, Retrieve, Signer, Store};
//!
//! let me = Signer::user(Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([1; 32])));
//! let now_ms = 1_700_000_000_000;
//! let store = Store::new(Auth::Signed(&me), 2, b"config", Lifetime::Ttl(86_400_000), now_ms)?;
//! let poll = Retrieve::new(Auth::Signed(&me), 2, now_ms)?.max_size(-8);
//! let batch = Batch::sequence(vec![store.request().clone(), poll.request().clone()])?;
//! let body = batch.request().to_bytes(); // POST it to <node>/storage_rpc/v1
//! assert!(body.starts_with(b"{"));
//!
//! // What came back (here: a 406, as a node with another clock would answer).
//! match batch.parse_http(406, b"store signature timestamp too far from current time")? {
//!     Reply::Ok(results) => assert!(results.results.len() <= 2),
//!     Reply::WrongSwarm(swarm) => assert!(swarm.snodes.len() <= 10),
//!     Reply::Failed(failure) => assert_eq!(failure.status, 406),
//! }
//! # Ok::<(), session_swarm::Error>(())
//! ```

pub mod account;
pub mod auth;
pub mod batch;
pub mod bulk;
pub mod call;
pub mod delete;
pub mod expire;
pub mod get_expiries;
pub mod get_swarm;
pub mod info;
mod json;
pub mod member;
pub mod meta;
pub mod namespace;
pub mod reply;
pub mod request;
pub mod retrieve;
pub mod revoke;
pub mod service_nodes;
pub mod signed;
pub mod snode;
pub mod store;
pub mod subaccount_token;

pub use account::Account;
pub use auth::{Auth, Signer, SubaccountKey};
pub use batch::{Batch, BatchResult, SubResult};
pub use bulk::{Affected, Bulk, BulkResult};
pub use call::Call;
pub use delete::{Delete, DeleteResult};
pub use expire::{Expire, ExpireEntry, ExpireResult};
pub use get_expiries::{ExpiriesResult, GetExpiries};
pub use get_swarm::GetSwarm;
pub use info::{Info, InfoResult};
pub use member::{Member, MemberFailure, MemberOutcome, Members};
pub use meta::Meta;
pub use namespace::NamespaceScope;
pub use reply::{Failure, FailureKind, Reply};
pub use request::Request;
pub use retrieve::{Retrieve, RetrieveResult, RetrievedMessage};
pub use revoke::{Revocation, RevocationResult};
pub use service_nodes::{GetServiceNodes, ServiceNode, ServiceNodes};
pub use signed::ExpireMode;
pub use snode::{Snode, SwarmResult};
pub use store::{Lifetime, Store, StoreResult, StoredEntry};
pub use subaccount_token::{SubaccountFlags, SubaccountToken};
