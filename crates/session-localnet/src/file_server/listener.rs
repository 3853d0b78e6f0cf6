//! The file server on a socket: the generic listener calls [`FileServer::handle`] for every
//! request (plain HTTP, as nodes reach the real file server).

use std::net::SocketAddr;

use bytes::Bytes;
use hyper::{Request, Response};

use super::FileServer;
use crate::http::Handler;

impl Handler for FileServer {
    async fn handle(&self, request: Request<Bytes>, _peer: SocketAddr) -> Option<Response<Bytes>> {
        Some(Self::handle(self, request).await)
    }
}
