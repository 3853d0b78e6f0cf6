#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod client;
pub mod configs;
mod error;
pub mod files;
#[doc(hidden)]
pub mod fuzzing;
pub mod groups;
pub mod messaging;
pub mod net;
mod polling;
pub mod rpc;
pub mod store;

pub use error::{Error, Result};
