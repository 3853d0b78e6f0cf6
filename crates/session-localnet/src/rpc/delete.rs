//! The deleting methods (`storage-server.md` §6.6–6.8): `delete` by hash, `delete_all` of a
//! namespace (or all) and `delete_before` a timestamp, each swarm-wide with a signed
//! per-member list of what went.

use serde_json::{Map, Value, json};

use super::affected::bulk_entry;
use super::auth::{self, AuthFields, Credentials};
use super::message_hash;
use super::namespace::{self, NamespaceChoice};
use super::params::{self, Parsed};
use super::recursive::{self, MemberOutcome, Role};
use super::reply::{self, RpcReply};
use super::subaccount::Access;
use super::timing::{self, FORWARDED_TOLERANCE_MS, SIGNATURE_TOLERANCE_MS, outside_window};
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
    let pubkey = params::string(params, "pubkey")?;
    let pubkey_ed25519 = params::string(params, "pubkey_ed25519")?;
    let required = params::boolean(params, "required")?;
    let signature = params::string(params, "signature")?;
    let subaccount = params::string(params, "subaccount")?;
    let subaccount_sig = params::string(params, "subaccount_sig")?;
    let (account, credentials) = AuthFields {
        pubkey,
        pubkey_ed25519,
        signature,
        subaccount,
        subaccount_sig,
    }
    .load()?;
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

/// A parsed `delete_all`.
#[derive(Debug, Clone)]
pub(crate) struct DeleteAllRequest {
    account: AccountId,
    credentials: Credentials,
    namespace: NamespaceChoice,
    timestamp_ms: i64,
}

/// Parses `delete_all` params.
pub(crate) fn parse_delete_all(params: &Map<String, Value>) -> Parsed<DeleteAllRequest> {
    let namespace = params::namespace_choice(params, "namespace")?;
    let pubkey = params::string(params, "pubkey")?;
    let pubkey_ed25519 = params::string(params, "pubkey_ed25519")?;
    let signature = params::string(params, "signature")?;
    let subaccount = params::string(params, "subaccount")?;
    let subaccount_sig = params::string(params, "subaccount_sig")?;
    let timestamp = params::timestamp(params, "timestamp")?;
    let (account, credentials) = AuthFields {
        pubkey,
        pubkey_ed25519,
        signature,
        subaccount,
        subaccount_sig,
    }
    .load()?;
    Ok(DeleteAllRequest {
        account,
        credentials,
        timestamp_ms: params::require("timestamp", timestamp)?,
        namespace: namespace.unwrap_or(NamespaceChoice::One(0)),
    })
}

fn execute_delete_all(
    network: &Network,
    node: &Node,
    request: &DeleteAllRequest,
    role: Role,
) -> MemberOutcome {
    if let Some(misdirected) = reply::check_swarm(network, node, &request.account) {
        return Err(misdirected);
    }
    let tolerance = match role {
        Role::Entry => SIGNATURE_TOLERANCE_MS,
        Role::Forwarded => FORWARDED_TOLERANCE_MS,
    };
    if outside_window(request.timestamp_ms, timing::now_ms(node), tolerance) {
        return Err(reply::text(
            406,
            "delete_all timestamp too far from current time",
        ));
    }
    let message = format!(
        "delete_all{}{}",
        namespace::choice_signed_form(request.namespace),
        request.timestamp_ms
    );
    reply::unless_verified(
        auth::verify(
            node.storage(),
            &request.account,
            &request.credentials,
            Access::DELETE,
            false,
            message.as_bytes(),
        ),
        "delete_all signature verification failed",
    )?;
    let deleted = node
        .storage()
        .delete_all(&request.account, namespace::selector(request.namespace));
    Ok(deleted.map(|deleted| {
        bulk_entry(
            node,
            "deleted",
            request.namespace,
            deleted,
            format!("{}{}", request.account.to_hex(), request.timestamp_ms),
        )
    }))
}

/// Runs `delete_all` with `node` as the entry node.
pub(crate) async fn handle_delete_all(
    network: &Network,
    node: &Node,
    request: &DeleteAllRequest,
) -> RpcReply {
    let now = node.clock().now_ms();
    match recursive::run(network, node, request, execute_delete_all).await {
        Ok(outcome) => outcome.into_reply(now),
        Err(rejected) => rejected,
    }
}

/// A parsed `delete_before`.
#[derive(Debug, Clone)]
pub(crate) struct DeleteBeforeRequest {
    account: AccountId,
    credentials: Credentials,
    namespace: NamespaceChoice,
    before_ms: i64,
}

/// Parses `delete_before` params.
pub(crate) fn parse_delete_before(params: &Map<String, Value>) -> Parsed<DeleteBeforeRequest> {
    let before = params::timestamp(params, "before")?;
    let namespace = params::namespace_choice(params, "namespace")?;
    let pubkey = params::string(params, "pubkey")?;
    let pubkey_ed25519 = params::string(params, "pubkey_ed25519")?;
    let signature = params::string(params, "signature")?;
    let subaccount = params::string(params, "subaccount")?;
    let subaccount_sig = params::string(params, "subaccount_sig")?;
    let (account, credentials) = AuthFields {
        pubkey,
        pubkey_ed25519,
        signature,
        subaccount,
        subaccount_sig,
    }
    .load()?;
    Ok(DeleteBeforeRequest {
        account,
        credentials,
        before_ms: params::require("before", before)?,
        namespace: namespace.unwrap_or(NamespaceChoice::One(0)),
    })
}

fn execute_delete_before(
    network: &Network,
    node: &Node,
    request: &DeleteBeforeRequest,
    _role: Role,
) -> MemberOutcome {
    if let Some(misdirected) = reply::check_swarm(network, node, &request.account) {
        return Err(misdirected);
    }
    if request.before_ms > timing::now_ms(node) + SIGNATURE_TOLERANCE_MS {
        return Err(reply::text(
            401,
            "delete_before timestamp too far in the future",
        ));
    }
    let message = format!(
        "delete_before{}{}",
        namespace::choice_signed_form(request.namespace),
        request.before_ms
    );
    reply::unless_verified(
        auth::verify(
            node.storage(),
            &request.account,
            &request.credentials,
            Access::DELETE,
            false,
            message.as_bytes(),
        ),
        "delete_before signature verification failed",
    )?;
    let deleted = node.storage().delete_before(
        &request.account,
        namespace::selector(request.namespace),
        u64::try_from(request.before_ms).unwrap_or(0),
    );
    Ok(deleted.map(|deleted| {
        bulk_entry(
            node,
            "deleted",
            request.namespace,
            deleted,
            format!("{}{}", request.account.to_hex(), request.before_ms),
        )
    }))
}

/// Runs `delete_before` with `node` as the entry node.
pub(crate) async fn handle_delete_before(
    network: &Network,
    node: &Node,
    request: &DeleteBeforeRequest,
) -> RpcReply {
    let now = node.clock().now_ms();
    match recursive::run(network, node, request, execute_delete_before).await {
        Ok(outcome) => outcome.into_reply(now),
        Err(rejected) => rejected,
    }
}
