//! The exact byte strings clients sign for each storage RPC (storage server §5.1): ASCII
//! concatenation, no separators. They are public so callers with their own signing (a
//! hardware key, a libsession-style blinded subaccount) can sign what the server checks.

use crate::rpc::namespace::{NamespaceScope, signed_form};
use crate::rpc::subaccount_token::SubaccountToken;

/// How an `expire` may move expiries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ExpireMode {
    /// Set the expiry either way (empty in the signed string).
    #[default]
    Any,
    /// Only make expiries earlier (`shorten`).
    Shorten,
    /// Only make expiries later (`extend`).
    Extend,
}

impl ExpireMode {
    /// The word in the signed string: `shorten`, `extend` or nothing.
    pub const fn signed_form(self) -> &'static str {
        match self {
            Self::Any => "",
            Self::Shorten => "shorten",
            Self::Extend => "extend",
        }
    }
}

/// `"store" ‖ NS ‖ SIG_TS`.
pub fn store(namespace: i16, sig_timestamp_ms: u64) -> Vec<u8> {
    format!("store{}{sig_timestamp_ms}", signed_form(namespace)).into_bytes()
}

/// `"retrieve" ‖ NS ‖ timestamp`.
pub fn retrieve(namespace: i16, timestamp_ms: u64) -> Vec<u8> {
    format!("retrieve{}{timestamp_ms}", signed_form(namespace)).into_bytes()
}

/// `"delete" ‖ hash₀ ‖ hash₁ ‖ …` in request order (no timestamp: it is replayable).
pub fn delete<S: AsRef<str>>(hashes: &[S]) -> Vec<u8> {
    concat("delete", hashes)
}

/// `"delete_all" ‖ NS ‖ timestamp`, NS empty / decimal / `all`.
pub fn delete_all(scope: NamespaceScope, timestamp_ms: u64) -> Vec<u8> {
    format!("delete_all{}{timestamp_ms}", scope.signed_form()).into_bytes()
}

/// `"delete_before" ‖ NS ‖ before`.
pub fn delete_before(scope: NamespaceScope, before_ms: u64) -> Vec<u8> {
    format!("delete_before{}{before_ms}", scope.signed_form()).into_bytes()
}

/// `"expire_all" ‖ NS ‖ expiry`.
pub fn expire_all(scope: NamespaceScope, expiry_ms: u64) -> Vec<u8> {
    format!("expire_all{}{expiry_ms}", scope.signed_form()).into_bytes()
}

/// `"expire" ‖ MODE ‖ EXPIRY ‖ hash₀ ‖ …`, EXPIRY the decimal of the one expiry or the
/// decimals of all expiries concatenated.
pub fn expire<S: AsRef<str>>(mode: ExpireMode, expiries_ms: &[u64], hashes: &[S]) -> Vec<u8> {
    let mut head = format!("expire{}", mode.signed_form());
    for expiry in expiries_ms {
        head.push_str(&expiry.to_string());
    }
    concat(&head, hashes)
}

/// `"get_expiries" ‖ timestamp ‖ hash₀ ‖ …`.
pub fn get_expiries<S: AsRef<str>>(timestamp_ms: u64, hashes: &[S]) -> Vec<u8> {
    concat(&format!("get_expiries{timestamp_ms}"), hashes)
}

/// `"revoke_subaccount" ‖ timestamp ‖ token₀ ‖ …`, tokens as their raw 36 bytes.
pub fn revoke_subaccount(timestamp_ms: u64, tokens: &[SubaccountToken]) -> Vec<u8> {
    with_tokens(&format!("revoke_subaccount{timestamp_ms}"), tokens)
}

/// `"unrevoke_subaccount" ‖ timestamp ‖ token₀ ‖ …`, tokens as their raw 36 bytes.
pub fn unrevoke_subaccount(timestamp_ms: u64, tokens: &[SubaccountToken]) -> Vec<u8> {
    with_tokens(&format!("unrevoke_subaccount{timestamp_ms}"), tokens)
}

/// `head` followed by every string.
fn concat<S: AsRef<str>>(head: &str, parts: &[S]) -> Vec<u8> {
    let mut message = head.as_bytes().to_vec();
    for part in parts {
        message.extend_from_slice(part.as_ref().as_bytes());
    }
    message
}

/// `head` followed by every token's raw bytes.
fn with_tokens(head: &str, tokens: &[SubaccountToken]) -> Vec<u8> {
    let mut message = head.as_bytes().to_vec();
    for token in tokens {
        message.extend_from_slice(token.as_bytes());
    }
    message
}
