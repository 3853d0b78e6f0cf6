//! One poll of our own swarm: ask enough members for what is new after each one's last
//! hash, merge by hash, drop what was seen, decrypt the rest (`clients.md` §3).

use std::collections::HashMap;

use session_protocol::incoming;

use crate::messaging::context::Context;
use crate::messaging::error::MessagingError;
use crate::messaging::received::IncomingMessage;
use crate::net::ServiceNode;
use crate::rpc::{Auth, RetrievedMessage};
use crate::store::WriteBatch;

/// Pages read from one member in one namespace per poll (a page is what one retrieve
/// returns); the rest waits for the next poll.
const MAX_PAGES: usize = 10;

/// What a poll found and what to record once it is delivered.
#[derive(Debug, Default)]
pub(crate) struct PollOutcome {
    /// New messages, in sending order.
    pub(crate) messages: Vec<IncomingMessage>,
    /// The members' new last hashes and the hashes of messages that could not be read
    /// (recorded as seen, so they are not fetched and tried again and again).
    pub(crate) commit: WriteBatch,
}

/// One member's new messages per namespace, and where its listing now ends.
struct MemberListing {
    node: ServiceNode,
    /// (namespace, new last hash) for each namespace that returned anything.
    last_hashes: Vec<(i16, String)>,
    messages: Vec<(i16, RetrievedMessage)>,
}

/// Polls our swarm once.
///
/// # Errors
///
/// [`MessagingError::Swarm`] when fewer than [`MessengerOptions::poll_members`] members
/// answered (nothing is delivered: a member that missed a store must never let a later
/// message overtake an earlier one), [`MessagingError::Store`] when the store fails.
///
/// [`MessengerOptions::poll_members`]: crate::messaging::MessengerOptions::poll_members
pub(crate) async fn poll_once(ctx: &Context) -> Result<PollOutcome, MessagingError> {
    let members = ctx.client.swarm(&ctx.account).await?;
    let wanted = ctx.options.poll_members.clamp(1, members.len().max(1));
    let mut order = members;
    shuffle(&mut order);

    let mut listings = Vec::new();
    let mut last_error = None;
    for node in order {
        if listings.len() == wanted {
            break;
        }
        match list_member(ctx, node).await {
            Ok(listing) => listings.push(listing),
            Err(error) => last_error = Some(error),
        }
    }
    if listings.len() < wanted {
        return Err(last_error.unwrap_or(MessagingError::Swarm(crate::Error::NoNodes)));
    }
    let merged = merge(&listings);
    let unseen = drop_seen(ctx, merged).await?;

    let mut outcome = PollOutcome::default();
    for listing in &listings {
        for (namespace, hash) in &listing.last_hashes {
            outcome
                .commit
                .set_last_hash(&ctx.account, *namespace, &listing.node.ed25519, hash);
        }
    }
    for (namespace, retrieved) in unseen {
        match incoming::decrypt(&ctx.keypair, &retrieved.data) {
            Ok(received) => outcome.messages.push(IncomingMessage {
                sender: received.sender,
                hash: retrieved.hash,
                namespace,
                sent_at_ms: received.envelope_timestamp,
                stored_at_ms: retrieved.timestamp,
                expires_at_ms: retrieved.expiration,
                message: received.message,
            }),
            Err(error) => {
                // Clients record unreadable messages as seen too: trying again cannot
                // change the answer.
                tracing::debug!(%error, hash = %retrieved.hash, "dropping an unreadable message");
                outcome.commit.mark_seen(
                    &ctx.account,
                    &retrieved.hash,
                    i64::try_from(retrieved.expiration).unwrap_or(i64::MAX),
                );
            }
        }
    }
    // Per sender, sending order; ties (one sender, one millisecond) by storage order.
    outcome
        .messages
        .sort_by_key(|message| (message.sent_at_ms, message.stored_at_ms));
    Ok(outcome)
}

/// Reads every polled namespace from `node` after its last hash, following `more`.
async fn list_member(ctx: &Context, node: ServiceNode) -> Result<MemberListing, MessagingError> {
    let mut listing = MemberListing {
        node,
        last_hashes: Vec::new(),
        messages: Vec::new(),
    };
    for &namespace in &ctx.options.namespaces {
        let account = ctx.account;
        let ed25519 = listing.node.ed25519;
        let mut last_hash = ctx
            .with_store(move |store| store.last_hash(&account, namespace, &ed25519))
            .await?;
        let mut advanced = false;
        for _ in 0..MAX_PAGES {
            let page = ctx
                .client
                .retrieve_from(
                    Auth::Signed(&ctx.signer),
                    &listing.node,
                    namespace,
                    last_hash.as_deref(),
                )
                .await?;
            if let Some(last) = page.messages.last() {
                last_hash = Some(last.hash.clone());
                advanced = true;
            }
            let more = page.more && !page.messages.is_empty();
            listing.messages.extend(
                page.messages
                    .into_iter()
                    .map(|message| (namespace, message)),
            );
            if !more {
                break;
            }
        }
        if let (true, Some(hash)) = (advanced, last_hash) {
            listing.last_hashes.push((namespace, hash));
        }
    }
    Ok(listing)
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
    ctx: &Context,
    merged: Vec<(i16, RetrievedMessage)>,
) -> Result<Vec<(i16, RetrievedMessage)>, MessagingError> {
    let account = ctx.account;
    ctx.with_store(move |store| {
        let mut unseen = Vec::with_capacity(merged.len());
        for entry in merged {
            if !store.is_seen(&account, &entry.1.hash)? {
                unseen.push(entry);
            }
        }
        Ok(unseen)
    })
    .await
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
