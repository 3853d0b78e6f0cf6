//! `retrieve` (`storage-server.md` §6.2): authenticate unless the namespace is readable by
//! anyone, then page through the stored messages after `last_hash` within the count and size
//! limits.

use serde_json::{Map, Value, json};

use super::auth::{self, AuthFields, Credentials};
use super::encoding;
use super::namespace;
use super::params::{self, ParseError, Parsed};
use super::reply::{self, RpcReply};
use super::subaccount::Access;
use super::timing::{SIGNATURE_TOLERANCE_MS, outside_window};
use crate::account::AccountId;
use crate::network::Network;
use crate::node::Node;
use crate::storage::StoredMessage;

/// The most bytes one answer may carry (base64 estimate), so it fits a 10 MiB network message
/// after a second base64 layer.
const RETRIEVE_MAX_SIZE: i64 = 7_800_000;
/// What each message adds to the size estimate besides its hash and data.
const PER_MESSAGE_OVERHEAD: usize = 100;

/// The length of a message hash, the least a message adds to a page besides its data.
const HASH_LEN: usize = 43;

/// A parsed `retrieve`.
#[derive(Debug, Clone)]
pub(crate) struct RetrieveRequest {
    account: AccountId,
    namespace: i16,
    last_hash: Option<String>,
    max_count: Option<i32>,
    max_size: Option<i32>,
    /// The credentials and signed timestamp, when the request authenticates.
    signed: Option<(Credentials, i64)>,
}

/// Parses `retrieve` params.
pub(crate) fn parse(params: &Map<String, Value>) -> Parsed<RetrieveRequest> {
    let last_hash_alias = params::string(params, "lastHash")?;
    let last_hash = params::string(params, "last_hash")?;
    let max_count = params::int32(params, "max_count")?;
    let max_size = params::int32(params, "max_size")?;
    let namespace = params::namespace(params, "namespace")?;
    let pubkey_alias = params::string(params, "pubKey")?;
    let fields = AuthFields::read(params)?;
    let timestamp = params::timestamp(params, "timestamp")?;

    let pubkey = params::one_of_alias("pubkey", fields.pubkey, "pubKey", pubkey_alias)?;
    let authenticates = fields.pubkey_ed25519.is_some()
        || fields.signature.is_some()
        || timestamp.is_some()
        || namespace.is_some_and(|ns| !namespace::is_no_auth_retrieve(ns));
    let (account, signed) = if authenticates {
        let (account, credentials) = AuthFields {
            pubkey: Some(pubkey),
            ..fields
        }
        .load()?;
        // The server reads an absent timestamp as an empty optional (undefined behaviour);
        // the epoch is what that reads as in practice, which fails the clock check.
        (account, Some((credentials, timestamp.unwrap_or(0))))
    } else {
        (auth::load_account(Some(pubkey))?, None)
    };

    params::at_most_one_of("last_hash", &last_hash, "lastHash", &last_hash_alias)?;
    let last_hash = match last_hash.or(last_hash_alias) {
        None | Some("") => None,
        Some(hash) if hash.len() == 43 => {
            if !encoding::is_base64(hash) {
                return Err(ParseError::new("Invalid last_hash: not base64"));
            }
            Some(hash.to_owned())
        }
        Some(_) => {
            return Err(ParseError::new(
                "Invalid last_hash: expected base64 (43 chars)",
            ));
        }
    };
    Ok(RetrieveRequest {
        account,
        namespace: namespace.unwrap_or(0),
        last_hash,
        max_count,
        max_size,
        signed,
    })
}

/// The byte budget: 0 means unset; neither limit ⇒ a fifth of the maximum; −k ⇒ a k-th.
fn size_budget(max_count: Option<i32>, max_size: Option<i32>) -> usize {
    let budget = match (max_count, max_size) {
        (None, None) => RETRIEVE_MAX_SIZE / 5,
        (_, Some(size)) if size < 0 => RETRIEVE_MAX_SIZE / -i64::from(size),
        (_, Some(size)) => i64::from(size).min(RETRIEVE_MAX_SIZE),
        (Some(_), None) => RETRIEVE_MAX_SIZE,
    };
    usize::try_from(budget).unwrap_or(0)
}

/// How many rows [`page`] can look at: the count's SQL limit, or what fits the size budget
/// at the smallest cost a message can have, and one more (which only sets `more`).
fn fetch_limit(max_count: Option<i32>, budget: usize) -> usize {
    let by_size = budget / (PER_MESSAGE_OVERHEAD + HASH_LEN) + 2;
    match max_count.map(|count| count.wrapping_add(1)) {
        Some(limit) if limit >= 0 => by_size.min(limit as usize),
        _ => by_size,
    }
}

/// The server's page: stop before a message that would pass the count (setting `more`), or
/// that would pass the size budget once one message is in (also `more`).
fn page(
    messages: Vec<StoredMessage>,
    max_count: Option<i32>,
    budget: usize,
) -> (Vec<StoredMessage>, bool) {
    // The count travels as a C++ size_t and then as an SQL LIMIT of `int(count) + 1`, so a
    // negative count is a huge one, and −1 asks SQLite for nothing at all.
    let count_limit = max_count.map(|count| count as i64 as u64);
    let sql_limit = max_count.map(|count| count.wrapping_add(1));
    let fetched: Vec<StoredMessage> = match sql_limit {
        Some(limit) if limit >= 0 => messages.into_iter().take(limit as usize).collect(),
        _ => messages,
    };
    let mut results = Vec::new();
    let mut more = false;
    let mut total = 0usize;
    for message in fetched {
        if count_limit.is_some_and(|limit| results.len() as u64 >= limit) {
            more = true;
            break;
        }
        total += PER_MESSAGE_OVERHEAD + message.hash.len() + message.data.len() * 4 / 3;
        if !results.is_empty() && total > budget {
            more = true;
            break;
        }
        results.push(message);
    }
    (results, more)
}

/// The account key as the server's logs and errors abbreviate it.
fn obfuscated(account: &AccountId) -> String {
    let key = account.key();
    format!("{}…{}", hex::encode(&key[..2]), hex::encode(&key[31..]))
}

/// Runs `retrieve` on `node`.
pub(crate) async fn handle(network: &Network, node: &Node, request: &RetrieveRequest) -> RpcReply {
    if let Some(misdirected) = reply::check_swarm(network, node, &request.account) {
        return misdirected;
    }
    let now = node.clock().now_ms();
    match &request.signed {
        None if !namespace::is_no_auth_retrieve(request.namespace) => {
            return reply::text(401, "retrieve: request signature required");
        }
        None => {}
        Some((credentials, timestamp)) => {
            if outside_window(*timestamp, now as i64, SIGNATURE_TOLERANCE_MS) {
                return reply::text(406, "retrieve timestamp too far from current time");
            }
            let message = format!(
                "retrieve{}{timestamp}",
                namespace::signed_form(request.namespace)
            );
            let verified = auth::verify(
                node.storage(),
                &request.account,
                credentials,
                Access::READ,
                namespace::is_unrevocable(request.namespace),
                message.as_bytes(),
            );
            match verified {
                Ok(true) => {}
                Ok(false) => return reply::text(401, "retrieve signature verification failed"),
                Err(_) => return reply::request_failed(),
            }
        }
    }

    let max_count = request.max_count.filter(|&count| count != 0);
    let max_size = request.max_size.filter(|&size| size != 0);
    let budget = size_budget(max_count, max_size);
    let stored = node.storage().retrieve(
        &request.account,
        request.namespace,
        request.last_hash.as_deref(),
        Some(fetch_limit(max_count, budget)),
    );
    let Ok(stored) = stored else {
        return reply::text(
            500,
            format!(
                "Internal Server Error. Could not retrieve messages for {}",
                obfuscated(&request.account)
            ),
        );
    };
    let (messages, more) = page(stored, max_count, budget);
    let messages: Vec<Value> = messages
        .into_iter()
        .map(|message| {
            json!({
                "hash": message.hash,
                "timestamp": message.timestamp_ms,
                "expiration": message.expiry_ms,
                "data": encoding::encode_base64(&message.data),
            })
        })
        .collect();
    reply::ok_stamped(json!({"messages": messages, "more": more}), now)
}
