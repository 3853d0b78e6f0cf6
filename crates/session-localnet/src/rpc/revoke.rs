//! `revoke_subaccount` and `unrevoke_subaccount` (`storage-server.md` §6.12): the owner (never
//! a subaccount) adds tokens to, or removes them from, the account's revocation list on every
//! swarm member.

use serde_json::{Map, Value, json};

use super::auth::{self, Credentials};
use super::params::{self, ParseError, Parsed};
use super::recursive::{self, MemberOutcome, Role};
use super::reply::{self, RpcReply};
use super::subaccount::{self, Access, Token};
use super::timing::{self, SIGNATURE_TOLERANCE_MS, outside_window};
use crate::account::AccountId;
use crate::network::Network;
use crate::node::Node;

/// The most tokens one `revoke_subaccount` may name.
const MAX_TOKENS_PER_REVOKE: usize = 50;

/// Whether tokens are being revoked or reinstated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// `revoke_subaccount`.
    Revoke,
    /// `unrevoke_subaccount`.
    Unrevoke,
}

impl Direction {
    /// The method name, which also starts the signed string and the error texts.
    const fn method(self) -> &'static str {
        match self {
            Self::Revoke => "revoke_subaccount",
            Self::Unrevoke => "unrevoke_subaccount",
        }
    }

    /// The params field listing the tokens.
    const fn field(self) -> &'static str {
        match self {
            Self::Revoke => "revoke",
            Self::Unrevoke => "unrevoke",
        }
    }
}

/// A parsed revoke or unrevoke.
#[derive(Debug, Clone)]
pub(crate) struct RevocationRequest {
    direction: Direction,
    account: AccountId,
    credentials: Credentials,
    tokens: Vec<Token>,
    timestamp_ms: i64,
}

fn parse_tokens(direction: Direction, texts: &[String]) -> Parsed<Vec<Token>> {
    texts
        .iter()
        .map(|text| {
            subaccount::parse_token_text(text).ok_or_else(|| {
                ParseError(format!(
                    "invalid {}: expected base64 or hex-encoded subaccount tag",
                    direction.field()
                ))
            })
        })
        .collect()
}

/// Parses revoke/unrevoke params (subaccount fields are not read: only the owner may do this).
pub(crate) fn parse(
    direction: Direction,
    params: &Map<String, Value>,
) -> Parsed<RevocationRequest> {
    let pubkey = params::string(params, "pubkey")?;
    let pubkey_ed25519 = params::string(params, "pubkey_ed25519")?;
    // Fields are read in alphabetical order, and "revoke" sorts before "signature" but
    // "unrevoke" after "timestamp".
    let revoke = match direction {
        Direction::Revoke => params::string_list(params, "revoke")?,
        Direction::Unrevoke => None,
    };
    let signature = params::string(params, "signature")?;
    let timestamp = params::timestamp(params, "timestamp")?;
    let unrevoke = match direction {
        Direction::Revoke => None,
        Direction::Unrevoke => params::string_list(params, "unrevoke")?,
    };
    let (account, credentials) = auth::load_signed(pubkey, pubkey_ed25519, signature)?;
    let (tokens, timestamp_ms) = match direction {
        Direction::Revoke => {
            let texts = params::require("revoke", revoke)?;
            if texts.len() > MAX_TOKENS_PER_REVOKE {
                return Err(ParseError(format!(
                    "invalid revoke: cannot revoke more than {MAX_TOKENS_PER_REVOKE} subaccounts at once"
                )));
            }
            let tokens = parse_tokens(direction, &texts)?;
            (tokens, params::require("timestamp", timestamp)?)
        }
        Direction::Unrevoke => {
            let timestamp_ms = params::require("timestamp", timestamp)?;
            let texts = params::require("unrevoke", unrevoke)?;
            (parse_tokens(direction, &texts)?, timestamp_ms)
        }
    };
    Ok(RevocationRequest {
        direction,
        account,
        credentials,
        tokens,
        timestamp_ms,
    })
}

fn execute(
    network: &Network,
    node: &Node,
    request: &RevocationRequest,
    _role: Role,
) -> MemberOutcome {
    if let Some(misdirected) = reply::check_swarm(network, node, &request.account) {
        return Err(misdirected);
    }
    let method = request.direction.method();
    if outside_window(
        request.timestamp_ms,
        timing::now_ms(node),
        SIGNATURE_TOLERANCE_MS,
    ) {
        return Err(reply::text(
            406,
            format!("{method} timestamp too far from current time"),
        ));
    }
    let mut message = format!("{method}{}", request.timestamp_ms).into_bytes();
    for token in &request.tokens {
        message.extend_from_slice(token);
    }
    reply::unless_verified(
        auth::verify(
            node.storage(),
            &request.account,
            &request.credentials,
            Access::NONE,
            false,
            &message,
        ),
        &format!("{method} signature verification failed"),
    )?;
    let mut entry = Map::new();
    match request.direction {
        Direction::Revoke => {
            if let Err(error) = node.storage().revoke(&request.account, &request.tokens) {
                return Ok(Err(error));
            }
        }
        Direction::Unrevoke => match node.storage().unrevoke(&request.account, &request.tokens) {
            Ok(count) => {
                entry.insert("count".to_owned(), json!(count));
            }
            Err(error) => return Ok(Err(error)),
        },
    }
    let mut signed = format!("{}{}", request.account.to_hex(), request.timestamp_ms).into_bytes();
    for token in &request.tokens {
        signed.extend_from_slice(token);
    }
    entry.insert(
        "signature".to_owned(),
        json!(recursive::member_signature(node, &signed)),
    );
    Ok(Ok(Value::Object(entry)))
}

/// Runs revoke/unrevoke with `node` as the entry node.
pub(crate) async fn handle(
    network: &Network,
    node: &Node,
    request: &RevocationRequest,
) -> RpcReply {
    recursive::run_to_reply(network, node, request, execute).await
}
