//! Sending one message: encrypt, store in the recipient's swarm, store the sync copy in
//! ours (`clients.md` §4).

use std::time::Duration;

use session_identity::SessionId;
use session_protocol::Message;
use session_protocol::message::{DisappearingMode, MessageKind};
use session_protocol::outgoing::{self, OutgoingMessage};
use tokio::time::Instant;

use crate::messaging::context::Context;
use crate::messaging::error::MessagingError;
use crate::messaging::sent::SentMessage;
use crate::net::OsRandom;
use crate::rpc::{Account, Auth, Lifetime, StoreResult};

/// The first pause before storing again, doubled after each failure.
const RETRY_PAUSE: Duration = Duration::from_millis(100);

/// The longest pause between two stores of one message.
const MAX_RETRY_PAUSE: Duration = Duration::from_secs(2);

/// Sends `message` to `to`, timestamped `message.sent_at_ms` or, when that is 0, now.
pub(crate) async fn send(
    ctx: &Context,
    to: &SessionId,
    mut message: Message,
) -> Result<SentMessage, MessagingError> {
    if message.sent_at_ms == 0 {
        message.sent_at_ms = ctx.client.now_ms();
    }
    let timestamp_ms = message.sent_at_ms;
    let outgoing = encrypt(ctx, &message, to, timestamp_ms)?;
    if *to == ctx.session_id {
        // Ours (a note to self, the copy of an unsend): this device must not receive it back.
        mark_own(
            ctx,
            &outgoing.hash,
            timestamp_ms.saturating_add(ttl_ms(&outgoing)),
        )
        .await?;
    }
    let stored = store_confirmed(ctx, to, &outgoing, ttl_ms(&outgoing)).await?;
    let expires_at_ms = latest_expiry(&stored).unwrap_or(timestamp_ms + ttl_ms(&outgoing));

    let sync_hash = match sync_copy(&message, to, ctx) {
        Some(copy) => Some(store_sync_copy(ctx, &copy, timestamp_ms).await?),
        None => None,
    };
    Ok(SentMessage {
        hash: stored.hash,
        timestamp_ms,
        sync_hash,
        expires_at_ms,
    })
}

fn encrypt(
    ctx: &Context,
    message: &Message,
    to: &SessionId,
    timestamp_ms: u64,
) -> Result<OutgoingMessage, MessagingError> {
    let mut rng = OsRandom::new();
    let outgoing = outgoing::encrypt(
        &mut rng,
        message,
        &ctx.keypair,
        to,
        timestamp_ms,
        ctx.options.format,
    )?;
    rng.check().map_err(|_| MessagingError::Random)?;
    Ok(outgoing)
}

fn ttl_ms(outgoing: &OutgoingMessage) -> u64 {
    u64::try_from(outgoing.ttl.as_millis()).unwrap_or(u64::MAX)
}

/// The sync copy of a message to `to`: visible messages and reactions, with `syncTarget`
/// set, unless we are writing to ourselves.
fn sync_copy(message: &Message, to: &SessionId, ctx: &Context) -> Option<Message> {
    if !ctx.options.sync_copies || *to == ctx.session_id {
        return None;
    }
    let mut copy = message.clone();
    match &mut copy.kind {
        MessageKind::Visible(visible) => visible.sync_target = Some(*to),
        MessageKind::Reaction(reaction) => reaction.sync_target = Some(*to),
        _ => return None,
    }
    Some(copy)
}

/// Stores the sync copy in our own swarm and marks it seen, so that this device does not
/// receive its own message back (our other devices do). A disappear-after-read message's
/// copy lives for the timer only: we have read our own message.
async fn store_sync_copy(
    ctx: &Context,
    copy: &Message,
    timestamp_ms: u64,
) -> Result<String, MessagingError> {
    let own = ctx.session_id;
    let outgoing = encrypt(ctx, copy, &own, timestamp_ms)?;
    let ttl = match copy.disappearing {
        Some(disappearing)
            if disappearing.mode == DisappearingMode::AfterRead && disappearing.is_on() =>
        {
            u64::try_from(disappearing.timer().as_millis()).unwrap_or(u64::MAX)
        }
        _ => ttl_ms(&outgoing),
    };
    mark_own(ctx, &outgoing.hash, timestamp_ms.saturating_add(ttl)).await?;
    let stored = store_confirmed(ctx, &own, &outgoing, ttl).await?;
    Ok(stored.hash)
}

/// Marks a message we store in our own swarm as seen, before the store: a poll racing the
/// store must not deliver it either.
async fn mark_own(ctx: &Context, hash: &str, expiry_ms: u64) -> Result<(), MessagingError> {
    let account = ctx.account;
    let hash = hash.to_owned();
    let expiry = i64::try_from(expiry_ms).unwrap_or(i64::MAX);
    ctx.with_store(move |store| store.mark_seen_if_new(&account, &hash, expiry))
        .await
        .map(drop)
}

/// Stores `outgoing` in `to`'s swarm until enough members confirm it or
/// [`MessengerOptions::send_timeout`] passes. Every attempt stores the same bytes, so the
/// recipient sees one message however many attempts it took.
///
/// [`MessengerOptions::send_timeout`]: crate::messaging::MessengerOptions::send_timeout
async fn store_confirmed(
    ctx: &Context,
    to: &SessionId,
    outgoing: &OutgoingMessage,
    ttl_ms: u64,
) -> Result<StoreResult, MessagingError> {
    let account = Account::from(to);
    let deadline = Instant::now() + ctx.options.send_timeout;
    let mut pause = RETRY_PAUSE;
    loop {
        // The hash covers recipient, namespace and data only: storing again is harmless
        // (members that have it answer `already`).
        let attempt = ctx
            .client
            .store(
                Auth::Anonymous(account),
                outgoing.namespace,
                &outgoing.data,
                // An expiry, not a TTL: a TTL counts from each attempt's own timestamp,
                // and the message lives `ttl` from when it was sent.
                Lifetime::Expiry(outgoing.timestamp_ms.saturating_add(ttl_ms)),
            )
            .await;
        let failure = match attempt {
            Ok(stored) => {
                let members = stored.members.len();
                let confirmed = stored.members.verified().count();
                let needed = needed_confirmations(ctx, members);
                if confirmed >= needed {
                    return Ok(stored);
                }
                tracing::debug!(confirmed, members, needed, "store under-confirmed");
                MessagingError::Unconfirmed {
                    confirmed,
                    members,
                    needed,
                }
            }
            // A refusal (bad request, too large, unauthorised) will not change.
            Err(crate::Error::Status { status, body }) if (400..500).contains(&status) => {
                return Err(crate::Error::Status { status, body }.into());
            }
            Err(error) => {
                tracing::debug!(%error, "store failed");
                MessagingError::Swarm(error)
            }
        };
        if Instant::now() + pause >= deadline {
            return Err(failure);
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(MAX_RETRY_PAUSE);
    }
}

fn needed_confirmations(ctx: &Context, members: usize) -> usize {
    if ctx.options.majority_confirmation {
        members / 2 + 1
    } else {
        1
    }
}

/// The latest expiry a member confirmed.
fn latest_expiry(stored: &StoreResult) -> Option<u64> {
    stored
        .members
        .verified()
        .map(|(_, entry)| entry.expiry)
        .max()
}
