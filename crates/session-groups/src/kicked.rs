//! Kicked notices, stored in the group's namespace -11 (which revoked members may still
//! read): one multi-recipient container (`SessionGroupKickedMessage` domain, from the group's
//! key) in which each removed member finds `their X25519 key (32) || ascii(generation)`, the
//! current key generation when they were removed (desktop and Android build it this way).

use rand_core::CryptoRng;
use session_identity::{IdPrefix, Keypair, SessionId};
use session_protocol::multi_encrypt;

use crate::constants::KICKED_DOMAIN;
use crate::error::KickedError;

/// Builds the notice for `removed` members at key generation `generation`.
///
/// # Errors
///
/// [`KickedError::MemberPrefix`] for a non-`05` member.
pub fn encrypt<R: CryptoRng + ?Sized>(
    rng: &mut R,
    group: &Keypair,
    removed: &[SessionId],
    generation: i64,
) -> Result<Vec<u8>, KickedError> {
    if let Some(bad) = removed.iter().find(|m| m.prefix() != IdPrefix::Standard) {
        return Err(KickedError::MemberPrefix(bad.prefix()));
    }
    let recipients: Vec<[u8; 32]> = removed.iter().map(|m| *m.key_bytes()).collect();
    let messages: Vec<Vec<u8>> = recipients
        .iter()
        .map(|key| [key.as_slice(), generation.to_string().as_bytes()].concat())
        .collect();
    Ok(multi_encrypt::encrypt_for_multiple_simple_ed25519(
        rng,
        &messages,
        &recipients,
        group,
        KICKED_DOMAIN,
        None,
        0,
    )?)
}

/// If the notice names `member`, the generation at which they were removed; `None` when it
/// names someone else.
///
/// # Errors
///
/// [`KickedError::MultiEncrypt`] when it is not addressed to us (or is not a container);
/// [`KickedError::Malformed`] for a payload that is not `key || generation`.
pub fn decrypt(
    data: &[u8],
    member: &Keypair,
    group_pk: &[u8; 32],
) -> Result<Option<i64>, KickedError> {
    let plain =
        multi_encrypt::decrypt_for_multiple_simple_ed25519(data, member, group_pk, KICKED_DOMAIN)?;
    let (key, generation) = plain.split_at_checked(32).ok_or(KickedError::Malformed)?;
    let generation: i64 = core::str::from_utf8(generation)
        .ok()
        .filter(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|g| g.parse().ok())
        .ok_or(KickedError::Malformed)?;
    Ok((key == member.x25519_public()).then_some(generation))
}
