//! Group-signed bencoded dictionaries (key messages): the signature sits under `~`, the last
//! key, and covers the dictionary's bytes up to that entry, as in config messages.

use session_bt::Value;
use session_crypto::ed25519;
use session_identity::Keypair;

use crate::error::KeysError;

/// Appends `1:~ 64:<signature>` and the closing `e` to a dictionary written without its `e`.
pub(crate) fn sign(group: &Keypair, mut unterminated: Vec<u8>) -> Vec<u8> {
    let signature = group.sign(&unterminated);
    unterminated.extend_from_slice(b"1:~64:");
    unterminated.extend_from_slice(&signature);
    unterminated.push(b'e');
    unterminated
}

/// Removes the closing `e` of a complete dictionary so that a signature can follow.
pub(crate) fn unterminate(mut dict: Vec<u8>) -> Vec<u8> {
    dict.pop();
    dict
}

/// Checks that `~` is the last entry, is 64 bytes, and verifies over the bytes before it.
pub(crate) fn verify(dict: &Value<'_>, group_pk: &[u8; 32]) -> Result<(), KeysError> {
    let entries = dict
        .as_dict()
        .ok_or(KeysError::Malformed("not a dict"))?
        .entries();
    let last = entries.last().ok_or(KeysError::BadSignature)?;
    if last.key() != b"~" {
        return Err(KeysError::BadSignature);
    }
    let signature: &[u8; 64] = last
        .value()
        .as_bytes()
        .and_then(|s| s.try_into().ok())
        .ok_or(KeysError::BadSignature)?;
    let signed = dict.dict_prefix(b"~").ok_or(KeysError::BadSignature)?;
    ed25519::verify(signature, group_pk, signed).map_err(|_| KeysError::BadSignature)
}
