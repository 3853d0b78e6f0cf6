//! The method table: parsing a `{"method", "params"}` request into a typed request, and
//! running it on a node.

use serde_json::{Map, Value};

use super::batch::{self, SubParse};
use super::bulk::{self, BulkRequest};
use super::delete::{self, DeleteRequest};
use super::expire::{self, ExpireRequest, GetExpiriesRequest};
use super::info::{self, OxendRequest};
use super::join::BoxedFuture;
use super::params::Parsed;
use super::reply::RpcReply;
use super::retrieve::{self, RetrieveRequest};
use super::revoke::{self, Direction, RevocationRequest};
use super::store::{self, StoreRequest};
use crate::account::AccountId;
use crate::network::Network;
use crate::node::Node;

/// A request that may appear inside a batch.
#[derive(Debug, Clone)]
pub(crate) enum SubRequest {
    /// `store`.
    Store(StoreRequest),
    /// `retrieve`.
    Retrieve(RetrieveRequest),
    /// `delete`.
    Delete(DeleteRequest),
    /// `delete_all`, `delete_before` or `expire_all`.
    Bulk(BulkRequest),
    /// `expire`.
    Expire(ExpireRequest),
    /// `get_expiries`.
    GetExpiries(GetExpiriesRequest),
    /// `get_swarm` / `get_snodes_for_pubkey`.
    GetSwarm(AccountId),
    /// `info`.
    Info,
    /// `oxend_request`.
    Oxend(OxendRequest),
    /// `revoke_subaccount` / `unrevoke_subaccount`.
    Revocation(RevocationRequest),
}

/// Any client request.
#[derive(Debug, Clone)]
pub(crate) enum Request {
    /// One ordinary method.
    Single(Box<SubRequest>),
    /// `batch`.
    Batch(Vec<SubRequest>),
    /// `sequence`.
    Sequence(Vec<SubRequest>),
}

/// Parses an ordinary method; `None` if `method` is not one.
fn parse_sub(method: &str, params: &Map<String, Value>) -> Option<Parsed<SubRequest>> {
    Some(match method {
        "store" => store::parse(params).map(SubRequest::Store),
        "retrieve" => retrieve::parse(params).map(SubRequest::Retrieve),
        "delete" => delete::parse_delete(params).map(SubRequest::Delete),
        "delete_all" => delete::parse_delete_all(params).map(SubRequest::Bulk),
        "delete_before" => delete::parse_delete_before(params).map(SubRequest::Bulk),
        "expire" => expire::parse_expire(params).map(SubRequest::Expire),
        "expire_all" => expire::parse_expire_all(params).map(SubRequest::Bulk),
        "get_expiries" => expire::parse_get_expiries(params).map(SubRequest::GetExpiries),
        "get_swarm" | "get_snodes_for_pubkey" => {
            info::parse_get_swarm(params).map(SubRequest::GetSwarm)
        }
        "info" => Ok(SubRequest::Info),
        "oxend_request" => info::parse_oxend(params).map(SubRequest::Oxend),
        "revoke_subaccount" => revoke::parse(Direction::Revoke, params).map(SubRequest::Revocation),
        "unrevoke_subaccount" => {
            revoke::parse(Direction::Unrevoke, params).map(SubRequest::Revocation)
        }
        _ => return None,
    })
}

/// A subrequest as a batch sees it: meta-requests are parsed in full (their own errors come
/// first, as on the server) and then refused.
fn parse_for_batch(method: &str, params: &Map<String, Value>) -> SubParse<SubRequest> {
    match parse(method, params) {
        None => SubParse::UnknownMethod,
        Some(Err(error)) => SubParse::Rejected(error),
        Some(Ok(Request::Single(sub))) => SubParse::Parsed(*sub),
        Some(Ok(Request::Batch(_) | Request::Sequence(_))) => SubParse::MetaRequest,
    }
}

/// Parses any request; `None` if `method` is unknown.
pub(crate) fn parse(method: &str, params: &Map<String, Value>) -> Option<Parsed<Request>> {
    match method {
        "batch" => Some(batch::parse_subrequests(params, parse_for_batch).map(Request::Batch)),
        "sequence" => {
            Some(batch::parse_subrequests(params, parse_for_batch).map(Request::Sequence))
        }
        _ => {
            parse_sub(method, params).map(|parsed| parsed.map(|sub| Request::Single(Box::new(sub))))
        }
    }
}

/// Runs an ordinary method with `node` as the entry node.
async fn run_sub(network: &Network, node: &Node, request: SubRequest) -> RpcReply {
    match request {
        SubRequest::Store(request) => store::handle(network, node, &request).await,
        SubRequest::Retrieve(request) => retrieve::handle(network, node, &request).await,
        SubRequest::Delete(request) => delete::handle_delete(network, node, &request).await,
        SubRequest::Bulk(request) => bulk::handle(network, node, &request).await,
        SubRequest::Expire(request) => expire::handle_expire(network, node, &request).await,
        SubRequest::GetExpiries(request) => {
            expire::handle_get_expiries(network, node, &request).await
        }
        SubRequest::GetSwarm(account) => info::handle_get_swarm(network, node, &account),
        SubRequest::Info => info::handle_info(node),
        SubRequest::Oxend(request) => info::handle_oxend(network, node, &request),
        SubRequest::Revocation(request) => revoke::handle(network, node, &request).await,
    }
}

fn boxed<'a>(
    network: &'a Network,
    node: &'a Node,
    request: SubRequest,
) -> BoxedFuture<'a, RpcReply> {
    Box::pin(run_sub(network, node, request))
}

/// Runs any request with `node` as the entry node.
pub(crate) async fn run(network: &Network, node: &Node, request: Request) -> RpcReply {
    match request {
        Request::Single(request) => run_sub(network, node, *request).await,
        Request::Batch(requests) => {
            let calls = requests
                .into_iter()
                .map(|request| boxed(network, node, request))
                .collect();
            batch::run_batch(calls).await
        }
        Request::Sequence(requests) => {
            batch::run_sequence(requests, |request| boxed(network, node, request)).await
        }
    }
}
