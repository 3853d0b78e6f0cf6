//! The protobuf messages, as prost structs generated from `proto/SessionProtos.proto` and
//! `proto/WebSocketResources.proto`.
//!
//! The generated code is committed under `src/generated/`; `cargo xtask gen-proto` rewrites it
//! and `cargo xtask gen-proto --check` (part of `scripts/check.sh`) fails when it is stale.
//!
//! Apps should rarely need these types: [`crate::message`] builds and reads [`Content`] and
//! [`crate::envelope`] builds and reads [`Envelope`] and [`WebSocketMessage`]. Every field that
//! the reference schemas mark `required` is an `Option` here, because prost does not enforce
//! `required`; the typed layers check presence instead.
//!
//! The wire format does not carry package names, so the packages (`signalservice`,
//! `websocket`) only name the modules.

/// Generated from `proto/SessionProtos.proto` (package `signalservice`).
#[allow(
    missing_docs,
    unreachable_pub,
    unused_qualifications,
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    rustdoc::bare_urls,
    rustdoc::broken_intra_doc_links,
    rustdoc::invalid_html_tags
)]
pub mod signalservice {
    include!("generated/signalservice.rs");
}

/// Generated from `proto/WebSocketResources.proto` (package `websocket`).
#[allow(
    missing_docs,
    unreachable_pub,
    unused_qualifications,
    clippy::all,
    clippy::pedantic,
    clippy::nursery,
    rustdoc::bare_urls,
    rustdoc::broken_intra_doc_links,
    rustdoc::invalid_html_tags
)]
pub mod websocket {
    include!("generated/websocket.rs");
}

pub use signalservice::*;
pub use websocket::*;
