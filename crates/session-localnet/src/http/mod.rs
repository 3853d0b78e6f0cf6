//! The network-facing layer: TLS identities, a generic HTTP/1.1 listener, the storage node's
//! HTTPS routes, its rate limiter, and the HTTP clients nodes use to relay and proxy onions.
//!
//! What the network builder calls:
//!
//! ```text
//! // Once per network:
//! let clients = http::Clients::new(&[/* certs of HTTPS servers nodes may proxy to */])?;
//!
//! // Per node (each with its own certificate, like the real nodes):
//! let tls = http::TlsIdentity::generate()?;
//! let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
//! let handler = Arc::new(http::NodeHandler::new(network.clone(), node.clone(), clients.clone()));
//! let task: http::ServerTask = http::serve(listener, Some(tls.acceptor().clone()), handler);
//!
//! // The seed endpoint (HTTPS, its own certificate, exported for pinning):
//! let seed_tls = http::TlsIdentity::generate()?;
//! let task = http::serve(listener, Some(seed_tls.acceptor().clone()),
//!                        Arc::new(seed::SeedHandler::new(network.clone())));
//!
//! // Plain HTTP (the file server): any `Handler`, no TLS.
//! let task = http::serve(listener, None, Arc::new(file_server));
//! ```
//!
//! A [`ServerTask`] closes the listener and every open connection when dropped or stopped.

mod body;
mod clients;
mod insecure;
mod node_handler;
mod rate_limiter;
mod reply;
mod server;
mod tls;

#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod tests;

pub(crate) use clients::Clients;
pub(crate) use insecure::accept_any_config;
pub(crate) use node_handler::NodeHandler;
pub(crate) use reply::{json_reply, text_reply};
pub(crate) use server::{Handler, ServerTask, serve};
pub(crate) use tls::TlsIdentity;
