#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod account;
mod base32z;
mod builder;
mod clock;
mod error;
mod faults;
mod file_server;
pub mod fuzzing;
mod http;
mod localnet;
mod network;
mod node;
mod node_handle;
mod node_service;
mod onion;
mod rpc;
mod running_node;
mod seed;
mod sogs;
pub mod storage;
pub mod swarm_space;
#[cfg(test)]
mod test_net;
pub mod tls;

pub use account::AccountId;
pub use builder::LocalNetBuilder;
pub use error::{Error, Result};
pub use localnet::{FileServerInfo, LocalNet};
pub use node_handle::NodeHandle;
pub use sogs::{RunningSogs, SogsAdmin, SogsInfo, SogsOptions};
