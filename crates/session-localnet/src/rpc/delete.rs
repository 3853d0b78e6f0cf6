//! The deleting methods (`storage-server.md` §6.6–6.8): `delete` by hash, `delete_all` of a
//! namespace (or all) and `delete_before` a timestamp, each swarm-wide with a signed
//! per-member list of what went.

use serde_json::{Map, Value, json};

use super::auth::{self, AuthFields, Credentials};
use super::bulk::{BulkAction, BulkRequest};
use super::message_hash;
use super::params::{self, Parsed};
use super::recursive::{self, MemberOutcome, Role};
use super::reply::{self, RpcReply};
use super::subaccount::Access;
use super::timing::{SIGNATURE_TOLERANCE_MS, outside_window};
use crate::account::AccountId;
use crate::network::Network;
use crate::node::Node;

/// A parsed `delete`.
#[derive(Debug, Clone)]
pub(crate) struct DeleteRequest {
    account: AccountId,
    credentials: Credentials,
    messages: Vec<String>,
    required: bool,
}

/// Parses `delete` params.
pub(crate) fn parse_delete(params: &Map<String, Value>) -> Parsed<DeleteRequest> {
    let messages = params::string_list(params, "messages")?;
    let (auth, required) =
        AuthFields::read_with(params, |params| params::boolean(params, "required"))?;
    let (account, credentials) = auth.load()?;
    let messages = message_hash::require_hashes(messages, true)?;
    Ok(DeleteRequest {
        account,
        credentials,
        messages,
        required: required.unwrap_or(false),
    })
}

fn execute_delete(
    network: &Network,
    node: &Node,
    request: &DeleteRequest,
    _role: Role,
) -> MemberOutcome {
    if let Some(misdirected) = reply::check_swarm(network, node, &request.account) {
        return Err(misdirected);
    }
    let mut message = b"delete".to_vec();
    for hash in &request.messages {
        message.extend_from_slice(hash.as_bytes());
    }
    reply::unless_verified(
        auth::verify(
            node.storage(),
            &request.account,
            &request.credentials,
            Access::DELETE,
            false,
            &message,
        ),
        "delete_msgs signature verification failed",
    )?;
    let mut deleted = match node
        .storage()
        .delete_hashes(&request.account, &request.messages)
    {
        Ok(deleted) => deleted,
        Err(error) => return Ok(Err(error)),
    };
    deleted.sort();
    let mut signed = request.account.to_hex().into_bytes();
    for hash in request.messages.iter().chain(&deleted) {
        signed.extend_from_slice(hash.as_bytes());
    }
    Ok(Ok(json!({
        "deleted": deleted,
        "signature": recursive::member_signature(node, &signed),
    })))
}

/// Runs `delete` with `node` as the entry node; with `required`, 404 if no member deleted
/// anything.
pub(crate) async fn handle_delete(
    network: &Network,
    node: &Node,
    request: &DeleteRequest,
) -> RpcReply {
    let outcome = match recursive::run(network, node, request, execute_delete).await {
        Ok(outcome) => outcome,
        Err(rejected) => return rejected,
    };
    let deleted_some = outcome.swarm.values().any(|member| {
        member
            .get("deleted")
            .and_then(Value::as_array)
            .is_some_and(|deleted| !deleted.is_empty())
    });
    let mut answer = outcome.into_reply(node.clock().now_ms());
    if request.required && answer.status == 200 && !deleted_some {
        answer.status = 404;
    }
    answer
}

/// `delete_all`: every message of the namespace, at a time inside the clock window.
static DELETE_ALL: BulkAction = BulkAction {
    method: "delete_all",
    time_field: "timestamp",
    listed_as: "deleted",
    check_time: |timestamp, now, role| {
        outside_window(timestamp, now, role.tolerance())
            .then(|| reply::text(406, "delete_all timestamp too far from current time"))
    },
    act: |storage, account, namespaces, _| storage.delete_all(account, namespaces),
};

/// Parses `delete_all` params.
pub(crate) fn parse_delete_all(params: &Map<String, Value>) -> Parsed<BulkRequest> {
    let namespace = params::namespace_choice(params, "namespace")?;
    let auth = AuthFields::read(params)?;
    let timestamp = params::timestamp(params, "timestamp")?;
    BulkRequest::new(&DELETE_ALL, auth.load()?, namespace, timestamp)
}

/// `delete_before`: the messages of the namespace stored at or before a time not in the
/// future.
static DELETE_BEFORE: BulkAction = BulkAction {
    method: "delete_before",
    time_field: "before",
    listed_as: "deleted",
    check_time: |before, now, _| {
        (before > now + SIGNATURE_TOLERANCE_MS)
            .then(|| reply::text(401, "delete_before timestamp too far in the future"))
    },
    act: |storage, account, namespaces, before| {
        storage.delete_before(account, namespaces, u64::try_from(before).unwrap_or(0))
    },
};

/// Parses `delete_before` params.
pub(crate) fn parse_delete_before(params: &Map<String, Value>) -> Parsed<BulkRequest> {
    let before = params::timestamp(params, "before")?;
    let namespace = params::namespace_choice(params, "namespace")?;
    let auth = AuthFields::read(params)?;
    BulkRequest::new(&DELETE_BEFORE, auth.load()?, namespace, before)
}
