//! Building a supplemental key message (`key_supplement`, libsession-util.md §12.3): every
//! current key, encrypted once for each new member.
//!
//! The inner plaintext is the bencoded list `[{"g", "k", "t"}, ...]` of all keys (oldest
//! first). The nonce is `BLAKE2b-24(key = "SessionGroupKeyGen", sid_hex_1 || ... || inner ||
//! H2)` over the IDs in the caller's order; the copies are multi-recipient encrypted without
//! junk. The message is `{"#", "+", "G" = newest generation}`, signed under `~`.

use session_crypto::blake2b;
use session_identity::{IdPrefix, Keypair, SessionId};
use session_protocol::multi_encrypt::{self, InvalidRecipients};
use zeroize::Zeroizing;

use crate::constants::{KEY_GEN_HASH_KEY, MEMBER_KEY_DOMAIN, SEED_HASH_KEY};
use crate::error::KeysError;
use crate::key_info::KeyInfo;
use crate::secret::seed_hash;
use crate::signed_dict;

/// Builds the supplement giving `keys` (ascending) to `members`.
pub(crate) fn build(
    group: &Keypair,
    keys: &[KeyInfo],
    members: &[SessionId],
) -> Result<Vec<u8>, KeysError> {
    let newest = keys.last().ok_or(KeysError::NoKeys)?;
    if let Some(bad) = members.iter().find(|m| m.prefix() != IdPrefix::Standard) {
        return Err(KeysError::MemberPrefix(bad.prefix()));
    }
    let mut inner = Zeroizing::new(Vec::with_capacity(keys.len() * 64 + 2));
    session_bt::write_list(&mut inner, |list| {
        for info in keys {
            info.write(list);
        }
    })?;

    let h2 = seed_hash(SEED_HASH_KEY, &group.ed25519_seed());
    let hexes: Vec<String> = members.iter().map(ToString::to_string).collect();
    let mut parts: Vec<&[u8]> = hexes.iter().map(String::as_bytes).collect();
    parts.push(inner.as_slice());
    parts.push(h2.as_slice());
    let nonce = blake2b::hash_keyed::<24, 18>(KEY_GEN_HASH_KEY, &parts);

    let recipients: Vec<[u8; 32]> = members.iter().map(|m| *m.key_bytes()).collect();
    let mut copies = Vec::with_capacity(members.len());
    multi_encrypt::encrypt_for_multiple_with(
        &[inner.as_slice()],
        &recipients,
        &nonce,
        group.x25519_secret(),
        MEMBER_KEY_DOMAIN,
        InvalidRecipients::Skip,
        |_, copy| copies.push(copy.to_vec()),
    )?;
    if copies.is_empty() {
        return Err(KeysError::NoRecipients);
    }

    let mut dict = Vec::new();
    session_bt::write_dict(&mut dict, |d| {
        d.bytes(b"#", &nonce);
        d.list(b"+", |list| {
            for copy in &copies {
                list.bytes(copy);
            }
        });
        d.int(b"G", newest.generation);
    })?;
    Ok(signed_dict::sign(group, signed_dict::unterminate(dict)))
}
