//! Everything that runs against `session-localnet`, in one binary so the crate links one
//! test executable for it: the RPC layer posted by hand (`rpc`), the transports (`net`),
//! the client's basics (`client`), every typed client method end to end (`methods`),
//! the failure handling under injected faults (`faults`), the messenger (`messaging`),
//! the file server through the onion (`files`), the user config sync between devices
//! (`configs`) and closed groups (`groups`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod client;
mod common;
mod configs;
mod faults;
mod files;
mod groups;
mod messaging;
mod methods;
mod net;
mod rpc;
