//! [`Groups`]: the application's closed groups, over the groups driver, with the invites
//! and promotions sent 1:1 by this messenger.

use std::sync::Arc;

use session_identity::SessionId;
use session_protocol::Message;
use session_protocol::message::VisibleMessage;
use tokio::task::JoinSet;

use crate::groups::{
    GroupDriver, GroupError, GroupEvent, GroupMember, GroupSummary, InviteReport, SentGroupMessage,
};
use crate::messaging::context::Context;
use crate::messaging::group_stream::GroupStream;
use crate::messaging::send::send;
use crate::rpc::RetrievedMessage;

/// One account's closed groups: create and administer them, post to them, and receive
/// what happens in them. Cheap to clone. Made by
/// [`Messenger::groups`](super::Messenger::groups).
///
/// Invites and promotions arrive as 1:1 messages, so the messenger's own poll (its
/// [`messages`](super::Messenger::messages) stream or
/// [`receive_once`](super::Messenger::receive_once)) takes them; the groups' swarms are
/// polled by [`events`](Self::events) or [`poll_once`](Self::poll_once).
#[derive(Clone, Debug)]
pub struct Groups {
    ctx: Arc<Context>,
}

impl Groups {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    /// The driver underneath (everything that needs no 1:1 message).
    pub fn driver(&self) -> &GroupDriver {
        &self.ctx.groups
    }

    /// Creates the group `name` with us as admin and `members` (at most 99 others), and
    /// invites them.
    ///
    /// # Errors
    ///
    /// [`GroupError::TooManyMembers`], [`GroupError::WrongPrefix`] for a member that is not a
    /// `05` ID, the network's and the store's errors. Invites that could not be delivered
    /// are listed in the report, not errors.
    pub async fn create(
        &self,
        name: &str,
        members: &[SessionId],
    ) -> Result<InviteReport, GroupError> {
        let (group, invites) = self.ctx.groups.create(name, members).await?;
        Ok(InviteReport {
            group,
            failed: self.deliver(invites).await,
        })
    }

    /// Adds `members` to `group` (admins only) and invites them.
    ///
    /// # Errors
    ///
    /// [`GroupError::NotAdmin`], [`GroupError::TooManyMembers`], the network's errors.
    pub async fn invite(
        &self,
        group: &SessionId,
        members: &[SessionId],
    ) -> Result<InviteReport, GroupError> {
        let invites = self.ctx.groups.add_members(group, members).await?;
        Ok(InviteReport {
            group: *group,
            failed: self.deliver(invites).await,
        })
    }

    /// Makes `member` an admin of `group`, sending it the group seed 1:1.
    ///
    /// # Errors
    ///
    /// [`GroupError::NotAdmin`], [`GroupError::Direct`] when the promotion could not be
    /// delivered, the network's errors.
    pub async fn promote(&self, group: &SessionId, member: &SessionId) -> Result<(), GroupError> {
        let (to, message) = self.ctx.groups.promote_member(group, member).await?;
        send(&self.ctx, &to, message)
            .await
            .map(drop)
            .map_err(|error| GroupError::Direct {
                to,
                reason: error.to_string(),
            })
    }

    /// Removes `members` from `group` (admins only): a new key for the others, their access
    /// revoked, a notice they can still read; with `delete_messages`, a request that
    /// clients delete what they sent.
    ///
    /// # Errors
    ///
    /// As [`GroupDriver::remove_members`].
    pub async fn remove(
        &self,
        group: &SessionId,
        members: &[SessionId],
        delete_messages: bool,
    ) -> Result<(), GroupError> {
        self.ctx
            .groups
            .remove_members(group, members, delete_messages)
            .await
    }

    /// Leaves `group`.
    ///
    /// # Errors
    ///
    /// As [`GroupDriver::leave`].
    pub async fn leave(&self, group: &SessionId) -> Result<(), GroupError> {
        self.ctx.groups.leave(group).await
    }

    /// Renames `group` (admins only).
    ///
    /// # Errors
    ///
    /// As [`GroupDriver::rename`].
    pub async fn rename(&self, group: &SessionId, name: &str) -> Result<(), GroupError> {
        self.ctx.groups.rename(group, name).await
    }

    /// Accepts an invite to `group`.
    ///
    /// # Errors
    ///
    /// As [`GroupDriver::accept`].
    pub async fn accept(&self, group: &SessionId) -> Result<Vec<GroupEvent>, GroupError> {
        self.ctx.groups.accept(group).await
    }

    /// Posts the text `text` to `group`.
    ///
    /// # Errors
    ///
    /// As [`GroupDriver::send`].
    pub async fn send_text(
        &self,
        group: &SessionId,
        text: impl Into<String>,
    ) -> Result<SentGroupMessage, GroupError> {
        self.send(group, Message::new(VisibleMessage::text(text), 0))
            .await
    }

    /// Posts `message` to `group`.
    ///
    /// # Errors
    ///
    /// As [`GroupDriver::send`].
    pub async fn send(
        &self,
        group: &SessionId,
        message: Message,
    ) -> Result<SentGroupMessage, GroupError> {
        self.ctx.groups.send(group, message).await
    }

    /// Polls every joined group once and returns what happened.
    ///
    /// # Errors
    ///
    /// As [`GroupDriver::poll_all`].
    pub async fn poll_once(&self) -> Result<Vec<GroupEvent>, GroupError> {
        self.ctx.groups.poll_all().await
    }

    /// The stream of group events: polls every joined group every
    /// [`MessengerOptions::poll_interval`](super::MessengerOptions::poll_interval), and
    /// passes on the invites and promotions the messenger's poll takes.
    pub fn events(&self) -> GroupStream {
        GroupStream::new(self.ctx.clone())
    }

    /// Every group.
    ///
    /// # Errors
    ///
    /// As [`GroupDriver::list`].
    pub async fn list(&self) -> Result<Vec<GroupSummary>, GroupError> {
        self.ctx.groups.list().await
    }

    /// The members of `group`.
    ///
    /// # Errors
    ///
    /// As [`GroupDriver::members`].
    pub async fn members(&self, group: &SessionId) -> Result<Vec<GroupMember>, GroupError> {
        self.ctx.groups.members(group).await
    }

    /// Decrypts a namespace-11 message of `group` fetched some other way.
    ///
    /// # Errors
    ///
    /// As [`GroupDriver::open`].
    pub async fn open(
        &self,
        group: &SessionId,
        message: &RetrievedMessage,
    ) -> Result<GroupEvent, GroupError> {
        self.ctx.groups.open(group, message).await
    }

    /// Sends 1:1 messages, a few at once; returns the recipients it failed for.
    async fn deliver(&self, messages: Vec<(SessionId, Message)>) -> Vec<SessionId> {
        let limit = self.ctx.options.groups.send_concurrency.max(1);
        let mut failed = Vec::new();
        let mut running = JoinSet::new();
        let mut queue = messages.into_iter();
        loop {
            while running.len() < limit {
                let Some((to, message)) = queue.next() else {
                    break;
                };
                let ctx = self.ctx.clone();
                running.spawn(async move { (to, send(&ctx, &to, message).await) });
            }
            let Some(done) = running.join_next().await else {
                break;
            };
            match done {
                Ok((_, Ok(_))) => {}
                Ok((to, Err(error))) => {
                    tracing::debug!(%error, %to, "invite not delivered");
                    failed.push(to);
                }
                Err(error) => tracing::debug!(%error, "invite task failed"),
            }
        }
        failed
    }
}
