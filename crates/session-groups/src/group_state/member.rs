//! What every member (admins included) does: send messages, answer an invite, accept a
//! promotion, leave, and authenticate to the group's swarm.

use rand_core::CryptoRng;

use crate::control::{GroupUpdate, Promote};
use crate::error::GroupError;
use crate::members::Member;

use super::group::Group;
use super::outputs::{ConfigPush, SwarmAuth};

impl Group {
    /// Encrypts `content` (protobuf `Content` bytes, unpadded) as the group envelope to store
    /// in namespace 11, sent at `sent_ms`, under the newest key.
    ///
    /// # Errors
    ///
    /// [`GroupError::Message`] before the first key or above the size limit.
    pub fn encrypt_message<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        content: &[u8],
        sent_ms: u64,
    ) -> Result<Vec<u8>, GroupError> {
        self.seal(rng, content, sent_ms)
    }

    /// Encrypts a control message (member left, invite response, an admin's change) for
    /// namespace 11, sent at `sent_ms`.
    ///
    /// # Errors
    ///
    /// As [`encrypt_message`](Self::encrypt_message).
    pub fn encrypt_update<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        update: &GroupUpdate,
        sent_ms: u64,
    ) -> Result<Vec<u8>, GroupError> {
        self.seal_update(rng, update, sent_ms)
    }

    /// The invite response (accepted) to store in namespace 11 once keys are known, which
    /// tells admins to mark our invite accepted.
    ///
    /// # Errors
    ///
    /// As [`encrypt_message`](Self::encrypt_message).
    pub fn invite_response<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        sent_ms: u64,
    ) -> Result<Vec<u8>, GroupError> {
        self.seal_update(
            rng,
            &GroupUpdate::InviteResponse { approved: true },
            sent_ms,
        )
    }

    /// Accepts a promotion received 1:1: checks that its seed is this group's, becomes admin
    /// (Info and Members become writable and signed) and marks our promotion accepted.
    /// Returns the Members push.
    ///
    /// # Errors
    ///
    /// [`GroupError::WrongGroup`] for another group's seed.
    pub fn accept_promotion(&mut self, promote: &Promote) -> Result<Vec<ConfigPush>, GroupError> {
        let identity = promote.group();
        if identity.public_key() != &self.group_pk {
            return Err(GroupError::WrongGroup);
        }
        self.keys.load_admin_key(&promote.seed)?;
        self.admin = Some(identity);
        self.apply_signing()?;
        let me = self.user.session_id();
        if self.members.get(&me).is_some_and(|m| !m.promoted()) {
            self.members.update(&me, Member::set_promotion_accepted)?;
        }
        self.pending_pushes()
    }

    /// Leaving: the namespace-11 messages to store (`memberLeft`, which admins act on by
    /// removing us, and `memberLeftNotification` for everyone's history), sent at `sent_ms`.
    /// Afterwards the driver stops polling and forgets the group.
    ///
    /// # Errors
    ///
    /// As [`encrypt_message`](Self::encrypt_message).
    pub fn leave<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        sent_ms: u64,
    ) -> Result<Vec<Vec<u8>>, GroupError> {
        Ok(vec![
            self.seal_update(rng, &GroupUpdate::MemberLeft, sent_ms)?,
            self.seal_update(rng, &GroupUpdate::MemberLeftNotification, sent_ms)?,
        ])
    }

    /// Authenticates a storage request (`message` is the method's signed bytes, e.g.
    /// `"retrieve" || namespace || timestamp`): admins sign with the group key, members as a
    /// subaccount with the auth data of their invite.
    ///
    /// # Errors
    ///
    /// [`GroupError::NoAuthData`] for a member without auth data; [`GroupError::Subaccount`]
    /// if it is not usable.
    pub fn sign_request(&self, message: &[u8]) -> Result<SwarmAuth, GroupError> {
        if let Some(identity) = &self.admin {
            return Ok(SwarmAuth::Admin {
                signature: identity.keypair().sign(message),
            });
        }
        let auth = self.auth_data.as_ref().ok_or(GroupError::NoAuthData)?;
        Ok(SwarmAuth::Subaccount(
            self.keys.sign_as_subaccount(auth, message)?,
        ))
    }
}
