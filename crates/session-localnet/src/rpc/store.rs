//! `store` (`storage-server.md` §6.1): check the TTL and clock, require a signature outside
//! public inboxes, store on every swarm member, and answer per member with its signature
//! over the message hash.

use serde_json::{Map, Value, json};

use super::auth::{self, AuthFields, Credentials};
use super::encoding;
use super::message_hash::message_hash;
use super::namespace;
use super::params::{self, ParseError, Parsed};
use super::recursive::{self, MemberOutcome, Role};
use super::reply::{self, RpcReply};
use super::subaccount::Access;
use super::timing::{self, SIGNATURE_TOLERANCE_MS, TTL_MAXIMUM_PRIVATE_MS, outside_window};
use crate::account::AccountId;
use crate::network::Network;
use crate::node::Node;
use crate::storage::{StoreOutcome, StoredMessage};

/// The largest message, in raw bytes.
pub(crate) const MAX_MESSAGE_BODY: usize = 76_800;
/// Shortest TTL accepted.
const TTL_MINIMUM_MS: i64 = 10_000;
/// Longest TTL in a public inbox.
const TTL_MAXIMUM_MS: i64 = 14 * 24 * 3600 * 1000;
/// How far `timestamp` may be ahead, and `expiry` behind, the node's clock.
const STORE_TOLERANCE_MS: i64 = 10_000;

/// A parsed `store`.
#[derive(Debug, Clone)]
pub(crate) struct StoreRequest {
    account: AccountId,
    namespace: i16,
    timestamp_ms: i64,
    expiry_ms: i64,
    data: Vec<u8>,
    /// The signature and the time it signs (`sig_timestamp`, else `timestamp`).
    signed: Option<(Credentials, i64)>,
}

/// Parses `store` params in the server's order of checks.
pub(crate) fn parse(params: &Map<String, Value>) -> Parsed<StoreRequest> {
    let data = params::string(params, "data")?;
    let expiry = params::timestamp(params, "expiry")?;
    let namespace = params::namespace(params, "namespace")?;
    let pubkey_alias = params::string(params, "pubKey")?;
    let (fields, sig_timestamp) =
        AuthFields::read_with(params, |params| params::timestamp(params, "sig_timestamp"))?;
    let timestamp =
        params::stringified_integer(params, "timestamp")?.map(params::through_system_clock);
    let ttl = params::stringified_unsigned(params, "ttl")?;

    let timestamp_ms = params::require("timestamp", timestamp)?;
    params::at_most_one_of("expiry", &expiry, "ttl", &ttl.map(|ttl| ttl as i64))?;
    let expiry_ms = match (expiry, ttl) {
        (Some(expiry), _) => expiry,
        (None, Some(ttl)) => params::through_system_clock(timestamp_ms.wrapping_add(ttl as i64)),
        (None, None) => return Err(ParseError::new("Required field 'expiry' or 'ttl' missing")),
    };
    let pubkey = params::one_of_alias("pubkey", fields.pubkey, "pubKey", pubkey_alias)?;

    let (account, signed) = if fields.signature.is_some() {
        let (account, credentials) = AuthFields {
            pubkey: Some(pubkey),
            ..fields
        }
        .load()?;
        (
            account,
            Some((credentials, sig_timestamp.unwrap_or(timestamp_ms))),
        )
    } else {
        (auth::load_account(Some(pubkey))?, None)
    };

    let data = params::require("data", data)?;
    if !encoding::is_base64(data) {
        return Err(ParseError::new("Invalid 'data' value: not base64 encoded"));
    }
    if data.len() > MAX_MESSAGE_BODY / 3 * 4 {
        return Err(ParseError(format!(
            "Message body exceeds maximum allowed length of {MAX_MESSAGE_BODY} bytes"
        )));
    }
    Ok(StoreRequest {
        account,
        namespace: namespace.unwrap_or(0),
        timestamp_ms,
        expiry_ms,
        data: encoding::decode_base64(data),
        signed,
    })
}

/// One member's checks and store.
fn execute(network: &Network, node: &Node, request: &StoreRequest, _role: Role) -> MemberOutcome {
    if let Some(misdirected) = reply::check_swarm(network, node, &request.account) {
        return Err(misdirected);
    }
    let public_inbox = namespace::is_public_inbox(request.namespace);
    let ttl = request.expiry_ms.wrapping_sub(request.timestamp_ms);
    let max_ttl = if public_inbox {
        TTL_MAXIMUM_MS
    } else {
        TTL_MAXIMUM_PRIVATE_MS
    };
    if !(TTL_MINIMUM_MS..=max_ttl).contains(&ttl) {
        return Err(reply::text(403, "Provided expiry/TTL is not valid."));
    }
    let now = timing::now_ms(node);
    if request.timestamp_ms > now + STORE_TOLERANCE_MS
        || request.expiry_ms < now - STORE_TOLERANCE_MS
    {
        return Err(reply::text(406, "Timestamp error: check your clock"));
    }
    if !public_inbox {
        let Some((credentials, sig_timestamp)) = &request.signed else {
            return Err(reply::text(
                401,
                format!(
                    "store: signature required to store to namespace {}",
                    request.namespace
                ),
            ));
        };
        if outside_window(*sig_timestamp, now, SIGNATURE_TOLERANCE_MS) {
            return Err(reply::text(
                406,
                "store signature timestamp too far from current time",
            ));
        }
        let mut access = Access::WRITE;
        if namespace::is_public_outbox(request.namespace) {
            // Storing to an outbox deletes what was there, so it needs delete access too.
            access = access.and(Access::DELETE);
        }
        let message = format!(
            "store{}{sig_timestamp}",
            namespace::signed_form(request.namespace)
        );
        reply::unless_verified(
            auth::verify(
                node.storage(),
                &request.account,
                credentials,
                access,
                false,
                message.as_bytes(),
            ),
            "store signature verification failed",
        )?;
    }

    let hash = message_hash(&request.account, request.namespace, &request.data);
    let stored = node.storage().store(StoredMessage {
        account: request.account,
        namespace: request.namespace,
        hash: hash.clone(),
        timestamp_ms: u64::try_from(request.timestamp_ms).unwrap_or(0),
        expiry_ms: u64::try_from(request.expiry_ms).unwrap_or(0),
        data: request.data.clone(),
    });
    let outcome = match stored {
        Ok(outcome) => outcome,
        Err(error) => return Ok(Err(error)),
    };
    if namespace::is_public_outbox(request.namespace)
        && let Err(error) = node
            .storage()
            .delete_others(&request.account, request.namespace, &hash)
    {
        return Ok(Err(error));
    }
    let mut entry = json!({
        "hash": hash,
        "signature": recursive::member_signature(node, hash.as_bytes()),
    });
    match outcome {
        StoreOutcome::New => entry["expiry"] = json!(request.expiry_ms),
        StoreOutcome::Already { expiry_ms } => {
            entry["expiry"] = json!(expiry_ms);
            entry["already"] = json!(true);
        }
    }
    Ok(Ok(entry))
}

/// Runs `store` with `node` as the entry node.
pub(crate) async fn handle(network: &Network, node: &Node, request: &StoreRequest) -> RpcReply {
    let now = node.clock().now_ms();
    let outcome = match recursive::run(network, node, request, execute).await {
        Ok(outcome) => outcome,
        Err(rejected) => return rejected,
    };
    let status = outcome.status();
    let mut swarm = outcome.swarm;
    let mut body = Map::new();
    if let Some(Value::Object(own)) = swarm.get_mut(&outcome.entry_key) {
        if let Some(hash) = own.get("hash").filter(|_| !own.contains_key("failed")) {
            body.insert("hash".to_owned(), hash.clone());
        }
        // Deprecated, but clients may read it: the entry node's time inside its own entry.
        own.insert("t".to_owned(), json!(now));
    }
    body.insert("swarm".to_owned(), Value::Object(swarm));
    reply::json(status, reply::stamp(Value::Object(body), now))
}
