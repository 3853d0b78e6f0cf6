//! What admins do: create a group, add, promote and remove members, rename it. The group
//! state makes each change; the driver stores what it asks, in its order: the pushes (the
//! key message first), the revocations, the kicked notice, the announcements; the invites
//! and promotions are returned for the messenger to send 1:1.

use session_groups::{ConfigPush, DirectUpdate, Group};
use session_identity::{IdPrefix, SessionId};
use session_protocol::Message;
use session_protocol::message::GroupUpdate as ProtocolGroupUpdate;

use crate::groups::error::GroupError;
use crate::groups::registry::GroupDriver;
use crate::groups::state::{GroupState, MESSAGES, REVOKED};
use crate::groups::swarm::{self, MESSAGE_TTL_MS};
use crate::net::OsRandom;
use crate::store::WriteBatch;

/// The most members a group holds, admins included (clients.md §8).
pub const MAX_MEMBERS: usize = 100;

/// A 1:1 message to send: to whom, and what.
pub(crate) type Direct = (SessionId, Message);

impl GroupDriver {
    /// Creates the group `name` with us as its admin and `members`: the first key for all
    /// of them, Info and Members pushed after the key message, the group recorded in
    /// UserGroups. Returns the group and the invites to send.
    pub(crate) async fn create(
        &self,
        name: &str,
        members: &[SessionId],
    ) -> Result<(SessionId, Vec<Direct>), GroupError> {
        let me = self.inner.keypair.session_id();
        let mut others: Vec<SessionId> = Vec::new();
        for member in members {
            check_member(member)?;
            if *member != me && !others.contains(member) {
                others.push(*member);
            }
        }
        if others.len() + 1 > MAX_MEMBERS {
            return Err(GroupError::TooManyMembers {
                count: others.len() + 1,
                max: MAX_MEMBERS,
            });
        }
        let mut rng = OsRandom::new();
        let now_ms = self.inner.client.now_ms();
        let (group, pushes) =
            Group::create(&mut rng, self.inner.keypair.clone(), name, &others, now_ms)?;
        rng.check().map_err(|_| GroupError::Random)?;
        let mut state = GroupState::new(group, String::new(), false);
        let majority = self.inner.options.majority_confirmation;
        swarm::push(&self.inner.client, &mut state, &pushes, majority).await?;
        let invitation = state.group.invite(&mut rng, &others, false, now_ms)?;
        swarm::push(&self.inner.client, &mut state, &invitation.pushes, majority).await?;
        let group = state.id;
        self.insert(state).await?;
        Ok((group, invitation.invites.iter().map(direct).collect()))
    }

    /// Adds `members` to the group `group`: listed in Members, given every current key in
    /// a supplemental key message (they can read the history the swarm still holds), their
    /// access restored if they were removed before, and announced to the group. Returns
    /// the invites to send.
    pub(crate) async fn add_members(
        &self,
        group: &SessionId,
        members: &[SessionId],
    ) -> Result<Vec<Direct>, GroupError> {
        let shared = self.get(group).await?;
        let mut state = shared.lock().await;
        state.admin_keypair()?;
        for member in members {
            check_member(member)?;
        }
        let listed = state
            .group
            .members()
            .iter()
            .filter(|m| !m.is_removed())
            .count();
        let new = members
            .iter()
            .filter(|m| {
                state
                    .group
                    .members()
                    .get(m)
                    .is_none_or(|known| known.is_removed())
            })
            .count();
        if listed + new > MAX_MEMBERS {
            return Err(GroupError::TooManyMembers {
                count: listed + new,
                max: MAX_MEMBERS,
            });
        }
        let mut rng = OsRandom::new();
        let now_ms = self.inner.client.now_ms();
        let invitation = state.group.invite(&mut rng, members, true, now_ms)?;
        rng.check().map_err(|_| GroupError::Random)?;
        self.store_outputs(
            &mut state,
            &invitation.pushes,
            &invitation.unrevocations,
            None,
            &invitation.group_messages,
        )
        .await?;
        Ok(invitation.invites.iter().map(direct).collect())
    }

    /// Makes `member` an admin: marked in Members, announced, and the promotion (with the
    /// group seed) returned to send.
    pub(crate) async fn promote_member(
        &self,
        group: &SessionId,
        member: &SessionId,
    ) -> Result<Direct, GroupError> {
        check_member(member)?;
        let shared = self.get(group).await?;
        let mut state = shared.lock().await;
        state.admin_keypair()?;
        let mut rng = OsRandom::new();
        let promotion = state
            .group
            .promote(&mut rng, member, self.inner.client.now_ms())?;
        rng.check().map_err(|_| GroupError::Random)?;
        self.store_outputs(
            &mut state,
            &promotion.pushes,
            &[],
            None,
            &promotion.group_messages,
        )
        .await?;
        Ok(direct(&promotion.promote))
    }

    /// Removes `members`: a new key for everyone else (the key message first, then Info and
    /// Members re-encrypted, in one sequence), their subaccounts revoked, a kicked notice in
    /// namespace -11 that only they can read, and the removal announced (with, for
    /// `delete_messages`, a request to delete what they sent); then they are dropped from
    /// the Members list.
    ///
    /// # Errors
    ///
    /// [`GroupError::NotAdmin`], [`GroupError::UnknownGroup`], the network's errors.
    pub async fn remove_members(
        &self,
        group: &SessionId,
        members: &[SessionId],
        delete_messages: bool,
    ) -> Result<(), GroupError> {
        let shared = self.get(group).await?;
        let mut state = shared.lock().await;
        state.admin_keypair()?;
        let listed: Vec<SessionId> = members
            .iter()
            .copied()
            .filter(|m| {
                state
                    .group
                    .members()
                    .get(m)
                    .is_some_and(|m| !m.is_removed())
            })
            .collect();
        if listed.is_empty() {
            return Ok(());
        }
        let mut rng = OsRandom::new();
        let removal = state.group.remove(
            &mut rng,
            &listed,
            delete_messages,
            self.inner.client.now_ms(),
        )?;
        rng.check().map_err(|_| GroupError::Random)?;
        self.store_outputs(
            &mut state,
            &removal.pushes,
            &removal.revocations,
            Some(&removal.kicked_notice),
            &removal.group_messages,
        )
        .await?;
        let erased = state.group.erase_removed()?;
        self.store_outputs(&mut state, &erased, &[], None, &[])
            .await
    }

    /// Renames the group: Info pushed, the change announced.
    ///
    /// # Errors
    ///
    /// [`GroupError::NotAdmin`], [`GroupError::Group`] for a name above 100 bytes, the
    /// network's errors.
    pub async fn rename(&self, group: &SessionId, name: &str) -> Result<(), GroupError> {
        let shared = self.get(group).await?;
        let mut state = shared.lock().await;
        let mut rng = OsRandom::new();
        let update = state
            .group
            .update_info(&mut rng, self.inner.client.now_ms(), |info| {
                Ok(info.set_name(name)?)
            })?;
        rng.check().map_err(|_| GroupError::Random)?;
        self.store_outputs(
            &mut state,
            &update.pushes,
            &[],
            None,
            &update.group_messages,
        )
        .await?;
        self.record(&state).await
    }

    /// Stores what an admin operation produced, in the order the group state asks: pushes,
    /// revocations, the kicked notice, announcements; then saves the group.
    async fn store_outputs(
        &self,
        state: &mut GroupState,
        pushes: &[ConfigPush],
        revocations: &[session_groups::revoke::Revocation],
        kicked_notice: Option<&[u8]>,
        group_messages: &[Vec<u8>],
    ) -> Result<(), GroupError> {
        let client = &self.inner.client;
        let majority = self.inner.options.majority_confirmation;
        swarm::push(client, state, pushes, majority).await?;
        swarm::revoke(client, state, revocations).await?;
        let signer = state.signer()?;
        if let Some(notice) = kicked_notice {
            swarm::post(client, &signer, REVOKED, notice, MESSAGE_TTL_MS, majority).await?;
        }
        for message in group_messages {
            swarm::post(client, &signer, MESSAGES, message, MESSAGE_TTL_MS, majority).await?;
        }
        self.save(state, WriteBatch::new()).await
    }
}

/// Only `05` Session IDs can be members.
fn check_member(member: &SessionId) -> Result<(), GroupError> {
    if member.prefix() == IdPrefix::Standard {
        Ok(())
    } else {
        Err(GroupError::WrongPrefix(*member))
    }
}

/// The 1:1 message of an invite or promotion, sent at the time its signature covers.
fn direct(update: &DirectUpdate) -> Direct {
    let kind = ProtocolGroupUpdate::new(update.update.to_proto());
    (update.recipient, Message::new(kind, update.sent_ms))
}
