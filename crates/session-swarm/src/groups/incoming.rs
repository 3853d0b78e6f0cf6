//! What arrives: each group's swarm polled (namespaces -11, 11, 13, 14 and 12, with the
//! admin key or our subaccount), and the invites and promotions that come 1:1.

use session_groups::control::GroupUpdate;
use session_groups::{Group, GroupIdentity};
use session_identity::SessionId;
use session_protocol::proto::GroupUpdateMessage;

use crate::configs::Refresh;
use crate::groups::error::GroupError;
use crate::groups::event::GroupEvent;
use crate::groups::registry::{GroupDriver, Shared};
use crate::groups::state::{GROUP_NAMESPACES, GroupState, MESSAGES};
use crate::groups::swarm::{self, CONFIG_TTL_MS, MESSAGE_TTL_MS};
use crate::net::OsRandom;
use crate::polling::{self, Target};
use crate::rpc::Account;
use crate::store::WriteBatch;

/// How much of its 30 days a current group config or key message may lose before a poll
/// extends it (a day, as for the user configs).
const REFRESH_MARGIN_MS: u64 = 24 * 3600 * 1000;

impl GroupDriver {
    /// Polls every joined group once (taking up first the groups another device of the
    /// account joined) and returns what happened, in order per group; the events go to
    /// [`subscribe`](Self::subscribe)rs too. Invited groups are polled once accepted;
    /// groups we were removed from are not polled.
    ///
    /// # Errors
    ///
    /// The first group's failure, after every group was tried (the store's errors, or the
    /// network's when a group could not be polled at all).
    pub async fn poll_all(&self) -> Result<Vec<GroupEvent>, GroupError> {
        let mut events = self.adopt().await?;
        let mut failure = None;
        for shared in self.all().await? {
            match self.poll_one(&shared).await {
                Ok(mut polled) => events.append(&mut polled),
                Err(error) => {
                    tracing::debug!(%error, "group poll failed");
                    failure.get_or_insert(error);
                }
            }
        }
        match failure {
            Some(error) if events.is_empty() => Err(error),
            _ => Ok(events),
        }
    }

    /// Polls the group `id` once.
    ///
    /// # Errors
    ///
    /// [`GroupError::UnknownGroup`], the network's and the store's errors.
    pub async fn poll_group(&self, id: &SessionId) -> Result<Vec<GroupEvent>, GroupError> {
        let shared = self.get(id).await?;
        self.poll_one(&shared).await
    }

    async fn poll_one(&self, shared: &Shared) -> Result<Vec<GroupEvent>, GroupError> {
        let mut state = shared.lock().await;
        if state.invited || state.kicked() {
            return Ok(Vec::new());
        }
        let signer = state.signer()?;
        let target = Target {
            signer: &signer,
            namespaces: &GROUP_NAMESPACES,
            members: self.inner.options.poll_members,
        };
        let refresh = state.refresh(
            &signer,
            self.inner.client.now_ms(),
            CONFIG_TTL_MS,
            REFRESH_MARGIN_MS,
        );
        let listing = polling::poll(
            &self.inner.client,
            &self.inner.store,
            target,
            refresh.as_ref().map(Refresh::extra),
        )
        .await?;
        if let Some(refresh) = &refresh {
            state.expiries.answered(refresh, listing.extra.as_ref());
        }
        let events = state.absorb(&listing.messages);
        let mut batch = listing.commit;
        let account = Account::from(&state.id);
        for (_, message) in &listing.messages {
            // Handled, read or not: clients record every polled hash as seen.
            batch.mark_seen(
                &account,
                &message.hash,
                i64::try_from(message.expiration).unwrap_or(i64::MAX),
            );
        }
        self.save(&mut state, batch).await?;
        if let Err(error) = self.follow_up(&mut state).await {
            tracing::debug!(%error, "group follow-up failed; trying again at the next poll");
        }
        let renamed = events.iter().any(|e| {
            matches!(
                e,
                GroupEvent::InfoChanged { .. } | GroupEvent::Kicked { .. }
            )
        });
        if renamed {
            self.record(&state).await?;
        }
        let admin = state.is_admin();
        let id = state.id;
        drop(state);
        self.announce(&events);
        if admin {
            // An admin removes (and rekeys away) members who announce they left.
            let leavers: Vec<SessionId> = events
                .iter()
                .filter_map(|event| match event {
                    GroupEvent::Update { sender, update, .. }
                        if matches!(**update, GroupUpdate::MemberLeft) =>
                    {
                        Some(*sender)
                    }
                    _ => None,
                })
                .collect();
            if !leavers.is_empty()
                && let Err(error) = self.remove_members(&id, &leavers, false).await
            {
                tracing::debug!(%error, "removing members who left failed");
            }
        }
        Ok(events)
    }

    /// What a poll can leave to do: a member answers its invite once it has keys; an
    /// admin rekeys after concurrent rekeys and pushes what ingesting changed (an accepted
    /// invite marked in Members).
    async fn follow_up(&self, state: &mut GroupState) -> Result<(), GroupError> {
        let majority = self.inner.options.majority_confirmation;
        if !state.answered && state.group.keys().size() > 0 {
            let mut rng = OsRandom::new();
            let response = state
                .group
                .invite_response(&mut rng, self.inner.client.now_ms())?;
            rng.check().map_err(|_| GroupError::Random)?;
            let signer = state.signer()?;
            swarm::post(
                &self.inner.client,
                &signer,
                MESSAGES,
                &response,
                MESSAGE_TTL_MS,
                majority,
            )
            .await?;
            state.answered = true;
            self.save(state, WriteBatch::new()).await?;
        }
        if state.is_admin() {
            let pushes = if state.group.needs_rekey() {
                state.group.rekey()?
            } else {
                state.group.pending_pushes()?
            };
            if !pushes.is_empty() {
                swarm::push(&self.inner.client, state, &pushes, majority).await?;
                self.save(state, WriteBatch::new()).await?;
            }
        }
        Ok(())
    }

    /// Takes an invite or promotion that came 1:1 from `sender` at `sent_at_ms`: a verified
    /// invite adds the group (invited, or joined with
    /// [`GroupOptions::auto_accept_invites`](crate::groups::GroupOptions::auto_accept_invites)),
    /// a promotion makes us admin. Other updates are not 1:1 and are ignored.
    ///
    /// # Errors
    ///
    /// [`GroupError::Group`] for an invite whose signature or auth data does not verify or
    /// a promotion for another group, and the store's errors.
    pub async fn on_direct(
        &self,
        sender: &SessionId,
        sent_at_ms: u64,
        update: &GroupUpdateMessage,
    ) -> Result<Vec<GroupEvent>, GroupError> {
        let auto = self.inner.options.auto_accept_invites;
        let user = self.inner.keypair.clone();
        let events = match GroupUpdate::from_proto(update.clone())? {
            GroupUpdate::Invite(invite) => {
                let joined = Group::accept_invite(user, &invite, sent_at_ms)?;
                let group = invite.group_id;
                // What the account's other devices recorded comes first: a group they
                // joined is taken up from UserGroups rather than from this invite.
                self.adopt().await?;
                if self.is_stale_invite(&group, sent_at_ms).await? {
                    return Ok(Vec::new());
                }
                if let Ok(shared) = self.get(&group).await {
                    let mut state = shared.lock().await;
                    if !state.kicked() {
                        return Ok(Vec::new());
                    }
                    // Invited again after a removal: a fresh state, and the group's swarm
                    // read again from the start for the keys.
                    *state = GroupState::new(joined, invite.name.clone(), !auto);
                    let mut batch = WriteBatch::new();
                    batch.forget_account(&Account::from(&group));
                    self.save(&mut state, batch).await?;
                    self.record(&state).await?;
                } else {
                    self.insert(GroupState::new(joined, invite.name.clone(), !auto))
                        .await?;
                }
                let mut events = vec![GroupEvent::Invited {
                    group,
                    name: invite.name,
                    by: *sender,
                }];
                if auto {
                    events.push(GroupEvent::Joined { group });
                }
                events
            }
            GroupUpdate::Promote(promote) => {
                let identity: GroupIdentity = promote.group();
                let group = identity.id();
                match self.get(&group).await {
                    Ok(shared) => {
                        let mut state = shared.lock().await;
                        if state.is_admin() {
                            return Ok(Vec::new());
                        }
                        let pushes = state.group.accept_promotion(&promote)?;
                        state.invited = false;
                        state.answered = true;
                        self.save(&mut state, WriteBatch::new()).await?;
                        self.record(&state).await?;
                        let majority = self.inner.options.majority_confirmation;
                        if let Err(error) =
                            swarm::push(&self.inner.client, &mut state, &pushes, majority).await
                        {
                            tracing::debug!(%error, "pushing the accepted promotion failed");
                        }
                        self.save(&mut state, WriteBatch::new()).await?;
                    }
                    Err(_) => {
                        let mut state = GroupState::admin(user, identity)?;
                        state.invite_name = promote.name;
                        self.insert(state).await?;
                    }
                }
                vec![GroupEvent::Promoted { group }]
            }
            _ => Vec::new(),
        };
        self.announce(&events);
        Ok(events)
    }
}
