//! A group's swarm round trips: storing what the group state pushes (in its order, the key
//! message first, in one `sequence`), posting messages, and revoking members' subaccounts.

use std::sync::atomic::{AtomicU64, Ordering};

use session_groups::ConfigPush;
use session_groups::revoke::{Revocation, RevocationKind};

use crate::client::SwarmClient;
use crate::groups::error::GroupError;
use crate::groups::state::GroupState;
use crate::rpc::batch::MAX_SUBREQUESTS;
use crate::rpc::{
    Auth, Call, Delete, Lifetime, Reply, Request, Signer, Store, StoreResult, SubaccountToken,
};

/// Config and key messages live 30 days.
pub(crate) const CONFIG_TTL_MS: u64 = 30 * 24 * 3600 * 1000;
/// Group messages and kicked notices live 14 days.
pub(crate) const MESSAGE_TTL_MS: u64 = 14 * 24 * 3600 * 1000;

/// One message to store and the push it belongs to.
struct Part<'a> {
    push: usize,
    namespace: i16,
    data: &'a [u8],
}

/// Stores `pushes` in order (one `sequence` per 20 subrequests, the deletion of the
/// obsolete hashes last), signed as `state`'s signer, and confirms each stored push to the
/// group state (a key message is loaded back).
///
/// # Errors
///
/// The network's errors, [`GroupError::Unconfirmed`] when too few members confirmed a
/// store (the pushes confirmed stay confirmed; the group state pushes the rest again).
pub(crate) async fn push(
    client: &SwarmClient,
    state: &mut GroupState,
    pushes: &[ConfigPush],
    majority: bool,
) -> Result<(), GroupError> {
    if pushes.is_empty() {
        return Ok(());
    }
    let signer = state.signer()?;
    let parts: Vec<Part<'_>> = pushes
        .iter()
        .enumerate()
        .flat_map(|(push, p)| {
            p.messages.iter().map(move |data| Part {
                push,
                namespace: p.namespace,
                data,
            })
        })
        .collect();
    let obsolete: Vec<&str> = pushes
        .iter()
        .flat_map(|p| p.obsolete_hashes.iter().map(String::as_str))
        .collect();
    let mut hashes: Vec<Option<Vec<String>>> = pushes.iter().map(|_| Some(Vec::new())).collect();
    let mut failure = None;
    let mut stored_at = 0;
    let chunks: Vec<&[Part<'_>]> = parts.chunks(MAX_SUBREQUESTS - 1).collect();
    for (index, chunk) in chunks.iter().enumerate() {
        let delete = (index + 1 == chunks.len() && !obsolete.is_empty()).then_some(&obsolete);
        let (now_ms, outcomes) = store_chunk(client, &signer, chunk, delete, majority).await?;
        stored_at = now_ms;
        for (part, outcome) in chunk.iter().zip(outcomes) {
            match outcome {
                Ok(hash) => {
                    if let Some(list) = &mut hashes[part.push] {
                        list.push(hash);
                    }
                }
                Err(error) => {
                    hashes[part.push] = None;
                    failure.get_or_insert(error);
                }
            }
        }
    }
    let timestamp = i64::try_from(stored_at).unwrap_or(i64::MAX);
    for (push, stored) in pushes.iter().zip(hashes) {
        if let Some(stored) = stored {
            state.group.confirm_pushed(push, &stored, timestamp)?;
        }
    }
    match failure {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// One sequence: the stores of `parts`, then the deletion; returns the signing time and
/// each store's hash or failure.
async fn store_chunk(
    client: &SwarmClient,
    signer: &Signer,
    parts: &[Part<'_>],
    delete: Option<&Vec<&str>>,
    majority: bool,
) -> Result<(u64, Vec<Result<String, GroupError>>), GroupError> {
    let signed_at = AtomicU64::new(0);
    let lifetime = Lifetime::Ttl(CONFIG_TTL_MS);
    let answer = client
        .sequence(signer.account(), |now_ms| {
            signed_at.store(now_ms, Ordering::Relaxed);
            let mut requests: Vec<Request> = parts
                .iter()
                .map(|part| {
                    Store::new(
                        Auth::Signed(signer),
                        part.namespace,
                        part.data,
                        lifetime,
                        now_ms,
                    )
                    .map(|s| s.request().clone())
                })
                .collect::<crate::Result<_>>()?;
            if let Some(hashes) = delete {
                requests.push(Delete::new(signer, hashes)?.request().clone());
            }
            Ok(requests)
        })
        .await?;
    let now_ms = signed_at.load(Ordering::Relaxed);
    let mut outcomes = Vec::with_capacity(parts.len());
    for (index, part) in parts.iter().enumerate() {
        outcomes.push(match answer.results.get(index) {
            Some(sub) => {
                let parser = Store::new(
                    Auth::Signed(signer),
                    part.namespace,
                    part.data,
                    lifetime,
                    now_ms,
                )?;
                match parser.parse_reply(sub.reply())? {
                    Reply::Ok(stored) => confirmed(&stored, majority).map(|()| stored.hash),
                    other => other
                        .into_result()
                        .map(|_| String::new())
                        .map_err(GroupError::from),
                }
            }
            // A sequence stops at its first failure.
            None => Err(GroupError::Swarm(crate::Error::NotStored { members: 0 })),
        });
    }
    if delete.is_some()
        && let Some(sub) = answer.results.get(parts.len())
        && !(200..300).contains(&sub.code)
    {
        // The obsolete messages expire on their own; a failed deletion costs space only.
        tracing::debug!(code = sub.code, "deleting obsolete group configs failed");
    }
    Ok((now_ms, outcomes))
}

/// Posts `data` to `namespace` of the group `signer` signs for, living `ttl_ms`.
///
/// # Errors
///
/// The network's errors; [`GroupError::Unconfirmed`] when too few members confirmed.
pub(crate) async fn post(
    client: &SwarmClient,
    signer: &Signer,
    namespace: i16,
    data: &[u8],
    ttl_ms: u64,
    majority: bool,
) -> Result<StoreResult, GroupError> {
    let stored = client
        .store(Auth::Signed(signer), namespace, data, Lifetime::Ttl(ttl_ms))
        .await?;
    confirmed(&stored, majority)?;
    Ok(stored)
}

/// Sends the revocations (or restorations) the group state asked for, signed afresh with
/// the network clock by the group key (their own signatures are for the time they were
/// made; a retry after a clock resync needs a new one).
///
/// # Errors
///
/// [`GroupError::NotAdmin`], the network's errors.
pub(crate) async fn revoke(
    client: &SwarmClient,
    state: &GroupState,
    revocations: &[Revocation],
) -> Result<(), GroupError> {
    if revocations.is_empty() {
        return Ok(());
    }
    let signer = Signer::group_admin(state.admin_keypair()?.clone());
    for revocation in revocations {
        let tokens: Vec<SubaccountToken> = revocation
            .tokens
            .iter()
            .map(|token| SubaccountToken::from_bytes(token.0))
            .collect();
        if tokens.is_empty() {
            continue;
        }
        match revocation.kind {
            RevocationKind::Revoke => client.revoke_subaccount(&signer, &tokens).await?,
            RevocationKind::Unrevoke => client.unrevoke_subaccount(&signer, &tokens).await?,
        };
    }
    Ok(())
}

/// Whether enough members confirmed `stored`: a majority, or one.
fn confirmed(stored: &StoreResult, majority: bool) -> Result<(), GroupError> {
    let members = stored.members.len();
    let confirmed = stored.members.verified().count();
    let needed = if majority { members / 2 + 1 } else { 1 };
    if confirmed < needed.max(1) {
        return Err(GroupError::Unconfirmed {
            confirmed,
            members,
            needed,
        });
    }
    Ok(())
}
