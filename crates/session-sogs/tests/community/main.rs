//! The client against the SOGS double of session-localnet: every endpoint over direct
//! HTTP, the auth failures, blind25 and non-blinding servers, HTTPS with a private root,
//! the poller, and a few calls onion-routed through a local network.
#![allow(clippy::unwrap_used, clippy::panic)]

mod auth;
mod common;
mod endpoints;
mod modes;
mod onion;
mod poller;
mod tls;
