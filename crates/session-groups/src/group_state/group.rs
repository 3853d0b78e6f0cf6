//! The [`Group`] object: one user's view of one group (Keys, Info and Members together), its
//! constructors and accessors, and the helpers the operations share.

use rand_core::CryptoRng;
use session_identity::{IdPrefix, Keypair, SessionId};
use session_protocol::ProSignature;
use session_protocol::envelope::PRO_SIG_LEN;
use zeroize::Zeroizing;

use crate::control::{GroupUpdate, Invite};
use crate::error::GroupError;
use crate::group::GroupIdentity;
use crate::info::GroupInfo;
use crate::keys::GroupKeys;
use crate::members::{GroupMembers, Member};
use crate::rekeying::{replace_keys, set_signing};
use crate::subaccount::AuthData;

use super::outputs::{ConfigPush, control_content};

/// Most config messages kept while waiting for the key that decrypts them (per namespace).
pub(super) const MAX_STASHED: usize = 32;

/// A config message that did not decrypt yet (it may have arrived before its key message).
#[derive(Clone)]
pub(super) struct Stashed {
    pub(super) namespace: i16,
    pub(super) hash: String,
    pub(super) data: Vec<u8>,
}

/// One user's state of one closed group: the Keys (namespace 12), Info (13) and Members (14),
/// and what the user needs to use the group's swarm (the group key pair for admins, the
/// member authentication data for members).
///
/// It does no I/O and reads no clock: the driver feeds it what it retrieves
/// ([`ingest`](Self::ingest)), stores what it asks ([`pending_pushes`](Self::pending_pushes)
/// and the outputs of the admin operations), confirms the stores
/// ([`confirm_pushed`](Self::confirm_pushed)), and passes randomness and the time in.
pub struct Group {
    pub(super) user: Keypair,
    pub(super) group_pk: [u8; 32],
    pub(super) admin: Option<GroupIdentity>,
    pub(super) keys: GroupKeys,
    pub(super) info: GroupInfo,
    pub(super) members: GroupMembers,
    pub(super) auth_data: Option<AuthData>,
    pub(super) supplements: Vec<Vec<u8>>,
    pub(super) stash: Vec<Stashed>,
    pub(super) kicked: bool,
}

impl core::fmt::Debug for Group {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Group")
            .field("group", &self.group_id())
            .field("user", &self.user.session_id())
            .field("admin", &self.admin.is_some())
            .field("keys", &self.keys)
            .field("kicked", &self.kicked)
            .finish_non_exhaustive()
    }
}

impl Group {
    /// Creates a group: a fresh identity from `rng`, `name`, the creation time `now_ms`, the
    /// creator as its first (accepted) admin and `members` (not yet invited), and the first
    /// key for all of them. Returns the group and its pushes (key message first); once they
    /// are stored, [`invite`](Self::invite) the members.
    ///
    /// # Errors
    ///
    /// [`GroupError::MemberPrefix`] for a non-`05` member; config errors for a name above
    /// 100 bytes.
    pub fn create<R: CryptoRng + ?Sized>(
        rng: &mut R,
        creator: Keypair,
        name: &str,
        members: &[SessionId],
        now_ms: u64,
    ) -> Result<(Self, Vec<ConfigPush>), GroupError> {
        let identity = GroupIdentity::generate(rng);
        let mut group = Self::new_admin(creator, identity)?;
        group.info.set_name(name)?;
        group
            .info
            .set_created(i64::try_from(now_ms / 1000).unwrap_or(i64::MAX))?;
        let creator_id = group.user.session_id();
        group
            .members
            .update(&creator_id, Member::set_promotion_accepted)?;
        for id in members {
            check_member(id)?;
            if *id != creator_id {
                group
                    .members
                    .update(id, |m| m.invite = crate::members::Pending::NotSent)?;
            }
        }
        group.make_rekey()?;
        let pushes = group.pending_pushes()?;
        Ok((group, pushes))
    }

    /// An admin's empty state of an existing group (from the seed in UserGroups `K`): feed it
    /// the group's namespaces 12, 13 and 14.
    ///
    /// # Errors
    ///
    /// Only for a group key the Keys state cannot use (never for a generated identity).
    pub fn new_admin(user: Keypair, identity: GroupIdentity) -> Result<Self, GroupError> {
        let group_pk = *identity.public_key();
        let keys = GroupKeys::new_admin(user.clone(), identity.keypair().clone())?;
        let info = GroupInfo::new(&group_pk, Some(identity.keypair()))?;
        let members = GroupMembers::new(&group_pk, Some(identity.keypair()))?;
        Ok(Self {
            user,
            group_pk,
            admin: Some(identity),
            keys,
            info,
            members,
            auth_data: None,
            supplements: Vec::new(),
            stash: Vec::new(),
            kicked: false,
        })
    }

    /// A member's empty state of the group `group_id`, with the authentication data from its
    /// invite (or UserGroups `s`) for swarm requests.
    ///
    /// # Errors
    ///
    /// [`GroupError::Keys`] for an ID that is not a usable `03` group key.
    pub fn new_member(
        user: Keypair,
        group_id: &SessionId,
        auth_data: Option<AuthData>,
    ) -> Result<Self, GroupError> {
        if group_id.prefix() != IdPrefix::Group {
            return Err(GroupError::Keys(crate::KeysError::InvalidGroupKey));
        }
        let group_pk = *group_id.key_bytes();
        let keys = GroupKeys::new_member(user.clone(), group_pk)?;
        Ok(Self {
            user,
            group_pk,
            admin: None,
            keys,
            info: GroupInfo::new(&group_pk, None)?,
            members: GroupMembers::new(&group_pk, None)?,
            auth_data,
            supplements: Vec::new(),
            stash: Vec::new(),
            kicked: false,
        })
    }

    /// Accepts an invite received 1:1 with the envelope timestamp `sent_ms`: checks the admin
    /// signature and that the authentication data is ours, and starts the member's state.
    /// Then poll the group's namespaces and, once keys arrive, send
    /// [`invite_response`](Self::invite_response).
    ///
    /// # Errors
    ///
    /// [`GroupError::Control`] for a forged invite or auth data that is not ours.
    pub fn accept_invite(user: Keypair, invite: &Invite, sent_ms: u64) -> Result<Self, GroupError> {
        invite.verify(&user, sent_ms)?;
        Self::new_member(user, &invite.group_id, Some(invite.auth_data.clone()))
    }

    /// The group's `03` ID.
    pub fn group_id(&self) -> SessionId {
        SessionId::new(IdPrefix::Group, self.group_pk)
    }

    /// The user.
    pub fn user(&self) -> &Keypair {
        &self.user
    }

    /// Whether we hold the group key pair.
    pub fn is_admin(&self) -> bool {
        self.admin.is_some()
    }

    /// The group identity (seed and key pair), for admins: store its seed in UserGroups `K`.
    pub fn identity(&self) -> Option<&GroupIdentity> {
        self.admin.as_ref()
    }

    /// The member authentication data, for members: store it in UserGroups `s`.
    pub fn auth_data(&self) -> Option<&AuthData> {
        self.auth_data.as_ref()
    }

    /// The Keys state.
    pub fn keys(&self) -> &GroupKeys {
        &self.keys
    }

    /// The Info config.
    pub fn info(&self) -> &GroupInfo {
        &self.info
    }

    /// The Members config.
    pub fn members(&self) -> &GroupMembers {
        &self.members
    }

    /// Whether a kicked notice for us was ingested: we are no longer a member.
    pub fn is_kicked(&self) -> bool {
        self.kicked
    }

    /// Whether two keys share the newest generation: an admin should [`rekey`](Self::rekey).
    pub fn needs_rekey(&self) -> bool {
        self.keys.needs_rekey()
    }

    /// The group key pair, or [`GroupError::NotAdmin`].
    pub(super) fn group_keypair(&self) -> Result<&Keypair, GroupError> {
        self.admin
            .as_ref()
            .map(GroupIdentity::keypair)
            .ok_or(GroupError::NotAdmin)
    }

    /// Gives Info and Members the current key list; after a rekey (`rekeyed`) they become
    /// dirty so that they are pushed again under the new key.
    pub(super) fn apply_keys(&mut self, rekeyed: bool) -> Result<(), GroupError> {
        let keys = self.keys.group_keys();
        replace_keys(self.info.base_mut(), &keys, rekeyed)?;
        replace_keys(self.members.base_mut(), &keys, rekeyed)?;
        Ok(())
    }

    /// Gives Info and Members the group key pair (after a promotion).
    pub(super) fn apply_signing(&mut self) -> Result<(), GroupError> {
        let admin = self.admin.as_ref().map(GroupIdentity::keypair);
        set_signing(self.info.base_mut(), &self.group_pk, admin)?;
        set_signing(self.members.base_mut(), &self.group_pk, admin)?;
        Ok(())
    }

    /// Encrypts `content` (protobuf `Content` bytes) as a namespace-11 envelope sent at
    /// `sent_ms`, with a decoy Pro signature from `rng`.
    pub(super) fn seal<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        content: &[u8],
        sent_ms: u64,
    ) -> Result<Vec<u8>, GroupError> {
        let mut random = Zeroizing::new([0u8; PRO_SIG_LEN]);
        rng.fill_bytes(random.as_mut());
        let pro_sig = ProSignature::decoy(&random);
        Ok(self
            .keys
            .encrypt_envelope(rng, content, sent_ms, &pro_sig)?)
    }

    /// Encrypts a control message for the group.
    pub(super) fn seal_update<R: CryptoRng + ?Sized>(
        &self,
        rng: &mut R,
        update: &GroupUpdate,
        sent_ms: u64,
    ) -> Result<Vec<u8>, GroupError> {
        self.seal(rng, &control_content(update, sent_ms), sent_ms)
    }

    /// The group's name, for invites and promotions.
    pub(super) fn name(&self) -> String {
        self.info.name().unwrap_or_default()
    }
}

/// Refuses IDs that cannot be members.
pub(super) fn check_member(id: &SessionId) -> Result<(), GroupError> {
    match id.prefix() {
        IdPrefix::Standard => Ok(()),
        other => Err(GroupError::MemberPrefix(other)),
    }
}
