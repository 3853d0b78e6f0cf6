//! What admins do: rekey, invite, remove, promote and edit the Info config.

use rand_core::CryptoRng;
use session_identity::SessionId;

use crate::control::{
    DeleteMemberContent, GroupUpdate, InfoChange, InfoChangeKind, Invite, MemberChange,
    MemberChangeKind, Promote,
};
use crate::error::GroupError;
use crate::info::GroupInfo;
use crate::kicked;
use crate::members::Member;
use crate::revoke::{Revocation, RevocationKind};
use crate::subaccount::{SubaccountFlags, SubaccountToken};

use super::group::{Group, check_member};
use super::outputs::{ConfigPush, DirectUpdate, InfoUpdate, Invitation, Promotion, Removal};

impl Group {
    /// Makes the next generation's key for every member not removed and dirties Info and
    /// Members so that they are re-encrypted with it; returns the generation.
    pub(super) fn make_rekey(&mut self) -> Result<i64, GroupError> {
        self.group_keypair()?;
        let recipients = self.members.key_recipients();
        let rekey = self.keys.rekey(&recipients)?;
        self.apply_keys(true)?;
        Ok(rekey.generation)
    }

    /// Rekeys (after [`GroupEvent::NeedsRekey`](crate::GroupEvent::NeedsRekey), or at will):
    /// a new key for every member not removed, then Info and Members re-encrypted with it.
    /// Returns the pushes, key message first.
    ///
    /// # Errors
    ///
    /// [`GroupError::NotAdmin`].
    pub fn rekey(&mut self) -> Result<Vec<ConfigPush>, GroupError> {
        self.make_rekey()?;
        self.pending_pushes()
    }

    /// Invites `invitees` (new members, members whose invite should be sent again, or removed
    /// members coming back). New members get the keys through a supplement (all current keys,
    /// so they can read the history) when `share_history`, else through a rekey. Every
    /// invitee is marked "invite sent", and gets an invite signed for `now_ms`, which must
    /// be the sent timestamp of the 1:1 message carrying it.
    ///
    /// # Errors
    ///
    /// [`GroupError::NotAdmin`], [`GroupError::MemberPrefix`].
    pub fn invite<R: CryptoRng + ?Sized>(
        &mut self,
        rng: &mut R,
        invitees: &[SessionId],
        share_history: bool,
        now_ms: u64,
    ) -> Result<Invitation, GroupError> {
        let group = self.group_keypair()?.clone();
        let mut added = Vec::new();
        let mut returning = Vec::new();
        for id in invitees {
            check_member(id)?;
            let existing = self.members.get(id);
            let new = existing.as_ref().is_none_or(Member::is_removed);
            if existing.as_ref().is_some_and(Member::is_removed) {
                returning.push(*id);
            }
            self.members.update(id, |m| {
                m.removed = crate::members::RemovedStatus::NotRemoved;
                if !m.admin {
                    m.set_invited();
                }
                if new {
                    m.supplement = share_history;
                }
            })?;
            if new {
                added.push(*id);
            }
        }
        if !added.is_empty() {
            if share_history && self.keys.size() > 0 && self.keys.pending_config().is_none() {
                self.supplements.push(self.keys.key_supplement(&added)?);
            } else {
                self.make_rekey()?;
            }
        }
        let name = self.name();
        let mut invites = Vec::with_capacity(invitees.len());
        for id in invitees {
            let auth = self.keys.make_subaccount(id, SubaccountFlags::MEMBER)?;
            invites.push(DirectUpdate {
                recipient: *id,
                update: GroupUpdate::Invite(Invite::new(&group, &name, id, auth, now_ms)),
                sent_ms: now_ms,
            });
        }
        let tokens = self.tokens(&returning)?;
        let unrevocations = if tokens.is_empty() {
            Vec::new()
        } else {
            Revocation::build(&group, RevocationKind::Unrevoke, now_ms, &tokens)
        };
        let mut group_messages = Vec::new();
        if !added.is_empty() {
            let change = MemberChange::new(
                &group,
                MemberChangeKind::Added,
                added,
                share_history,
                now_ms,
            );
            group_messages.push(self.seal_update(
                rng,
                &GroupUpdate::MemberChange(change),
                now_ms,
            )?);
        }
        Ok(Invitation {
            pushes: self.pending_pushes()?,
            invites,
            unrevocations,
            group_messages,
        })
    }

    /// Removes `removed` members: marks them removed (with their messages if
    /// `delete_messages`), rekeys for everyone else, and returns the revocations of their
    /// swarm access, the kicked notice for namespace -11 and the announcements.
    ///
    /// # Errors
    ///
    /// [`GroupError::NotAdmin`], [`GroupError::NotMember`] for someone not in the group.
    pub fn remove<R: CryptoRng + ?Sized>(
        &mut self,
        rng: &mut R,
        removed: &[SessionId],
        delete_messages: bool,
        now_ms: u64,
    ) -> Result<Removal, GroupError> {
        let group = self.group_keypair()?.clone();
        for id in removed {
            check_member(id)?;
            if self.members.get(id).is_none_or(|m| m.is_removed()) {
                return Err(GroupError::NotMember(*id));
            }
        }
        for id in removed {
            self.members
                .update(id, |m| m.set_removed(delete_messages))?;
        }
        let generation = self.make_rekey()?;
        let tokens = self.tokens(removed)?;
        let revocations = Revocation::build(&group, RevocationKind::Revoke, now_ms, &tokens);
        let kicked_notice = kicked::encrypt(rng, &group, removed, generation)?;
        let change = MemberChange::new(
            &group,
            MemberChangeKind::Removed,
            removed.to_vec(),
            false,
            now_ms,
        );
        let mut group_messages =
            vec![self.seal_update(rng, &GroupUpdate::MemberChange(change), now_ms)?];
        if delete_messages {
            let delete =
                DeleteMemberContent::new_admin(&group, removed.to_vec(), Vec::new(), now_ms);
            group_messages.push(self.seal_update(
                rng,
                &GroupUpdate::DeleteMemberContent(delete),
                now_ms,
            )?);
        }
        Ok(Removal {
            pushes: self.pending_pushes()?,
            revocations,
            kicked_notice,
            group_messages,
        })
    }

    /// Drops removed members from the Members config once their removal is done (their
    /// messages deleted); returns the pushes.
    ///
    /// # Errors
    ///
    /// [`GroupError::NotAdmin`].
    pub fn erase_removed(&mut self) -> Result<Vec<ConfigPush>, GroupError> {
        self.group_keypair()?;
        let gone: Vec<SessionId> = self
            .members
            .iter()
            .filter(Member::is_removed)
            .map(|m| m.session_id)
            .collect();
        for id in &gone {
            self.members.erase(id)?;
        }
        self.pending_pushes()
    }

    /// Promotes `member` to admin: marks the promotion sent and returns the promotion (the
    /// group seed) to send 1:1 at `now_ms`.
    ///
    /// # Errors
    ///
    /// [`GroupError::NotAdmin`], [`GroupError::NotMember`].
    pub fn promote<R: CryptoRng + ?Sized>(
        &mut self,
        rng: &mut R,
        member: &SessionId,
        now_ms: u64,
    ) -> Result<Promotion, GroupError> {
        let group = self.group_keypair()?.clone();
        if self.members.get(member).is_none_or(|m| m.is_removed()) {
            return Err(GroupError::NotMember(*member));
        }
        self.members.update(member, Member::set_promoted)?;
        let promote = match &self.admin {
            Some(identity) => Promote::new(identity, &self.name()),
            None => return Err(GroupError::NotAdmin),
        };
        let change = MemberChange::new(
            &group,
            MemberChangeKind::Promoted,
            vec![*member],
            false,
            now_ms,
        );
        let group_messages =
            vec![self.seal_update(rng, &GroupUpdate::MemberChange(change), now_ms)?];
        Ok(Promotion {
            promote: DirectUpdate {
                recipient: *member,
                update: GroupUpdate::Promote(promote),
                sent_ms: now_ms,
            },
            pushes: self.pending_pushes()?,
            group_messages,
        })
    }

    /// Edits the Info config through `edit` and returns its push with announcements of a new
    /// name, picture or disappearing timer, signed for `now_ms`. Nothing is pushed when the
    /// edit changed nothing, and nothing changes when `edit` fails.
    ///
    /// # Errors
    ///
    /// [`GroupError::NotAdmin`], or what `edit` returned.
    pub fn update_info<R: CryptoRng + ?Sized>(
        &mut self,
        rng: &mut R,
        now_ms: u64,
        edit: impl FnOnce(&mut GroupInfo) -> Result<(), GroupError>,
    ) -> Result<InfoUpdate, GroupError> {
        let group = self.group_keypair()?.clone();
        let before = self.info.clone();
        // Edit a copy so that a failing edit leaves nothing half-done.
        let mut info = self.info.clone();
        edit(&mut info)?;
        self.info = info;
        let mut changes = Vec::new();
        if self.info.name() != before.name() {
            changes.push(InfoChangeKind::Name(self.name()));
        }
        if self.info.profile_pic() != before.profile_pic() {
            changes.push(InfoChangeKind::Avatar);
        }
        if self.info.expiry_timer() != before.expiry_timer() {
            let seconds = self.info.expiry_timer().unwrap_or(0);
            changes.push(InfoChangeKind::DisappearingMessages(
                u32::try_from(seconds).unwrap_or(u32::MAX),
            ));
        }
        let mut group_messages = Vec::with_capacity(changes.len());
        for kind in changes {
            let change = InfoChange::new(&group, kind, now_ms);
            group_messages.push(self.seal_update(rng, &GroupUpdate::InfoChange(change), now_ms)?);
        }
        Ok(InfoUpdate {
            pushes: self.pending_pushes()?,
            group_messages,
        })
    }

    /// Edits one member's entry (name, picture, statuses) through `edit` and returns the
    /// Members push; nothing changes when `edit` fails. Membership itself changes through
    /// [`invite`](Self::invite), [`remove`](Self::remove) and [`promote`](Self::promote),
    /// which also rekey and sign what they must.
    ///
    /// # Errors
    ///
    /// [`GroupError::NotAdmin`], [`GroupError::NotMember`] for someone not listed, or what
    /// `edit` returned.
    pub fn update_member(
        &mut self,
        id: &SessionId,
        edit: impl FnOnce(&mut Member) -> Result<(), GroupError>,
    ) -> Result<Vec<ConfigPush>, GroupError> {
        self.group_keypair()?;
        let mut member = self.members.get(id).ok_or(GroupError::NotMember(*id))?;
        edit(&mut member)?;
        self.members.set(&member)?;
        self.pending_pushes()
    }

    /// The subaccount tokens of `members` (the flags invites grant).
    fn tokens(&self, members: &[SessionId]) -> Result<Vec<SubaccountToken>, GroupError> {
        members
            .iter()
            .map(|id| Ok(self.keys.subaccount_token(id, SubaccountFlags::MEMBER)?))
            .collect()
    }
}
