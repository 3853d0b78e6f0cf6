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
//! let handler = Arc::new(node_service::NodeHandler::new(network.clone(), node.clone(), clients.clone()));
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
mod rate_limiter;
mod reply;
mod server;
mod tls;

#[cfg(test)]
mod tests;

pub(crate) use clients::Clients;
pub(crate) use insecure::accept_any_config;
pub(crate) use rate_limiter::RateLimiter;
pub(crate) use reply::{json_reply, reply, text_reply, with_server_header};
pub(crate) use server::{Early, Handler, ServerTask, serve};
pub(crate) use tls::TlsIdentity;
