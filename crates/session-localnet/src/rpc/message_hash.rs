//! The hash a stored message is known by (`storage-server.md` §9): unpadded base64 of
//! BLAKE2b-256 over the prefixed account, the namespace as signed strings write it, and the
//! data. Timestamps are not hashed, so identical data to one place deduplicates.

use super::encoding;
use super::namespace;
use super::params::{self, ParseError, Parsed};
use crate::account::AccountId;

/// The 43-character hash of `data` stored for `account` in `namespace`.
pub(crate) fn message_hash(account: &AccountId, namespace: i16, data: &[u8]) -> String {
    let namespace = namespace::signed_form(namespace);
    let digest =
        session_crypto::blake2b::hash::<32>(&[account.as_bytes(), namespace.as_bytes(), data]);
    encoding::encode_base64_unpadded(&digest)
}

/// Whether `hash` looks like a message hash: 43 base64 characters.
pub(crate) fn is_valid(hash: &str) -> bool {
    hash.len() == 43 && encoding::is_base64(hash)
}

/// Requested hashes must be non-empty and each look like a hash.
pub(crate) fn require_hashes(
    messages: Option<Vec<String>>,
    check_each: bool,
) -> Parsed<Vec<String>> {
    let messages = params::require("messages", messages)?;
    if messages.is_empty() {
        return Err(ParseError::new(
            "messages does not contain any message hashes",
        ));
    }
    if check_each && let Some(bad) = messages.iter().find(|hash| !is_valid(hash)) {
        return Err(ParseError(format!("invalid message hash: {bad}")));
    }
    Ok(messages)
}
