#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod client;
mod error;
pub mod files;
#[doc(hidden)]
pub mod fuzzing;
pub mod messaging;
pub mod net;
pub mod rpc;
pub mod store;

pub use error::{Error, Result};
