#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod base;
pub mod codec;
pub mod compress;
pub mod diff;
pub mod dump;
pub mod encrypt;
mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod kind;
pub mod merge;
pub mod message;
pub mod multipart;
pub mod mutable;
pub mod protobuf;
pub mod value;

pub use base::{ConfigBase, Push};
pub use dump::State;
pub use error::{Error, ParseError, Result};
pub use kind::ConfigKind;
pub use message::{ConfigMessage, DEFAULT_LAG};
pub use mutable::MutableConfigMessage;
pub use value::{Dict, Scalar, Set, Value};
pub mod user;

/// The seed type the user configs are keyed with.
pub use session_crypto::Ed25519Seed;
/// Account keys and IDs, as the configs take them.
pub use session_identity::{Keypair, SessionId};
