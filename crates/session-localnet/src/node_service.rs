//! A storage node's HTTPS routes (`storage-server.md` §1), with its faults applied per
//! request:
//!
//! - `POST /ping_test/v1` → 200, empty, `X-Oxen-Snode-Pubkey: base64(legacy key)`;
//! - `POST /storage_rpc/v1` → pre-checks (IPv4 peer, per-IP rate limit, `X-Loki-Long-Poll`)
//!   then the storage RPC;
//! - `POST /onion_req/v2` → the onion handler (not rate limited);
//! - `GET /get_stats/v1` → `{"version":"2.8.0"}`;
//! - anything else → 404 `<METHOD> <PATH> Not Found`.
//!
//! Every answer carries `Server: Oxen Storage Server/2.8.0`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use base64::Engine;
use bytes::Bytes;
use hyper::header::HeaderValue;
use hyper::http::request::Parts;
use hyper::{Method, Request, Response};

use crate::faults::Fate;
use crate::http::{
    Clients, Early, Handler, RateLimiter, json_reply, reply, text_reply, with_server_header,
};
use crate::network::Network;
use crate::node::Node;
use crate::onion::handle_onion;
use crate::rpc;

/// The header a ping answer names the node with.
const SNODE_PUBKEY_HEADER: &str = "X-Oxen-Snode-Pubkey";

/// Serves one node.
#[derive(Debug)]
pub(crate) struct NodeHandler {
    network: Arc<Network>,
    node: Arc<Node>,
    clients: Arc<Clients>,
    limiter: RateLimiter,
}

impl NodeHandler {
    /// The handler of `node`. It answers only while `node.is_running()`; a stopped node
    /// closes connections without answering.
    pub(crate) fn new(network: Arc<Network>, node: Arc<Node>, clients: Arc<Clients>) -> Self {
        Self {
            network,
            node,
            clients,
            limiter: RateLimiter::new(),
        }
    }

    fn ping(&self) -> Response<Bytes> {
        let mut response = text_reply(200, Bytes::new());
        let key = base64::engine::general_purpose::STANDARD.encode(self.node.legacy_pubkey());
        if let Ok(value) = HeaderValue::from_str(&key) {
            response.headers_mut().insert(SNODE_PUBKEY_HEADER, value);
        }
        response
    }

    /// `/storage_rpc/v1`'s checks before the body, in the server's order; `None` to go on.
    fn storage_rpc_checks(&self, head: &Parts, peer: SocketAddr) -> Option<Response<Bytes>> {
        let Some(ip) = ipv4_of(peer.ip()) else {
            return Some(text_reply(400, "Bad Request\n"));
        };
        if self.network.config().rate_limit
            && self.limiter.should_rate_limit_client(ip, Instant::now())
        {
            return Some(text_reply(429, "Too Many Requests\n"));
        }
        let long_poll = head
            .headers
            .get("x-loki-long-poll")
            .is_some_and(|value| !value.is_empty());
        if long_poll {
            return Some(text_reply(
                410,
                "long polling is no longer supported, client upgrade required",
            ));
        }
        None
    }

    fn route(&self, head: &Parts, peer: SocketAddr) -> Early {
        let path = head.uri.path();
        match (&head.method, path) {
            (&Method::POST, "/ping_test/v1") => Early::Answer(self.ping()),
            (&Method::POST, "/storage_rpc/v1") => match self.storage_rpc_checks(head, peer) {
                Some(refusal) => Early::Answer(refusal),
                None => Early::Continue,
            },
            (&Method::POST, "/onion_req/v2") => Early::Continue,
            (&Method::GET, "/get_stats/v1") => {
                let [major, minor, patch] = crate::node::VERSION;
                Early::Answer(json_reply(
                    200,
                    &serde_json::json!({"version": format!("{major}.{minor}.{patch}")}),
                ))
            }
            (method, path) => Early::Answer(text_reply(404, format!("{method} {path} Not Found"))),
        }
    }
}

/// The IPv4 address of a peer (also when it arrives IPv4-mapped on an IPv6 socket).
fn ipv4_of(ip: IpAddr) -> Option<Ipv4Addr> {
    match ip {
        IpAddr::V4(ip) => Some(ip),
        IpAddr::V6(ip) => ip.to_ipv4_mapped(),
    }
}

impl Handler for NodeHandler {
    async fn early(&self, head: &Parts, peer: SocketAddr) -> Early {
        if !self.node.is_running() {
            return Early::Close;
        }
        match self.node.faults().next_fate() {
            Fate::Serve => {}
            Fate::Delay(delay) => tokio::time::sleep(delay).await,
            Fate::Drop => return Early::Close,
        }
        match self.route(head, peer) {
            Early::Answer(response) => Early::Answer(with_server_header(response)),
            other => other,
        }
    }

    async fn handle(&self, request: Request<Bytes>, _peer: SocketAddr) -> Option<Response<Bytes>> {
        // A node stopped while the body was arriving does not answer either.
        if !self.node.is_running() {
            return None;
        }
        let body = request.body();
        let response = match request.uri().path() {
            "/storage_rpc/v1" => {
                let answer = rpc::handle_request(&self.network, &self.node, body).await;
                reply(answer.status, answer.content_type(), answer.body_text())
            }
            "/onion_req/v2" => handle_onion(&self.network, &self.node, &self.clients, body).await,
            // `early` lets only the two routes above through.
            _ => text_reply(500, "Internal Server Error\n"),
        };
        Some(with_server_header(response))
    }

    fn too_large(&self) -> Response<Bytes> {
        with_server_header(text_reply(413, "Request body too large"))
    }
}
