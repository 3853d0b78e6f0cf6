//! The bulk actions (`delete_all`, `delete_before`, `expire_all`): each member checks the
//! swarm, the clock and the signature over `method ‖ namespace ‖ time`, acts on every
//! matching message, and answers with the affected hashes — a sorted list for one namespace,
//! or for `"all"` a dict of namespace → sorted list — and its signature over
//! `account ‖ time` and every hash in total hash order.
//!
//! The three differ only in their clock window, their storage call and their texts, which
//! each method's file gives as a [`BulkAction`].

use serde_json::{Map, Value, json};

use super::auth::{self, Credentials};
use super::namespace::{self, NamespaceChoice};
use super::params::{self, Parsed};
use super::recursive::{self, MemberOutcome, Role, member_signature};
use super::reply::{self, RpcReply};
use super::subaccount::Access;
use super::timing;
use crate::account::AccountId;
use crate::network::Network;
use crate::node::Node;
use crate::storage::{Namespaces, Storage, StorageError};

/// What one bulk method does differently from the others.
#[derive(Debug)]
pub(crate) struct BulkAction {
    /// The method name, which starts the signed string and the signature error text.
    pub(crate) method: &'static str,
    /// The params field holding the request's time.
    pub(crate) time_field: &'static str,
    /// The entry's key for the affected hashes.
    pub(crate) listed_as: &'static str,
    /// The rejection, if any, of a request time given the node's clock and its role.
    pub(crate) check_time: fn(time_ms: i64, now_ms: i64, role: Role) -> Option<RpcReply>,
    /// The storage change at the request time.
    pub(crate) act: BulkStorageCall,
}

/// A bulk action's storage call for an account, its namespaces and the request time; the
/// affected `(namespace, hash)` pairs.
pub(crate) type BulkStorageCall =
    fn(&dyn Storage, &AccountId, Namespaces, i64) -> Result<Vec<(i16, String)>, StorageError>;

/// A parsed bulk request.
#[derive(Debug, Clone)]
pub(crate) struct BulkRequest {
    action: &'static BulkAction,
    account: AccountId,
    credentials: Credentials,
    namespace: NamespaceChoice,
    time_ms: i64,
}

impl BulkRequest {
    /// The request from its loaded auth and its read fields: the time is required, the
    /// namespace defaults to 0.
    pub(crate) fn new(
        action: &'static BulkAction,
        (account, credentials): (AccountId, Credentials),
        namespace: Option<NamespaceChoice>,
        time_ms: Option<i64>,
    ) -> Parsed<Self> {
        Ok(Self {
            action,
            account,
            credentials,
            time_ms: params::require(action.time_field, time_ms)?,
            namespace: namespace.unwrap_or(NamespaceChoice::One(0)),
        })
    }
}

/// The entry `{key: hashes, "signature": sig(signed_prefix ‖ sorted hashes)}`.
fn bulk_entry(
    node: &Node,
    key: &str,
    choice: NamespaceChoice,
    mut affected: Vec<(i16, String)>,
    signed_prefix: String,
) -> Value {
    affected.sort_by(|a, b| a.1.cmp(&b.1));
    let mut message = signed_prefix.into_bytes();
    for (_, hash) in &affected {
        message.extend_from_slice(hash.as_bytes());
    }
    let listed = match choice {
        NamespaceChoice::One(_) => json!(
            affected
                .into_iter()
                .map(|(_, hash)| hash)
                .collect::<Vec<_>>()
        ),
        NamespaceChoice::All => {
            let mut by_namespace: Map<String, Value> = Map::new();
            for (namespace, hash) in affected {
                let list = by_namespace
                    .entry(namespace.to_string())
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(items) = list {
                    items.push(Value::String(hash));
                }
            }
            Value::Object(by_namespace)
        }
    };
    json!({key: listed, "signature": member_signature(node, &message)})
}

/// One member's checks and action.
fn execute(network: &Network, node: &Node, request: &BulkRequest, role: Role) -> MemberOutcome {
    if let Some(misdirected) = reply::check_swarm(network, node, &request.account) {
        return Err(misdirected);
    }
    let action = request.action;
    if let Some(rejected) = (action.check_time)(request.time_ms, timing::now_ms(node), role) {
        return Err(rejected);
    }
    let message = format!(
        "{}{}{}",
        action.method,
        namespace::choice_signed_form(request.namespace),
        request.time_ms
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
        &format!("{} signature verification failed", action.method),
    )?;
    let affected = (action.act)(
        node.storage(),
        &request.account,
        namespace::selector(request.namespace),
        request.time_ms,
    );
    Ok(affected.map(|affected| {
        bulk_entry(
            node,
            action.listed_as,
            request.namespace,
            affected,
            format!("{}{}", request.account.to_hex(), request.time_ms),
        )
    }))
}

/// Runs a bulk request with `node` as the entry node.
pub(crate) async fn handle(network: &Network, node: &Node, request: &BulkRequest) -> RpcReply {
    recursive::run_to_reply(network, node, request, execute).await
}
