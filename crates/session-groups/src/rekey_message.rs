//! Building a full key message (`rekey`, libsession-util.md §12.2), deterministically so that
//! concurrent admins produce identical bytes:
//!
//! - `H2 = BLAKE2b-32(key = "SessionGroupKeySeed", seed)`;
//! - `H1 = BLAKE2b-56(key = "SessionGroupKeyGen", sid_hex_0 || ... || ascii(gen) || H2)` over
//!   every member (admins included) in ascending order; key `H1[..32]`, nonce `H1[32..]`;
//! - `K` = the key encrypted under `BLAKE2b-32(key = "SessionGroupKeyAdminKey", seed)`;
//! - `k` = one copy per member by multi-recipient encryption from the group's X25519 key,
//!   unusable members skipped, then junk copies up to a multiple of 75 drawn from
//!   `randombytes_buf_deterministic(BLAKE2b-32(key = "SessionGroupJunkMembers", H1 || sk64))`;
//! - the dictionary `{"#", "G", "K", "k"}`, signed by the group under `~`.

use session_crypto::{aead, blake2b};
use session_identity::{IdPrefix, Keypair, SessionId};
use session_protocol::multi_encrypt::{self, InvalidRecipients};
use zeroize::Zeroizing;

use crate::constants::{
    ADMIN_KEY_HASH_KEY, JUNK_SEED_HASH_KEY, KEY_COPY_LEN, KEY_GEN_HASH_KEY, MEMBER_KEY_DOMAIN,
    MEMBER_KEY_MULTIPLE, SEED_HASH_KEY,
};
use crate::error::KeysError;
use crate::secret::{GroupKey, seed_hash};
use crate::{junk, signed_dict};

/// A freshly built full key message and the key it distributes.
pub(crate) struct Built {
    pub(crate) message: Vec<u8>,
    pub(crate) key: GroupKey,
}

/// The member IDs sorted and de-duplicated, checked to be `05` IDs.
pub(crate) fn sorted_members(members: &[SessionId]) -> Result<Vec<SessionId>, KeysError> {
    if let Some(bad) = members.iter().find(|m| m.prefix() != IdPrefix::Standard) {
        return Err(KeysError::MemberPrefix(bad.prefix()));
    }
    let mut sorted = members.to_vec();
    // Byte order of the 33-byte IDs is the order of their lower-case hex.
    sorted.sort_unstable();
    sorted.dedup();
    Ok(sorted)
}

/// Builds the key message of `generation` for `members` (already sorted, see
/// [`sorted_members`]).
pub(crate) fn build(
    group: &Keypair,
    members: &[SessionId],
    generation: i64,
) -> Result<Built, KeysError> {
    let seed = group.ed25519_seed();
    let h2 = seed_hash(SEED_HASH_KEY, &seed);
    let hexes: Vec<String> = members.iter().map(ToString::to_string).collect();
    let generation_text = generation.to_string();
    let mut parts: Vec<&[u8]> = hexes.iter().map(String::as_bytes).collect();
    parts.push(generation_text.as_bytes());
    parts.push(h2.as_slice());
    let h1 = Zeroizing::new(blake2b::hash_keyed::<56, 18>(KEY_GEN_HASH_KEY, &parts));

    let mut key_bytes = Zeroizing::new([0u8; 32]);
    key_bytes.copy_from_slice(&h1[..32]);
    let key = GroupKey::from_bytes(*key_bytes);
    let mut nonce = [0u8; 24];
    nonce.copy_from_slice(&h1[32..]);

    let admin_key = GroupKey::from_bytes(*seed_hash(ADMIN_KEY_HASH_KEY, &seed));
    let admin_copy = aead::xchacha20poly1305_encrypt(&admin_key, &nonce, &[], key.expose_secret())?;

    let recipients: Vec<[u8; 32]> = members.iter().map(|m| *m.key_bytes()).collect();
    let mut copies: Vec<Vec<u8>> = Vec::with_capacity(members.len() + MEMBER_KEY_MULTIPLE);
    multi_encrypt::encrypt_for_multiple_with(
        &[key.expose_secret()],
        &recipients,
        &nonce,
        group.x25519_secret(),
        MEMBER_KEY_DOMAIN,
        InvalidRecipients::Skip,
        |_, copy| copies.push(copy.to_vec()),
    )?;
    let short = copies.len() % MEMBER_KEY_MULTIPLE;
    if short != 0 {
        let n_junk = MEMBER_KEY_MULTIPLE - short;
        let secret_key = group.libsodium_secret_key();
        let junk_seed = Zeroizing::new(blake2b::hash_keyed::<32, 23>(
            JUNK_SEED_HASH_KEY,
            &[h1.as_slice(), secret_key.as_slice()],
        ));
        let mut junk_bytes = vec![0u8; n_junk * KEY_COPY_LEN];
        junk::fill(&junk_seed, &mut junk_bytes);
        copies.extend(junk_bytes.chunks(KEY_COPY_LEN).map(<[u8]>::to_vec));
    }

    let mut dict = Vec::with_capacity(200 + copies.len() * (KEY_COPY_LEN + 3));
    session_bt::write_dict(&mut dict, |d| {
        d.bytes(b"#", &nonce);
        d.int(b"G", generation);
        d.bytes(b"K", &admin_copy);
        d.list(b"k", |list| {
            for copy in &copies {
                list.bytes(copy);
            }
        });
    })?;
    Ok(Built {
        message: signed_dict::sign(group, signed_dict::unterminate(dict)),
        key,
    })
}
