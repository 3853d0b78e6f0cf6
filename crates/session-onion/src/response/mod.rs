//! Reading what comes back from the guard: the destination's encrypted answer, or a hop's
//! plain-text error.
//!
//! The guard's HTTP status is 200 whenever the destination answered (even with a 4xx inside).
//! Anything else is an error of the path, in plain text, that only names a hop when a node
//! could not find the next one.

mod failure;
mod key;
mod node;
mod server;

pub use failure::{Failure, path_failure};
pub use key::ResponseKey;
pub use node::{NodeResponse, decode_node_response, open_node_response};
pub use server::{decode_server_response, open_server_response};
