//! The local network seen from outside: requests written by hand, over real sockets, against
//! the behaviour of the real storage server (`storage-server.md`). One binary, one module per
//! area.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod faults;
mod lifecycle;
mod onion;
mod persistence;
mod seed;
mod storage_rpc;
