#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod error;
pub mod net;
pub mod rpc;

pub use error::{Error, Result};
