//! The expiry methods (`storage-server.md` §6.9–6.11): `expire_all` (only shortens),
//! `expire` of listed messages (set, shorten-only or extend-only, one expiry or one per
//! message) and `get_expiries`.

use serde_json::{Map, Value, json};

use super::auth::{self, AuthFields, Credentials};
use super::bulk::{BulkAction, BulkRequest};
use super::message_hash;
use super::params::{self, ParseError, Parsed};
use super::recursive::{self, MemberOutcome, Role};
use super::reply::{self, RpcReply};
use super::subaccount::Access;
use super::timing::{self, SIGNATURE_TOLERANCE_MS, TTL_MAXIMUM_PRIVATE_MS, outside_window};
use crate::account::AccountId;
use crate::network::Network;
use crate::node::Node;
use crate::storage::ExpireMode;

/// `expire_all`: brings every later expiry in the namespace forward to a time not yet past.
static EXPIRE_ALL: BulkAction = BulkAction {
    method: "expire_all",
    time_field: "expiry",
    listed_as: "updated",
    check_time: |expiry, now, role| {
        (expiry < now - role.tolerance())
            .then(|| reply::text(406, "expire_all timestamp should be >= current time"))
    },
    act: |storage, account, namespaces, expiry| {
        storage.shorten_all(account, namespaces, u64::try_from(expiry).unwrap_or(0))
    },
};

/// Parses `expire_all` params.
pub(crate) fn parse_expire_all(params: &Map<String, Value>) -> Parsed<BulkRequest> {
    let expiry = params::timestamp(params, "expiry")?;
    let namespace = params::namespace_choice(params, "namespace")?;
    let auth = AuthFields::read(params)?;
    BulkRequest::new(&EXPIRE_ALL, auth.load()?, namespace, expiry)
}

/// A parsed `expire`.
#[derive(Debug, Clone)]
pub(crate) struct ExpireRequest {
    account: AccountId,
    credentials: Credentials,
    messages: Vec<String>,
    /// One expiry for every message, or one per message.
    expiries: Vec<i64>,
    shorten: bool,
    extend: bool,
}

/// Parses `expire` params.
pub(crate) fn parse_expire(params: &Map<String, Value>) -> Parsed<ExpireRequest> {
    let expiry = params::timestamp_list(params, "expiry")?;
    let extend = params::boolean(params, "extend")?;
    let messages = params::string_list(params, "messages")?;
    let (auth, shorten) =
        AuthFields::read_with(params, |params| params::boolean(params, "shorten"))?;
    let (account, credentials) = auth.load()?;
    let expiries = params::require("expiry", expiry)?;
    if expiries.is_empty() {
        return Err(ParseError::new(
            "'expiry' does not contain any expiration timestamps",
        ));
    }
    let shorten = shorten.unwrap_or(false);
    let extend = extend.unwrap_or(false);
    if shorten && extend {
        return Err(ParseError::new(
            "cannot specify both 'shorten' and 'extend'",
        ));
    }
    let messages = message_hash::require_hashes(messages, false)?;
    if expiries.len() > 1 && expiries.len() != messages.len() {
        return Err(ParseError::new(
            "'expiry' must be a single expiry, or the same length as 'messages'",
        ));
    }
    if let Some(bad) = messages.iter().find(|hash| !message_hash::is_valid(hash)) {
        return Err(ParseError(format!("invalid message hash: {bad}")));
    }
    Ok(ExpireRequest {
        account,
        credentials,
        messages,
        expiries,
        shorten,
        extend,
    })
}

fn execute_expire(
    network: &Network,
    node: &Node,
    request: &ExpireRequest,
    _role: Role,
) -> MemberOutcome {
    if let Some(misdirected) = reply::check_swarm(network, node, &request.account) {
        return Err(misdirected);
    }
    let now = timing::now_ms(node);
    let mut applied = Vec::with_capacity(request.expiries.len());
    for &expiry in &request.expiries {
        if expiry < now - SIGNATURE_TOLERANCE_MS {
            return Err(reply::text(
                401,
                "expire: timestamp should be >= current time",
            ));
        }
        applied.push(expiry.min(now + TTL_MAXIMUM_PRIVATE_MS));
    }
    let mode_text = if request.shorten {
        "shorten"
    } else if request.extend {
        "extend"
    } else {
        ""
    };
    let mut message = format!("expire{mode_text}");
    for expiry in &request.expiries {
        message.push_str(&expiry.to_string());
    }
    for hash in &request.messages {
        message.push_str(hash);
    }
    reply::unless_verified(
        auth::verify(
            node.storage(),
            &request.account,
            &request.credentials,
            Access::WRITE,
            false,
            message.as_bytes(),
        ),
        "expire: signature verification failed",
    )?;
    let mut extend_only = request.extend;
    if let Some(subaccount) = &request.credentials.subaccount {
        // Shortening to "now" is as good as deleting, so without delete access only
        // extending is allowed (a plain expire quietly becomes extend-only).
        if !subaccount.grants(Access::DELETE) {
            if request.shorten {
                return Err(reply::text(
                    400,
                    "expire: shorten parameter cannot be used with this subaccount token \
                     (missing delete access)",
                ));
            }
            extend_only = true;
        }
    }
    let mode = if request.shorten {
        ExpireMode::Shorten
    } else if extend_only {
        ExpireMode::Extend
    } else {
        ExpireMode::Set
    };
    let targets: Vec<(String, u64)> = request
        .messages
        .iter()
        .enumerate()
        .map(|(index, hash)| {
            let expiry = applied.get(index).or(applied.first()).copied().unwrap_or(0);
            (hash.clone(), u64::try_from(expiry).unwrap_or(0))
        })
        .collect();
    let update = match node
        .storage()
        .update_expiries(&request.account, &targets, mode)
    {
        Ok(update) => update,
        Err(error) => return Ok(Err(error)),
    };
    let mut updated = update.updated;
    updated.sort_by(|a, b| a.0.cmp(&b.0));
    let mut unchanged = update.unchanged;
    unchanged.sort_by(|a, b| a.0.cmp(&b.0));
    let multi = request.expiries.len() > 1;

    let mut signed = request.account.to_hex();
    if multi {
        for (_, expiry) in &updated {
            signed.push_str(&expiry.to_string());
        }
    } else {
        signed.push_str(&applied.first().copied().unwrap_or(0).to_string());
    }
    for hash in &request.messages {
        signed.push_str(hash);
    }
    for (hash, _) in &updated {
        signed.push_str(hash);
    }
    let report_unchanged = request.shorten || request.extend;
    if report_unchanged {
        for (hash, expiry) in &unchanged {
            signed.push_str(hash);
            signed.push_str(&expiry.to_string());
        }
    }

    let mut entry = Map::new();
    let expiry_value = if multi {
        json!(
            updated
                .iter()
                .map(|(_, expiry)| *expiry)
                .collect::<Vec<_>>()
        )
    } else {
        json!(applied.first().copied().unwrap_or(0))
    };
    entry.insert("expiry".to_owned(), expiry_value);
    entry.insert(
        "updated".to_owned(),
        json!(
            updated
                .iter()
                .map(|(hash, _)| hash.clone())
                .collect::<Vec<_>>()
        ),
    );
    if report_unchanged {
        let unchanged: Map<String, Value> = unchanged
            .into_iter()
            .map(|(hash, expiry)| (hash, json!(expiry)))
            .collect();
        entry.insert("unchanged".to_owned(), Value::Object(unchanged));
    }
    entry.insert(
        "signature".to_owned(),
        json!(recursive::member_signature(node, signed.as_bytes())),
    );
    Ok(Ok(Value::Object(entry)))
}

/// Runs `expire` with `node` as the entry node.
pub(crate) async fn handle_expire(
    network: &Network,
    node: &Node,
    request: &ExpireRequest,
) -> RpcReply {
    recursive::run_to_reply(network, node, request, execute_expire).await
}

/// A parsed `get_expiries`.
#[derive(Debug, Clone)]
pub(crate) struct GetExpiriesRequest {
    account: AccountId,
    credentials: Credentials,
    messages: Vec<String>,
    timestamp_ms: i64,
}

/// Parses `get_expiries` params (the hashes are not checked: the server does not).
pub(crate) fn parse_get_expiries(params: &Map<String, Value>) -> Parsed<GetExpiriesRequest> {
    let messages = params::string_list(params, "messages")?;
    let auth = AuthFields::read(params)?;
    let timestamp = params::timestamp(params, "timestamp")?;
    let (account, credentials) = auth.load()?;
    let timestamp_ms = params::require("timestamp", timestamp)?;
    let messages = message_hash::require_hashes(messages, false)?;
    Ok(GetExpiriesRequest {
        account,
        credentials,
        messages,
        timestamp_ms,
    })
}

/// Runs `get_expiries` on `node`: `{"expiries": {hash: ms}}`, without `t`/`hf`.
pub(crate) async fn handle_get_expiries(
    network: &Network,
    node: &Node,
    request: &GetExpiriesRequest,
) -> RpcReply {
    if let Some(misdirected) = reply::check_swarm(network, node, &request.account) {
        return misdirected;
    }
    if outside_window(
        request.timestamp_ms,
        timing::now_ms(node),
        SIGNATURE_TOLERANCE_MS,
    ) {
        return reply::text(406, "get_expiries timestamp too far from current time");
    }
    let mut message = format!("get_expiries{}", request.timestamp_ms);
    for hash in &request.messages {
        message.push_str(hash);
    }
    if let Err(rejected) = reply::unless_verified(
        auth::verify(
            node.storage(),
            &request.account,
            &request.credentials,
            Access::READ,
            false,
            message.as_bytes(),
        ),
        "get_expiries signature verification failed",
    ) {
        return rejected;
    }
    match node.storage().expiries(&request.account, &request.messages) {
        Ok(expiries) => {
            let expiries: Map<String, Value> = expiries
                .into_iter()
                .map(|(hash, expiry)| (hash, json!(expiry)))
                .collect();
            reply::json(200, json!({"expiries": expiries}))
        }
        Err(_) => reply::request_failed(),
    }
}
