//! Swarm-wide requests (`storage-server.md` §7): the entry node acts, then every other member
//! of its swarm re-checks and acts on the same request, and the answers are gathered per
//! member under `swarm`. Members are reached in-process, with the real server's peer timeout.

use serde_json::{Map, Value, json};

use super::encoding;
use super::join::{BoxedFuture, join_all};
use super::reply::{self, RpcReply};
use super::timing::{FORWARDED_TOLERANCE_MS, SIGNATURE_TOLERANCE_MS};
use crate::network::Network;
use crate::node::Node;
use crate::storage::StorageError;

/// Whether a node runs a request for a client or for a swarm peer that forwarded it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// The node the client asked.
    Entry,
    /// A swarm member the entry node forwarded to (`sn.storage_cc`).
    Forwarded,
}

impl Role {
    /// The clock window of the time in a `delete_all` or `expire_all`: a forwarded copy has
    /// spent time in transit, so its members allow it a little more.
    pub(crate) const fn tolerance(self) -> i64 {
        match self {
            Self::Entry => SIGNATURE_TOLERANCE_MS,
            Self::Forwarded => FORWARDED_TOLERANCE_MS,
        }
    }
}

/// One member's handling of a request: `Err` when its checks rejected the request, `Ok(Err)`
/// when its storage failed, else its entry for `swarm`.
pub(crate) type MemberOutcome = Result<Result<Value, StorageError>, RpcReply>;

/// The gathered answers of a swarm-wide request whose entry node accepted it.
#[derive(Debug)]
pub(crate) struct SwarmOutcome {
    /// Member ed25519 hex → its entry.
    pub(crate) swarm: Map<String, Value>,
    /// The entry node's own key in `swarm`.
    pub(crate) entry_key: String,
    /// Whether every entry has `failed`.
    pub(crate) all_failed: bool,
}

impl SwarmOutcome {
    /// The HTTP status: 500 when every member failed, else 200.
    pub(crate) const fn status(&self) -> u16 {
        if self.all_failed { 500 } else { 200 }
    }

    /// The entry node's answer `{"swarm": …}` stamped with `t`/`hf`, 500 if all failed.
    pub(crate) fn into_reply(self, now_ms: u64) -> RpcReply {
        let status = self.status();
        reply::json(
            status,
            reply::stamp(json!({"swarm": Value::Object(self.swarm)}), now_ms),
        )
    }
}

/// The entry of a member whose storage failed.
fn query_failure() -> Value {
    json!({"failed": true, "query_failure": true})
}

/// Replies from peers travel as bencoded dicts, which have no booleans: `true` arrives as 1.
fn through_bencode(value: Value) -> Value {
    match value {
        Value::Bool(flag) => json!(u8::from(flag)),
        Value::Array(items) => Value::Array(items.into_iter().map(through_bencode).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, item)| (key, through_bencode(item)))
                .collect(),
        ),
        other => other,
    }
}

/// A peer's outcome as the entry node records it.
fn peer_entry(outcome: MemberOutcome) -> Value {
    match outcome {
        Ok(Ok(value)) => through_bencode(value),
        Ok(Err(_)) => query_failure(),
        Err(rejected) => json!({
            "failed": true,
            "code": rejected.status.to_string(),
            "reason": rejected.body_text(),
        }),
    }
}

/// Runs `execute` on `entry` as the entry node and, if it accepts, on every other member of
/// its swarm concurrently; `Err` is the entry node's own rejection, sent to the client as is.
pub(crate) async fn run<R: Sync>(
    network: &Network,
    entry: &Node,
    request: &R,
    execute: fn(&Network, &Node, &R, Role) -> MemberOutcome,
) -> Result<SwarmOutcome, RpcReply> {
    let own = match execute(network, entry, request, Role::Entry)? {
        Ok(value) => value,
        Err(_) => query_failure(),
    };
    let entry_key = hex::encode(entry.ed25519());
    let peer_timeout = network.config().peer_timeout;
    let peers: Vec<_> = network
        .members(entry.swarm_id())
        .filter(|member| member.ed25519() != entry.ed25519())
        .collect();
    let calls: Vec<BoxedFuture<'_, (String, Value)>> = peers
        .into_iter()
        .map(|peer| {
            let call = async move {
                let key = hex::encode(peer.ed25519());
                let answer = tokio::time::timeout(peer_timeout, async move {
                    if !peer.is_running() {
                        // A stopped node never answers; the request waits out its timeout.
                        std::future::pending::<()>().await;
                    }
                    peer_entry(execute(network, peer, request, Role::Forwarded))
                })
                .await
                .unwrap_or_else(|_| json!({"failed": true, "timeout": true}));
                (key, answer)
            };
            Box::pin(call) as BoxedFuture<'_, (String, Value)>
        })
        .collect();
    let mut swarm = Map::new();
    swarm.insert(entry_key.clone(), own);
    for (key, answer) in join_all(calls).await {
        swarm.insert(key, answer);
    }
    let all_failed = swarm.values().all(|member| member.get("failed").is_some());
    Ok(SwarmOutcome {
        swarm,
        entry_key,
        all_failed,
    })
}

/// [`run`], answered as most swarm-wide methods answer: the gathered `{"swarm": …}` stamped
/// with the time the request arrived, or the entry node's own rejection.
pub(crate) async fn run_to_reply<R: Sync>(
    network: &Network,
    entry: &Node,
    request: &R,
    execute: fn(&Network, &Node, &R, Role) -> MemberOutcome,
) -> RpcReply {
    let now = entry.clock().now_ms();
    match run(network, entry, request, execute).await {
        Ok(outcome) => outcome.into_reply(now),
        Err(rejected) => rejected,
    }
}

/// `message` signed by `node`, base64 as member entries carry it.
pub(crate) fn member_signature(node: &Node, message: &[u8]) -> String {
    encoding::encode_base64(&node.keypair().sign(message))
}
