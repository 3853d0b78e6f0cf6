//! Sending and receiving 1:1 messages: the [`Messenger`].
//!
//! Sending encrypts with `session-protocol`, stores in the recipient's swarm with the
//! message kind's TTL and namespace, and stores a sync copy in our own swarm for our other
//! devices (`clients.md` §4). Receiving polls our swarm on two members, merges their
//! answers by hash, keeps each member's last hash per namespace, drops what the
//! [`Store`](crate::store::Store) has seen, decrypts and verifies the rest, and hands the
//! messages out in sending order (§3).
//!
//! ```no_run
//! use std::sync::Arc;
//!
//! use futures_core::Stream;
//! use session_identity::Seed;
//! use session_swarm::client::{ClientOptions, SwarmClient};
//! use session_swarm::messaging::{Messenger, MessengerOptions};
//! use session_swarm::net::Network;
//! use session_swarm::store::SqliteStore;
//!
//! # async fn demo(bob: session_identity::SessionId) -> Result<(), Box<dyn std::error::Error>> {
//! let client = SwarmClient::connect(Network::Mainnet, ClientOptions::default()).await?;
//! let keys = Seed::from_ed25519_seed(&[1; 32]).keypair();
//! let store = Arc::new(SqliteStore::open("session.db")?);
//! let alice = Messenger::new(client, keys, store, MessengerOptions::default());
//!
//! let sent = alice.send_text(&bob, "hi Bob").await?;
//! println!("stored as {}", sent.hash);
//! let _incoming = alice.messages(); // a Stream of IncomingMessage
//! # Ok(())
//! # }
//! ```

mod context;
mod error;
mod group_stream;
mod groups;
mod messenger;
mod options;
mod poll;
mod received;
mod send;
mod sent;
mod stream;

pub use error::MessagingError;
pub use group_stream::GroupStream;
pub use groups::Groups;
pub use messenger::Messenger;
pub use options::MessengerOptions;
pub use received::IncomingMessage;
pub use sent::SentMessage;
pub use stream::MessageStream;
