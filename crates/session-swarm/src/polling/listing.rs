//! One poll of one account: each member polled gets one `batch` holding a retrieve per
//! namespace (more only for namespaces that said `more`), and the first one also carries
//! the caller's extra subrequest (the config expiry refresh rides along, as clients do).

use std::collections::HashMap;
use std::sync::Arc;

use crate::client::SwarmClient;
use crate::error::Error;
use crate::net::ServiceNode;
use crate::polling::blocking::on_store;
use crate::rpc::{
    Auth, Batch, Call, Reply, Request, Retrieve, RetrievedMessage, Signer, SubResult,
};
use crate::store::{Store, StoreError, WriteBatch};

/// Batches read from one member per poll (each pages every namespace that said `more`);
/// the rest waits for the next poll.
const MAX_PAGES: usize = 10;

/// Which account to poll, as whom, and how.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Target<'a> {
    /// Signs the retrieves; its account is the one polled.
    pub(crate) signer: &'a Signer,
    /// The namespaces, in request order.
    pub(crate) namespaces: &'a [i16],
    /// Members that must answer for the poll to count.
    pub(crate) members: usize,
}

/// A subrequest sent once per poll, with the first member's batch.
#[derive(Clone, Debug)]
pub(crate) struct Extra(pub(crate) Request);

/// What one poll found.
#[derive(Debug, Default)]
pub(crate) struct Listing {
    /// Messages the store has not seen, each once, in the order first listed.
    pub(crate) messages: Vec<(i16, RetrievedMessage)>,
    /// The members' new last hashes, to apply once the messages are handled.
    pub(crate) commit: WriteBatch,
    /// Namespaces a member refused with 401/403 (a revoked group member still reads -11).
    pub(crate) refused: Vec<i16>,
    /// The answer to the extra subrequest, if it was sent.
    pub(crate) extra: Option<SubResult>,
}

/// Why a poll delivered nothing.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PollError {
    /// Too few members answered.
    #[error(transparent)]
    Swarm(#[from] Error),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A store task could not finish.
    #[error("a store task was cancelled")]
    Cancelled,
}

/// One member's answer.
struct MemberListing {
    node: ServiceNode,
    last_hashes: Vec<(i16, String)>,
    messages: Vec<(i16, RetrievedMessage)>,
    refused: Vec<i16>,
    extra: Option<SubResult>,
}

/// Polls `target`'s account once on [`Target::members`] random members.
///
/// # Errors
///
/// [`PollError::Swarm`] when fewer members answered (nothing is delivered: a member that
/// missed a store must never let a later message overtake an earlier one),
/// [`PollError::Store`] when the store fails.
pub(crate) async fn poll(
    client: &SwarmClient,
    store: &Arc<dyn Store>,
    target: Target<'_>,
    extra: Option<Extra>,
) -> Result<Listing, PollError> {
    let account = *target.signer.account();
    let members = client.swarm(&account).await?;
    let wanted = target.members.clamp(1, members.len().max(1));
    let mut order = members;
    shuffle(&mut order);

    let mut listings = Vec::new();
    let mut last_error = None;
    let mut extra = extra;
    for node in order {
        if listings.len() == wanted {
            break;
        }
        match list_member(client, store, target, node, extra.as_ref()).await {
            Ok(listing) => {
                if listing.extra.is_some() {
                    extra = None;
                }
                listings.push(listing);
            }
            Err(error) => last_error = Some(error),
        }
    }
    if listings.len() < wanted {
        return Err(last_error.unwrap_or(PollError::Swarm(Error::NoNodes)));
    }
    let merged = merge(&listings);
    let unseen = drop_seen(store, account, merged).await?;
    let mut outcome = Listing {
        messages: unseen,
        ..Listing::default()
    };
    for listing in &mut listings {
        for (namespace, hash) in &listing.last_hashes {
            outcome
                .commit
                .set_last_hash(&account, *namespace, &listing.node.ed25519, hash);
        }
        for namespace in &listing.refused {
            if !outcome.refused.contains(namespace) {
                outcome.refused.push(*namespace);
            }
        }
        if outcome.extra.is_none() {
            outcome.extra = listing.extra.take();
        }
    }
    Ok(outcome)
}

/// Reads every namespace from `node` after its last hash, following `more`.
async fn list_member(
    client: &SwarmClient,
    store: &Arc<dyn Store>,
    target: Target<'_>,
    node: ServiceNode,
    extra: Option<&Extra>,
) -> Result<MemberListing, PollError> {
    let account = *target.signer.account();
    let namespaces = target.namespaces.to_vec();
    let ed25519 = node.ed25519;
    let starts = on_store(store, move |store| {
        namespaces
            .iter()
            .map(|ns| Ok((*ns, store.last_hash(&account, *ns, &ed25519)?)))
            .collect::<Result<Vec<_>, StoreError>>()
    })
    .await
    .ok_or(PollError::Cancelled)??;
    let auth = Auth::Signed(target.signer);
    let mut listing = MemberListing {
        node,
        last_hashes: Vec::new(),
        messages: Vec::new(),
        refused: Vec::new(),
        extra: None,
    };
    let mut pending = starts;
    let mut extra = extra;
    let mut advanced: HashMap<i16, String> = HashMap::new();
    // Retrieve answers carry no signatures over the request, so any retrieve parses them:
    // an unsigned one (namespace -10 needs no signature) spares a signature per page.
    let parser = Retrieve::new(Auth::Anonymous(account), -10, 0)?;
    for _ in 0..MAX_PAGES {
        if pending.is_empty() && extra.is_none() {
            break;
        }
        let answer = client
            .call_node(&account, &listing.node, |now_ms| {
                let mut requests = pending
                    .iter()
                    .map(|(ns, last)| {
                        retrieve(auth, *ns, last.as_deref(), now_ms).map(|r| r.request().clone())
                    })
                    .collect::<crate::Result<Vec<_>>>()?;
                if let Some(Extra(request)) = extra {
                    requests.push(request.clone());
                }
                Batch::batch(requests)
            })
            .await?;
        let mut next = Vec::new();
        for (index, (namespace, _)) in pending.iter().enumerate() {
            let sub = answer
                .results
                .get(index)
                .ok_or_else(|| Error::Malformed("a batch lost a retrieve".to_owned()))?;
            match parser.parse_reply(sub.reply())? {
                Reply::Ok(page) => {
                    let more = page.more && !page.messages.is_empty();
                    if let Some(last) = page.messages.last() {
                        advanced.insert(*namespace, last.hash.clone());
                    }
                    listing
                        .messages
                        .extend(page.messages.into_iter().map(|m| (*namespace, m)));
                    if more {
                        next.push((*namespace, advanced.get(namespace).cloned()));
                    }
                }
                Reply::Failed(failure) if matches!(failure.status, 401 | 403) => {
                    listing.refused.push(*namespace);
                }
                other => {
                    other.into_result()?;
                }
            }
        }
        if extra.take().is_some() {
            listing.extra = answer.results.get(pending.len()).cloned();
        }
        pending = next;
    }
    listing.last_hashes = advanced.into_iter().collect();
    listing.last_hashes.sort_unstable();
    Ok(listing)
}

/// A retrieve after `last_hash`, with the clients' share of the response budget (half for
/// the message namespaces 0 and 11, an eighth for the rest).
fn retrieve(
    auth: Auth<'_>,
    namespace: i16,
    last_hash: Option<&str>,
    now_ms: u64,
) -> crate::Result<Retrieve> {
    let share = if matches!(namespace, 0 | 11) { -2 } else { -8 };
    let request = Retrieve::new(auth, namespace, now_ms)?.max_size(share);
    Ok(match last_hash {
        Some(hash) => request.last_hash(hash),
        None => request,
    })
}

/// The members' messages, each once, in the order first listed.
fn merge(listings: &[MemberListing]) -> Vec<(i16, RetrievedMessage)> {
    let mut index = HashMap::new();
    let mut merged = Vec::new();
    for listing in listings {
        for (namespace, message) in &listing.messages {
            if index.insert(message.hash.clone(), merged.len()).is_none() {
                merged.push((*namespace, message.clone()));
            }
        }
    }
    merged
}

/// `merged` without the messages the store has seen.
async fn drop_seen(
    store: &Arc<dyn Store>,
    account: crate::rpc::Account,
    merged: Vec<(i16, RetrievedMessage)>,
) -> Result<Vec<(i16, RetrievedMessage)>, PollError> {
    on_store(store, move |store| {
        let mut unseen = Vec::with_capacity(merged.len());
        for entry in merged {
            if !store.is_seen(&account, &entry.1.hash)? {
                unseen.push(entry);
            }
        }
        Ok(unseen)
    })
    .await
    .ok_or(PollError::Cancelled)?
    .map_err(PollError::from)
}

/// Fisher-Yates with the OS generator: which members we poll should not be predictable.
fn shuffle(nodes: &mut [ServiceNode]) {
    use session_onion::rand_core::Rng;
    let mut rng = crate::net::OsRandom::new();
    for i in (1..nodes.len()).rev() {
        let bound = u64::try_from(i + 1).unwrap_or(u64::MAX);
        let j = usize::try_from(rng.next_u64() % bound).unwrap_or(0);
        nodes.swap(i, j);
    }
}
