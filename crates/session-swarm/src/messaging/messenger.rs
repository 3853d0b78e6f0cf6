//! The messenger: one account's 1:1 conversations over the swarm client.

use std::sync::Arc;

use session_identity::{Keypair, SessionId};
use session_protocol::Message;
use session_protocol::message::{
    MessageKind, Profile, Reaction, ReactionAction, ReadReceipt, TypingAction, UnsendRequest,
    VisibleMessage,
};

use crate::client::SwarmClient;
use crate::configs::ConfigSync;
use crate::messaging::context::Context;
use crate::messaging::error::MessagingError;
use crate::messaging::groups::Groups;
use crate::messaging::options::MessengerOptions;
use crate::messaging::poll::poll_once;
use crate::messaging::received::IncomingMessage;
use crate::messaging::send::send;
use crate::messaging::sent::SentMessage;
use crate::messaging::stream::MessageStream;
use crate::rpc::signed::ExpireMode;
use crate::rpc::{Delete, DeleteResult, Expire, ExpireResult};
use crate::store::Store;

/// Sends and receives one account's 1:1 messages. Cheap to clone (clones share
/// everything).
#[derive(Clone, Debug)]
pub struct Messenger {
    ctx: Arc<Context>,
    profile: Arc<std::sync::Mutex<Option<Profile>>>,
}

impl Messenger {
    /// A messenger for `keypair`'s account over `client`, remembering what it delivered in
    /// `store` (use a [`SqliteStore`](crate::store::SqliteStore) to survive restarts).
    pub fn new(
        client: SwarmClient,
        keypair: Keypair,
        store: Arc<dyn Store>,
        options: MessengerOptions,
    ) -> Self {
        Self {
            ctx: Arc::new(Context::new(client, keypair, store, options)),
            profile: Arc::new(std::sync::Mutex::new(None)),
        }
    }

    /// Our Session ID.
    pub fn session_id(&self) -> &SessionId {
        &self.ctx.session_id
    }

    /// The swarm client underneath.
    pub fn client(&self) -> &SwarmClient {
        &self.ctx.client
    }

    /// The account's keys, for the layers that sign as the same account (community
    /// servers, groups).
    pub fn keypair(&self) -> &Keypair {
        &self.ctx.keypair
    }

    /// The account's user configs (profile, contacts, conversation info, groups), synced
    /// with its other devices: the stream of [`messages`](Self::messages) merges what they
    /// push with every poll and pushes local changes before the next one.
    pub fn configs(&self) -> &ConfigSync {
        &self.ctx.configs
    }

    /// The account's closed groups: create, administer, post, receive.
    pub fn groups(&self) -> Groups {
        Groups::new(self.ctx.clone())
    }

    /// Sets the profile (name, picture) that every visible message and reaction sent from
    /// now on carries, as the official clients attach theirs; `None` sends none.
    pub fn set_profile(&self, profile: Option<Profile>) {
        *self
            .profile
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = profile;
    }

    /// Sends the text `text` to `to`.
    ///
    /// # Errors
    ///
    /// As [`Messenger::send`].
    pub async fn send_text(
        &self,
        to: &SessionId,
        text: impl Into<String>,
    ) -> Result<SentMessage, MessagingError> {
        self.send(to, Message::new(VisibleMessage::text(text), 0))
            .await
    }

    /// Encrypts `message` for `to`, stores it in `to`'s swarm with its kind's TTL and
    /// namespace and, for visible messages and reactions, a sync copy in ours. A
    /// `sent_at_ms` of 0 is replaced by the network clock's now.
    ///
    /// # Errors
    ///
    /// [`MessagingError::Outgoing`] for a message that cannot be sent as given,
    /// [`MessagingError::Unconfirmed`] when too few members confirmed the store, and the
    /// network's and the store's errors.
    pub async fn send(
        &self,
        to: &SessionId,
        message: Message,
    ) -> Result<SentMessage, MessagingError> {
        send(&self.ctx, to, self.with_profile(message)).await
    }

    fn with_profile(&self, mut message: Message) -> Message {
        let profile = self
            .profile
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        match (&mut message.kind, profile) {
            (MessageKind::Visible(visible), Some(profile)) if visible.profile.is_none() => {
                visible.profile = Some(profile);
            }
            (MessageKind::Reaction(reaction), Some(profile)) if reaction.profile.is_none() => {
                reaction.profile = Some(profile);
            }
            _ => {}
        }
        message
    }

    /// Deletes a message we sent to `to` for everyone: sends the unsend request to `to` and
    /// to ourselves (our other devices), and deletes the sync copy from our swarm.
    ///
    /// # Errors
    ///
    /// As [`Messenger::send`].
    pub async fn unsend(
        &self,
        to: &SessionId,
        sent: &SentMessage,
    ) -> Result<SentMessage, MessagingError> {
        let request = UnsendRequest::new(sent.timestamp_ms, self.ctx.session_id);
        let delivered = self.send(to, Message::new(request, 0)).await?;
        if *to != self.ctx.session_id {
            // Android de-duplicates by timestamp: the copy to ourselves gets its own.
            let own = Message::new(request, delivered.timestamp_ms + 1);
            send(&self.ctx, &self.ctx.session_id, own).await?;
        }
        if let Some(sync_hash) = &sent.sync_hash {
            self.delete(&[sync_hash.as_str()]).await?;
        }
        Ok(delivered)
    }

    /// Tells `to` that we read their messages sent at `timestamps_ms`.
    ///
    /// # Errors
    ///
    /// As [`Messenger::send`].
    pub async fn send_read_receipt(
        &self,
        to: &SessionId,
        timestamps_ms: &[u64],
    ) -> Result<SentMessage, MessagingError> {
        self.send(
            to,
            Message::new(ReadReceipt::new(timestamps_ms.to_vec()), 0),
        )
        .await
    }

    /// Tells `to` that we started (`true`) or stopped typing.
    ///
    /// # Errors
    ///
    /// As [`Messenger::send`].
    pub async fn send_typing(
        &self,
        to: &SessionId,
        started: bool,
    ) -> Result<SentMessage, MessagingError> {
        let action = if started {
            TypingAction::Started
        } else {
            TypingAction::Stopped
        };
        let now_ms = self.ctx.client.now_ms();
        self.send(to, Message::typing(action, now_ms)).await
    }

    /// Reacts to (`add`) or takes back a reaction to the message `author` sent at
    /// `target_timestamp_ms`, in the conversation with `to`.
    ///
    /// # Errors
    ///
    /// As [`Messenger::send`].
    pub async fn react(
        &self,
        to: &SessionId,
        target_timestamp_ms: u64,
        author: &SessionId,
        emoji: &str,
        add: bool,
    ) -> Result<SentMessage, MessagingError> {
        let action = if add {
            ReactionAction::React
        } else {
            ReactionAction::Remove
        };
        let reaction = Reaction::new(target_timestamp_ms, *author, emoji, action);
        self.send(to, Message::new(reaction, 0)).await
    }

    /// Starts the countdown of a received disappear-after-read message: shortens its
    /// expiry in our swarm to now plus its timer. Messages that do not disappear after
    /// read are left alone (returns `None`).
    ///
    /// # Errors
    ///
    /// The network's errors.
    pub async fn start_disappearing(
        &self,
        message: &IncomingMessage,
    ) -> Result<Option<ExpireResult>, MessagingError> {
        let Some(disappearing) = message.message.disappearing else {
            return Ok(None);
        };
        if disappearing.mode != session_protocol::message::DisappearingMode::AfterRead
            || !disappearing.is_on()
        {
            return Ok(None);
        }
        let timer_ms = u64::try_from(disappearing.timer().as_millis()).unwrap_or(u64::MAX);
        let expiry_ms = self.ctx.client.now_ms().saturating_add(timer_ms);
        let hashes = [message.hash.as_str()];
        let signer = &self.ctx.signer;
        let result = self
            .ctx
            .client
            .call(&self.ctx.account, |_| {
                Expire::new(signer, &hashes, expiry_ms, ExpireMode::Shorten)
            })
            .await?;
        Ok(Some(result))
    }

    /// Deletes messages from our own swarm by hash (a received unsend request names the
    /// message by timestamp and author; the application knows its hash).
    ///
    /// # Errors
    ///
    /// The network's errors.
    pub async fn delete(&self, hashes: &[&str]) -> Result<DeleteResult, MessagingError> {
        let signer = &self.ctx.signer;
        Ok(self
            .ctx
            .client
            .call(&self.ctx.account, |_| Delete::new(signer, hashes))
            .await?)
    }

    /// Polls our swarm once and returns what is new, recording it as delivered at once
    /// (for tools that take one look; long-lived receivers use [`Messenger::messages`]).
    ///
    /// # Errors
    ///
    /// The network's and the store's errors; nothing is recorded then.
    pub async fn receive_once(&self) -> Result<Vec<IncomingMessage>, MessagingError> {
        let mut outcome = poll_once(&self.ctx).await?;
        for message in &outcome.messages {
            outcome.commit.mark_seen(
                &self.ctx.account,
                &message.hash,
                i64::try_from(message.expires_at_ms).unwrap_or(i64::MAX),
            );
        }
        let batch = outcome.commit;
        self.ctx
            .with_store(move |store| store.apply(&batch).map(drop))
            .await?;
        Ok(outcome.messages)
    }

    /// The stream of received messages: polls our swarm every
    /// [`MessengerOptions::poll_interval`], each message once.
    pub fn messages(&self) -> MessageStream {
        MessageStream::new(self.ctx.clone())
    }
}
