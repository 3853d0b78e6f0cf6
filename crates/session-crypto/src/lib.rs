#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod aead;
pub mod blake2b;
pub mod convert;
pub mod ed25519;
pub mod ephemeral;
mod error;
pub mod sealed_box;
mod secret;
pub mod secretbox;
pub mod x25519;
pub mod xed25519;

pub use error::{Error, Result};
pub use secret::{Ed25519Seed, SymmetricKey};
pub use x25519::{SharedSecret, X25519Secret};

/// The `rand_core` this crate's APIs take randomness through.
pub use rand_core;
