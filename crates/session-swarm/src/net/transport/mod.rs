//! Sending one storage RPC to one node: directly over HTTPS or through an onion path.

mod api;
mod direct;
mod onion;
mod os_rng;

pub use api::{BoxFuture, RpcResponse, Transport};
pub use direct::DirectTransport;
pub use onion::{OnionConfig, OnionTransport};
pub(crate) use os_rng::OsRandom;
