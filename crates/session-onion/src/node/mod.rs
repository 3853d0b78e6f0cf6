//! The node's side of an onion: open the layer addressed to us, say what comes next, and
//! encrypt the answer. Service nodes, and servers at the end of a v4 onion, do this; so do the
//! loopback network and the fuzz targets.
//!
//! Peeling is two steps, because their failures are reported differently: an onion that does
//! not parse or decrypt gets a plain-text 400, while a layer that decrypts but whose contents
//! are wrong gets an answer encrypted with that layer's key.

mod fields;
mod incoming;
mod next;
mod reply;
mod server;

pub use incoming::{IncomingOnion, Layer, peel};
pub use next::{Control, Next, is_allowed_target};
pub use reply::node_reply_plaintext;
pub use server::{open_server_request, seal_server_response};
