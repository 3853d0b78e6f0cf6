#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod builder;
pub mod channel;
pub mod destination;
pub mod enc_type;
mod error;
pub mod frame;
pub mod node;
pub mod path;
pub mod response;
mod routing;
pub mod v4;

pub use builder::{Builder, BuiltOnion, MAX_PATH_HOPS};
pub use channel::ChannelKey;
pub use destination::{Hop, Scheme, ServerDestination};
pub use enc_type::EncType;
pub use error::{Error, Result};
pub use response::{Failure, NodeResponse, ResponseKey};
pub use routing::V4_TARGET;
pub use v4::{ServerRequest, ServerResponse};

/// The `rand_core` this crate takes randomness through.
pub use session_crypto::rand_core;

/// The examples of `docs/onion.md`, run as doctests so the guide cannot drift from the code.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/onion.md")]
struct OnionGuide;
