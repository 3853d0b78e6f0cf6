//! One poll of our own swarm: every polled namespace in one round (`clients.md` §3), the
//! user configs merged first, then the messages decrypted.

use session_protocol::incoming;
use session_protocol::message::MessageKind;

use crate::configs::UserConfig;
use crate::messaging::context::Context;
use crate::messaging::error::MessagingError;
use crate::messaging::received::IncomingMessage;
use crate::polling::{self, Target};
use crate::store::WriteBatch;

/// What a poll found and what to record once it is delivered.
#[derive(Debug, Default)]
pub(crate) struct PollOutcome {
    /// New messages, in sending order.
    pub(crate) messages: Vec<IncomingMessage>,
    /// The members' new last hashes, and the hashes of messages that could not be read
    /// and of the config messages merged (recorded as seen, so they are not fetched and
    /// tried again and again).
    pub(crate) commit: WriteBatch,
}

/// Polls our swarm once.
///
/// # Errors
///
/// [`MessagingError::Swarm`] when fewer than [`MessengerOptions::poll_members`] members
/// answered (nothing is delivered: a member that missed a store must never let a later
/// message overtake an earlier one), [`MessagingError::Store`] when the store fails,
/// [`MessagingError::Config`] when the configs cannot be merged or saved.
///
/// [`MessengerOptions::poll_members`]: crate::messaging::MessengerOptions::poll_members
pub(crate) async fn poll_once(ctx: &Context) -> Result<PollOutcome, MessagingError> {
    let polls_configs = ctx
        .options
        .namespaces
        .iter()
        .any(|ns| UserConfig::from_namespace(*ns).is_some());
    let refresh = if polls_configs {
        ctx.configs.refresh().await?
    } else {
        None
    };
    let target = Target {
        signer: &ctx.signer,
        namespaces: &ctx.options.namespaces,
        members: ctx.options.poll_members,
    };
    let listing = polling::poll(
        &ctx.client,
        &ctx.store,
        target,
        refresh.as_ref().map(crate::configs::Refresh::extra),
    )
    .await?;
    if let Some(refresh) = &refresh {
        ctx.configs
            .refreshed(refresh, listing.extra.as_ref())
            .await?;
    }

    let mut outcome = PollOutcome {
        commit: listing.commit,
        ..PollOutcome::default()
    };
    let (configs, messages): (Vec<_>, Vec<_>) = listing
        .messages
        .into_iter()
        .partition(|(ns, _)| UserConfig::from_namespace(*ns).is_some());
    // Configs first, as the clients process them: a message may name a contact or group
    // the configs just brought.
    ctx.configs.merge(&configs).await?;
    for (_, message) in &configs {
        outcome.commit.mark_seen(
            &ctx.account,
            &message.hash,
            i64::try_from(message.expiration).unwrap_or(i64::MAX),
        );
    }
    for (namespace, retrieved) in messages {
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
    for message in &outcome.messages {
        if let MessageKind::GroupUpdate(update) = &message.message.kind
            && update.is_direct()
        {
            // The message still goes to the application; a bad invite is only not taken.
            let taken = ctx
                .groups
                .on_direct(&message.sender, message.sent_at_ms, &update.update)
                .await;
            if let Err(error) = taken {
                tracing::debug!(%error, hash = %message.hash, "group invite or promotion not taken");
            }
        }
    }
    Ok(outcome)
}
