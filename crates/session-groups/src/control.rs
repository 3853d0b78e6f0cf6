//! Group control messages (`DataMessage.groupUpdateMessage`, clients.md §8) as typed values
//! over session-protocol's generated protobufs, with the admin signatures current clients
//! check ([`crate::signatures`]).

use prost::Message as _;
use session_crypto::{Ed25519Seed, ed25519};
use session_identity::{IdPrefix, Keypair, SessionId};
use session_protocol::proto::{
    GroupUpdateDeleteMemberContentMessage, GroupUpdateInfoChangeMessage, GroupUpdateInviteMessage,
    GroupUpdateInviteResponseMessage, GroupUpdateMemberChangeMessage, GroupUpdateMemberLeftMessage,
    GroupUpdateMemberLeftNotificationMessage, GroupUpdateMessage, GroupUpdatePromoteMessage,
    group_update_info_change_message, group_update_member_change_message,
};

use crate::error::ControlError;
use crate::group::GroupIdentity;
use crate::signatures;
use crate::subaccount::{self, AuthData, SubaccountFlags};

/// An invitation, sent 1:1 to the invitee.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invite {
    /// The group's `03` ID.
    pub group_id: SessionId,
    /// The group's name.
    pub name: String,
    /// The invitee's subaccount authentication data.
    pub auth_data: AuthData,
    /// The group's signature over `"INVITE" || invitee || timestamp`.
    pub admin_signature: [u8; 64],
}

impl Invite {
    /// An invite of `member` into `group`, signed for `timestamp_ms` (the message's sent time).
    pub fn new(
        group: &Keypair,
        name: &str,
        member: &SessionId,
        auth_data: AuthData,
        timestamp_ms: u64,
    ) -> Self {
        Self {
            group_id: group.group_id(),
            name: name.to_owned(),
            auth_data,
            admin_signature: group.sign(&signatures::invite(member, timestamp_ms)),
        }
    }

    /// Checks, as the invitee `member`, the admin signature and that the auth data is valid
    /// for us in this group (read and write).
    ///
    /// # Errors
    ///
    /// [`ControlError::BadAdminSignature`], or [`ControlError::AuthData`].
    pub fn verify(&self, member: &Keypair, timestamp_ms: u64) -> Result<(), ControlError> {
        let signed = signatures::invite(&member.session_id(), timestamp_ms);
        ed25519::verify(&self.admin_signature, self.group_id.key_bytes(), &signed)
            .map_err(|_| ControlError::BadAdminSignature)?;
        subaccount::verify(
            &self.group_id,
            member,
            &self.auth_data,
            SubaccountFlags::MEMBER,
        )?;
        Ok(())
    }
}

/// A promotion to admin, sent 1:1: it carries the group seed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Promote {
    /// The group's seed (the first half of its Ed25519 secret key).
    pub seed: Ed25519Seed,
    /// The group's name.
    pub name: String,
}

impl Promote {
    /// A promotion for `group`.
    pub fn new(group: &GroupIdentity, name: &str) -> Self {
        Self {
            seed: group.seed(),
            name: name.to_owned(),
        }
    }

    /// The group the seed belongs to (compare its ID with the group we know).
    pub fn group(&self) -> GroupIdentity {
        GroupIdentity::from_seed(&self.seed)
    }
}

/// What an info change changed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum InfoChangeKind {
    /// The name, to this.
    Name(String),
    /// The avatar.
    Avatar,
    /// The disappearing-messages timer, in seconds (0: off).
    DisappearingMessages(u32),
}

impl InfoChangeKind {
    fn number(&self) -> i32 {
        use group_update_info_change_message::Type;
        match self {
            Self::Name(_) => Type::Name as i32,
            Self::Avatar => Type::Avatar as i32,
            Self::DisappearingMessages(_) => Type::DisappearingMessages as i32,
        }
    }
}

/// An info change announcement, sent to the group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InfoChange {
    /// The change.
    pub kind: InfoChangeKind,
    /// The group's signature over `"INFO_CHANGE" || type || timestamp`.
    pub admin_signature: [u8; 64],
}

impl InfoChange {
    /// Signs an info change for `timestamp_ms`.
    pub fn new(group: &Keypair, kind: InfoChangeKind, timestamp_ms: u64) -> Self {
        let admin_signature = group.sign(&signatures::info_change(kind.number(), timestamp_ms));
        Self {
            kind,
            admin_signature,
        }
    }
}

/// What a member change did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MemberChangeKind {
    /// Members were added.
    Added,
    /// Members were removed.
    Removed,
    /// Members were promoted to admin.
    Promoted,
}

impl MemberChangeKind {
    fn number(self) -> i32 {
        use group_update_member_change_message::Type;
        match self {
            Self::Added => Type::Added as i32,
            Self::Removed => Type::Removed as i32,
            Self::Promoted => Type::Promoted as i32,
        }
    }
}

/// A member change announcement, sent to the group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberChange {
    /// The change.
    pub kind: MemberChangeKind,
    /// The members concerned.
    pub members: Vec<SessionId>,
    /// For additions: whether history was shared with them.
    pub history_shared: bool,
    /// The group's signature over `"MEMBER_CHANGE" || type || timestamp`.
    pub admin_signature: [u8; 64],
}

impl MemberChange {
    /// Signs a member change for `timestamp_ms`.
    pub fn new(
        group: &Keypair,
        kind: MemberChangeKind,
        members: Vec<SessionId>,
        history_shared: bool,
        timestamp_ms: u64,
    ) -> Self {
        Self {
            kind,
            members,
            history_shared,
            admin_signature: group.sign(&signatures::member_change(kind.number(), timestamp_ms)),
        }
    }
}

/// A request to delete members' messages, sent to the group. Members may delete their own
/// messages unsigned; deleting others' needs the admin signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteMemberContent {
    /// Delete everything these members sent.
    pub members: Vec<SessionId>,
    /// Delete these messages.
    pub message_hashes: Vec<String>,
    /// The group's signature over `"DELETE_CONTENT" || timestamp || members || hashes`.
    pub admin_signature: Option<[u8; 64]>,
}

impl DeleteMemberContent {
    /// An admin's deletion, signed for `timestamp_ms`.
    pub fn new_admin(
        group: &Keypair,
        members: Vec<SessionId>,
        message_hashes: Vec<String>,
        timestamp_ms: u64,
    ) -> Self {
        let signed = signatures::delete_content(timestamp_ms, &members, &message_hashes);
        Self {
            members,
            message_hashes,
            admin_signature: Some(group.sign(&signed)),
        }
    }
}

/// A group control message.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum GroupUpdate {
    /// An invitation (1:1).
    Invite(Invite),
    /// A promotion (1:1).
    Promote(Promote),
    /// An info change.
    InfoChange(InfoChange),
    /// A member change.
    MemberChange(MemberChange),
    /// The sender left (the sender comes from the group encryption).
    MemberLeft,
    /// Tells admins that the sender left.
    MemberLeftNotification,
    /// The invitee's answer.
    InviteResponse {
        /// Whether the invite was accepted.
        approved: bool,
    },
    /// A deletion of members' content.
    DeleteMemberContent(DeleteMemberContent),
}

impl GroupUpdate {
    /// Whether it goes 1:1 (an invite or promotion) rather than to the group swarm.
    pub fn is_direct(&self) -> bool {
        matches!(self, Self::Invite(_) | Self::Promote(_))
    }

    /// Checks the admin signature of a group-swarm update against the group key, for the
    /// message's sent `timestamp_ms`. Updates that members send (left, left notification,
    /// invite response, unsigned deletions) have none and pass.
    ///
    /// # Errors
    ///
    /// [`ControlError::BadAdminSignature`]; [`ControlError::DirectMessage`] for invites and
    /// promotions.
    pub fn verify(&self, group_pk: &[u8; 32], timestamp_ms: u64) -> Result<(), ControlError> {
        let (signature, signed) = match self {
            Self::Invite(_) | Self::Promote(_) => return Err(ControlError::DirectMessage),
            Self::InfoChange(change) => (
                &change.admin_signature,
                signatures::info_change(change.kind.number(), timestamp_ms),
            ),
            Self::MemberChange(change) => (
                &change.admin_signature,
                signatures::member_change(change.kind.number(), timestamp_ms),
            ),
            Self::DeleteMemberContent(delete) => match &delete.admin_signature {
                Some(signature) => (
                    signature,
                    signatures::delete_content(
                        timestamp_ms,
                        &delete.members,
                        &delete.message_hashes,
                    ),
                ),
                None => return Ok(()),
            },
            Self::MemberLeft | Self::MemberLeftNotification | Self::InviteResponse { .. } => {
                return Ok(());
            }
        };
        ed25519::verify(signature, group_pk, &signed).map_err(|_| ControlError::BadAdminSignature)
    }

    /// The protobuf message.
    pub fn to_proto(&self) -> GroupUpdateMessage {
        let mut out = GroupUpdateMessage::default();
        match self {
            Self::Invite(invite) => {
                out.invite_message = Some(GroupUpdateInviteMessage {
                    group_session_id: Some(invite.group_id.to_string()),
                    name: Some(invite.name.clone()),
                    member_auth_data: Some(invite.auth_data.as_bytes().to_vec()),
                    admin_signature: Some(invite.admin_signature.to_vec()),
                });
            }
            Self::Promote(promote) => {
                out.promote_message = Some(GroupUpdatePromoteMessage {
                    group_identity_seed: Some(promote.seed.expose_secret().to_vec()),
                    name: Some(promote.name.clone()),
                });
            }
            Self::InfoChange(change) => {
                let (updated_name, updated_expiration) = match &change.kind {
                    InfoChangeKind::Name(name) => (Some(name.clone()), None),
                    InfoChangeKind::Avatar => (None, None),
                    InfoChangeKind::DisappearingMessages(seconds) => (None, Some(*seconds)),
                };
                out.info_change_message = Some(GroupUpdateInfoChangeMessage {
                    r#type: Some(change.kind.number()),
                    updated_name,
                    updated_expiration,
                    admin_signature: Some(change.admin_signature.to_vec()),
                });
            }
            Self::MemberChange(change) => {
                out.member_change_message = Some(GroupUpdateMemberChangeMessage {
                    r#type: Some(change.kind.number()),
                    member_session_ids: change.members.iter().map(ToString::to_string).collect(),
                    history_shared: change.history_shared.then_some(true),
                    admin_signature: Some(change.admin_signature.to_vec()),
                });
            }
            Self::MemberLeft => out.member_left_message = Some(GroupUpdateMemberLeftMessage {}),
            Self::MemberLeftNotification => {
                out.member_left_notification_message =
                    Some(GroupUpdateMemberLeftNotificationMessage {});
            }
            Self::InviteResponse { approved } => {
                out.invite_response = Some(GroupUpdateInviteResponseMessage {
                    is_approved: Some(*approved),
                });
            }
            Self::DeleteMemberContent(delete) => {
                out.delete_member_content = Some(GroupUpdateDeleteMemberContentMessage {
                    member_session_ids: delete.members.iter().map(ToString::to_string).collect(),
                    message_hashes: delete.message_hashes.clone(),
                    admin_signature: delete.admin_signature.map(|s| s.to_vec()),
                });
            }
        }
        out
    }

    /// The protobuf bytes.
    pub fn encode(&self) -> Vec<u8> {
        self.to_proto().encode_to_vec()
    }

    /// Reads a `GroupUpdateMessage` from its bytes.
    ///
    /// # Errors
    ///
    /// [`ControlError::Protobuf`], then as [`from_proto`](Self::from_proto).
    pub fn decode(bytes: &[u8]) -> Result<Self, ControlError> {
        Self::from_proto(GroupUpdateMessage::decode(bytes).map_err(|_| ControlError::Protobuf)?)
    }

    /// Reads the one update a `GroupUpdateMessage` must carry.
    ///
    /// # Errors
    ///
    /// [`ControlError::UpdateCount`] unless exactly one is set; a field error for a
    /// missing or malformed required field.
    pub fn from_proto(message: GroupUpdateMessage) -> Result<Self, ControlError> {
        let count = [
            message.invite_message.is_some(),
            message.info_change_message.is_some(),
            message.member_change_message.is_some(),
            message.promote_message.is_some(),
            message.member_left_message.is_some(),
            message.invite_response.is_some(),
            message.delete_member_content.is_some(),
            message.member_left_notification_message.is_some(),
        ]
        .iter()
        .filter(|set| **set)
        .count();
        if count != 1 {
            return Err(ControlError::UpdateCount(count));
        }
        if let Some(invite) = message.invite_message {
            let group_id = parse_id(invite.group_session_id.as_deref(), "invite.groupSessionId")?;
            if group_id.prefix() != IdPrefix::Group {
                return Err(ControlError::SessionId("invite.groupSessionId"));
            }
            return Ok(Self::Invite(Invite {
                group_id,
                name: invite.name.ok_or(ControlError::Field("invite.name"))?,
                auth_data: AuthData::from_slice(
                    invite
                        .member_auth_data
                        .as_deref()
                        .ok_or(ControlError::Field("invite.memberAuthData"))?,
                )
                .map_err(|_| ControlError::Field("invite.memberAuthData"))?,
                admin_signature: signature(
                    invite.admin_signature.as_deref(),
                    "invite.adminSignature",
                )?,
            }));
        }
        if let Some(promote) = message.promote_message {
            let seed: [u8; 32] = promote
                .group_identity_seed
                .as_deref()
                .and_then(|s| s.try_into().ok())
                .ok_or(ControlError::Field("promote.groupIdentitySeed"))?;
            return Ok(Self::Promote(Promote {
                seed: Ed25519Seed::from_bytes(seed),
                name: promote.name.ok_or(ControlError::Field("promote.name"))?,
            }));
        }
        if let Some(change) = message.info_change_message {
            use group_update_info_change_message::Type;
            let kind = match change.r#type.and_then(|t| Type::try_from(t).ok()) {
                Some(Type::Name) => InfoChangeKind::Name(
                    change
                        .updated_name
                        .ok_or(ControlError::Field("infoChange.updatedName"))?,
                ),
                Some(Type::Avatar) => InfoChangeKind::Avatar,
                Some(Type::DisappearingMessages) => InfoChangeKind::DisappearingMessages(
                    change
                        .updated_expiration
                        .ok_or(ControlError::Field("infoChange.updatedExpiration"))?,
                ),
                None => return Err(ControlError::Field("infoChange.type")),
            };
            return Ok(Self::InfoChange(InfoChange {
                kind,
                admin_signature: signature(
                    change.admin_signature.as_deref(),
                    "infoChange.adminSignature",
                )?,
            }));
        }
        if let Some(change) = message.member_change_message {
            use group_update_member_change_message::Type;
            let kind = match change.r#type.and_then(|t| Type::try_from(t).ok()) {
                Some(Type::Added) => MemberChangeKind::Added,
                Some(Type::Removed) => MemberChangeKind::Removed,
                Some(Type::Promoted) => MemberChangeKind::Promoted,
                None => return Err(ControlError::Field("memberChange.type")),
            };
            return Ok(Self::MemberChange(MemberChange {
                kind,
                members: parse_ids(&change.member_session_ids, "memberChange.memberSessionIds")?,
                history_shared: change.history_shared.unwrap_or(false),
                admin_signature: signature(
                    change.admin_signature.as_deref(),
                    "memberChange.adminSignature",
                )?,
            }));
        }
        if message.member_left_message.is_some() {
            return Ok(Self::MemberLeft);
        }
        if message.member_left_notification_message.is_some() {
            return Ok(Self::MemberLeftNotification);
        }
        if let Some(response) = message.invite_response {
            return Ok(Self::InviteResponse {
                approved: response
                    .is_approved
                    .ok_or(ControlError::Field("inviteResponse.isApproved"))?,
            });
        }
        let delete = message
            .delete_member_content
            .ok_or(ControlError::UpdateCount(0))?;
        Ok(Self::DeleteMemberContent(DeleteMemberContent {
            members: parse_ids(
                &delete.member_session_ids,
                "deleteMemberContent.memberSessionIds",
            )?,
            message_hashes: delete.message_hashes,
            admin_signature: delete
                .admin_signature
                .as_deref()
                .map(|s| signature(Some(s), "deleteMemberContent.adminSignature"))
                .transpose()?,
        }))
    }
}

/// A required 64-byte signature field.
fn signature(bytes: Option<&[u8]>, field: &'static str) -> Result<[u8; 64], ControlError> {
    bytes
        .and_then(|s| s.try_into().ok())
        .ok_or(ControlError::Field(field))
}

/// A required Session ID field.
fn parse_id(text: Option<&str>, field: &'static str) -> Result<SessionId, ControlError> {
    text.ok_or(ControlError::Field(field))?
        .parse()
        .map_err(|_| ControlError::SessionId(field))
}

/// A list of `05` member IDs.
fn parse_ids(texts: &[String], field: &'static str) -> Result<Vec<SessionId>, ControlError> {
    texts
        .iter()
        .map(|t| {
            let id: SessionId = t.parse().map_err(|_| ControlError::SessionId(field))?;
            if id.prefix() == IdPrefix::Standard {
                Ok(id)
            } else {
                Err(ControlError::SessionId(field))
            }
        })
        .collect()
}
