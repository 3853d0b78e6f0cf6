//! `session::Client`: one account's 1:1 messaging over the swarms, set up in one call.
//!
//! A thin layer over [`swarm::messaging::Messenger`](crate::swarm::messaging::Messenger):
//! the builder picks the network, the account and the store, connects the swarm client and
//! hands back a [`Client`]; everything the messenger can do stays reachable through
//! [`Client::messenger`].

mod builder;
mod handle;
mod inbox;
mod storage;

pub use builder::ClientBuilder;
pub use handle::Client;
pub use inbox::Inbox;
pub use storage::Storage;
