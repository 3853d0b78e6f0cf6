//! The server on top: takes whole HTTP requests, opens onions, authenticates, runs batches
//! and routes, all under one lock on the state (pysogs runs one request at a time per
//! worker, and tests want a deterministic order).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use hyper::{Request, Response};
use session_crypto::X25519Secret;

use super::auth::authenticate;
use super::ctx::Ctx;
use super::onion;
use super::reply::Reply;
use super::request::SogsRequest;
use super::routes::route;
use super::state::{State, Uid};
use super::{batch, onion::V4_PATH};
use crate::http::Handler;

/// The SOGS double: its onion key and its state.
pub(crate) struct SogsServer {
    secret: X25519Secret,
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for SogsServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SogsServer")
            .field("x25519_public", &hex::encode(self.secret.public_key()))
            .finish_non_exhaustive()
    }
}

impl SogsServer {
    /// A server with onion key `secret` over `state`.
    pub(crate) const fn new(secret: X25519Secret, state: Arc<Mutex<State>>) -> Self {
        Self { secret, state }
    }

    /// Answers one HTTP request (plain, or an onion posted to `/oxen/v4/lsrpc`).
    pub(crate) fn respond(&self, request: &Request<Bytes>) -> Reply {
        let request = SogsRequest::from_http(request);
        if request.path != V4_PATH {
            return self.dispatch(&request);
        }
        if request.method != "POST" {
            return Reply::error_page(405);
        }
        match onion::open(&self.secret, &request.body) {
            Err(plain) => plain,
            Ok((key, inner)) => {
                let answer = inner
                    .as_ref()
                    .map_or_else(onion::invalid_request, |inner| self.dispatch(inner));
                onion::seal(&key, &answer)
            }
        }
    }

    /// Authenticates and answers one (inner) request.
    pub(crate) fn dispatch(&self, request: &SogsRequest) -> Reply {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let now = state.now();
        state.apply_due(now);
        let user = match authenticate(&mut state, request, now) {
            Ok(user) => user,
            Err(reply) => return reply,
        };
        match request.path.as_str() {
            "/batch" | "/sequence" => {
                let sequence = request.path == "/sequence";
                batch::run(request, sequence, |sub| answer(&mut state, user, now, sub))
            }
            _ => answer(&mut state, user, now, request),
        }
    }
}

fn answer(state: &mut State, user: Option<Uid>, now: f64, request: &SogsRequest) -> Reply {
    let mut ctx = Ctx {
        state,
        user,
        now,
        request,
    };
    route(&mut ctx)
}

impl Handler for SogsServer {
    async fn handle(&self, request: Request<Bytes>, _peer: SocketAddr) -> Option<Response<Bytes>> {
        Some(self.respond(&request).into_http())
    }
}
