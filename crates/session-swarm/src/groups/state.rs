//! One group as this account holds it: `session-groups`' [`Group`] (keys, Info, Members,
//! our admin key or auth data) and what the driver adds (the invite's name, whether it was
//! accepted and answered), and the translation of a poll's messages into events.

use session_groups::control::GroupUpdate;
use session_groups::{Group, GroupEvent as StateEvent, GroupIdentity};
use session_identity::{Keypair, SessionId};
use session_protocol::Message;

use crate::configs::{Expiries, Refresh};
use crate::groups::error::GroupError;
use crate::groups::event::{GroupEvent, GroupMessage};
use crate::groups::member_key;
use crate::rpc::{RetrievedMessage, Signer};

/// Namespaces of a group's swarm, as clients poll them: keys last (clients.md §3).
pub(crate) const GROUP_NAMESPACES: [i16; 5] = [-11, 11, 13, 14, 12];
/// Namespace of group messages.
pub(crate) const MESSAGES: i16 = 11;
/// Namespace of kicked notices (revoked members may still read it).
pub(crate) const REVOKED: i16 = -11;

/// The order a poll's namespaces are applied in: keys first (the others need them), then
/// Info and Members, then kicked notices, then messages.
const APPLY_ORDER: [i16; 5] = [12, 13, 14, -11, 11];

/// One group.
pub(crate) struct GroupState {
    pub(crate) id: SessionId,
    pub(crate) group: Group,
    /// The name the invite gave, until the Info config is known.
    pub(crate) invite_name: String,
    /// Invited, not yet accepted: not polled.
    pub(crate) invited: bool,
    /// Our invite response went to the group (once the first keys came).
    pub(crate) answered: bool,
    /// What we know of the expiries of the group's current config and key messages (not
    /// saved: after a restart the first poll extends them all).
    pub(crate) expiries: Expiries,
}

impl std::fmt::Debug for GroupState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupState")
            .field("id", &self.id)
            .field("admin", &self.group.is_admin())
            .field("invited", &self.invited)
            .field("kicked", &self.group.is_kicked())
            .finish_non_exhaustive()
    }
}

impl GroupState {
    /// A group held with `group`'s state.
    pub(crate) fn new(group: Group, invite_name: String, invited: bool) -> Self {
        Self {
            id: group.group_id(),
            // Admins and creators need not answer an invite.
            answered: group.is_admin(),
            group,
            invite_name,
            invited,
            expiries: Expiries::default(),
        }
    }

    /// A group we hold the key pair of (from UserGroups `K`).
    pub(crate) fn admin(user: Keypair, identity: GroupIdentity) -> Result<Self, GroupError> {
        Ok(Self::new(
            Group::new_admin(user, identity)?,
            String::new(),
            false,
        ))
    }

    /// Whether we hold the admin key.
    pub(crate) fn is_admin(&self) -> bool {
        self.group.is_admin()
    }

    /// Whether we were removed.
    pub(crate) fn kicked(&self) -> bool {
        self.group.is_kicked()
    }

    /// The group's key pair, for admins.
    pub(crate) fn admin_keypair(&self) -> Result<&Keypair, GroupError> {
        self.group
            .identity()
            .map(GroupIdentity::keypair)
            .ok_or(GroupError::NotAdmin(self.id))
    }

    /// The group name: the Info config's, else the invite's.
    pub(crate) fn name(&self) -> String {
        self.group
            .info()
            .name()
            .unwrap_or_else(|| self.invite_name.clone())
    }

    /// Who signs our requests to the group's swarm: the group key for admins, our
    /// subaccount for members.
    pub(crate) fn signer(&self) -> Result<Signer, GroupError> {
        if let Some(identity) = self.group.identity() {
            return Ok(Signer::group_admin(identity.keypair().clone()));
        }
        let auth = self
            .group
            .auth_data()
            .ok_or(GroupError::NotAdmin(self.id))?;
        member_key::signer(&self.id, self.group.user(), auth)
    }

    /// The extension of the current key, Info and Members messages that are close to
    /// lapsing (or of unknown expiry), to send with the next poll, as for the user configs.
    pub(crate) fn refresh(
        &mut self,
        signer: &Signer,
        now_ms: u64,
        ttl_ms: u64,
        margin_ms: u64,
    ) -> Option<Refresh> {
        let mut active: std::collections::BTreeSet<String> = self
            .group
            .keys()
            .active_hashes()
            .into_iter()
            .map(str::to_owned)
            .collect();
        active.extend(self.group.info().base().active_hashes());
        active.extend(self.group.members().base().active_hashes());
        self.expiries
            .due(signer, &active, now_ms, ttl_ms, margin_ms)
    }

    /// Applies a poll's messages in [`APPLY_ORDER`] and returns the events, the messages in
    /// sending order. A message that does not apply (not for us, forged, no key) is
    /// dropped: trying again cannot change the answer.
    pub(crate) fn absorb(&mut self, messages: &[(i16, RetrievedMessage)]) -> Vec<GroupEvent> {
        let mut events = Vec::new();
        let mut posted = Vec::new();
        for namespace in APPLY_ORDER {
            for (_, message) in messages.iter().filter(|(ns, _)| *ns == namespace) {
                if matches!(namespace, 12..=14) {
                    self.expiries.learn(&message.hash, message.expiration);
                }
                let timestamp = i64::try_from(message.timestamp).unwrap_or(i64::MAX);
                let ingested =
                    self.group
                        .ingest(namespace, &message.hash, &message.data, timestamp);
                match ingested {
                    Ok(found) => {
                        for event in found {
                            match self.translate(event, message) {
                                Some(
                                    event @ (GroupEvent::Message(_) | GroupEvent::Update { .. }),
                                ) => {
                                    posted.push(event);
                                }
                                Some(event) => events.push(event),
                                None => {}
                            }
                        }
                    }
                    Err(error) => {
                        tracing::debug!(%error, namespace, hash = %message.hash, "group message not applied");
                    }
                }
            }
        }
        posted.sort_by_key(|event| match event {
            GroupEvent::Message(m) => m.sent_at_ms,
            GroupEvent::Update { sent_at_ms, .. } => *sent_at_ms,
            _ => 0,
        });
        events.extend(posted);
        events
    }

    /// The application's event for one of the group state's.
    fn translate(&self, event: StateEvent, message: &RetrievedMessage) -> Option<GroupEvent> {
        let group = self.id;
        Some(match event {
            StateEvent::KeysChanged { generation } => GroupEvent::KeysChanged { group, generation },
            StateEvent::InfoChanged => GroupEvent::InfoChanged {
                group,
                name: self.group.info().name(),
            },
            StateEvent::MembersChanged => GroupEvent::MembersChanged { group },
            StateEvent::Destroyed => GroupEvent::Destroyed { group },
            StateEvent::Kicked { .. } => GroupEvent::Kicked { group },
            StateEvent::Message(received) => {
                let envelope = &received.envelope;
                match &received.update {
                    Some(update) => GroupEvent::Update {
                        group,
                        sender: envelope.sender,
                        sent_at_ms: envelope.timestamp_ms,
                        update: Box::new(update.clone()),
                    },
                    None => GroupEvent::Message(Box::new(GroupMessage {
                        group,
                        sender: envelope.sender,
                        hash: received.hash.clone(),
                        sent_at_ms: envelope.timestamp_ms,
                        expires_at_ms: message.expiration,
                        message: decode_content(&envelope.content).ok()?,
                    })),
                }
            }
            // The driver rekeys itself; the application need not know.
            _ => return None,
        })
    }

    /// Decrypts and reads one namespace-11 message without recording anything: a message,
    /// or a control message whose admin signature verifies.
    pub(crate) fn open(&self, message: &RetrievedMessage) -> Result<GroupEvent, GroupError> {
        let envelope = self.group.keys().decrypt_envelope(&message.data)?;
        let content = decode_content(&envelope.content)?;
        if let session_protocol::message::MessageKind::GroupUpdate(update) = &content.kind {
            let update = GroupUpdate::from_proto(update.update.clone())?;
            update.verify(self.id.key_bytes(), envelope.timestamp_ms)?;
            return Ok(GroupEvent::Update {
                group: self.id,
                sender: envelope.sender,
                sent_at_ms: envelope.timestamp_ms,
                update: Box::new(update),
            });
        }
        Ok(GroupEvent::Message(Box::new(GroupMessage {
            group: self.id,
            sender: envelope.sender,
            hash: message.hash.clone(),
            sent_at_ms: envelope.timestamp_ms,
            expires_at_ms: message.expiration,
            message: content,
        })))
    }
}

/// The `Content` of a group envelope (older senders padded it).
fn decode_content(content: &[u8]) -> Result<Message, GroupError> {
    Message::decode(content)
        .or_else(|_| {
            session_protocol::padding::unpad(content)
                .map_err(|_| ())
                .and_then(|unpadded| Message::decode(unpadded).map_err(|_| ()))
        })
        .map_err(|()| {
            GroupError::Message(session_groups::MessageError::Envelope(
                "content is not a Content protobuf",
            ))
        })
}

#[cfg(test)]
mod tests {
    use session_crypto::Ed25519Seed;
    use session_groups::control::GroupUpdate;
    use session_groups::{Group, kicked};
    use session_identity::Keypair;
    use session_protocol::Message;
    use session_protocol::message::VisibleMessage;

    use super::{GroupState, MESSAGES, REVOKED};
    use crate::groups::event::GroupEvent;
    use crate::rpc::RetrievedMessage;

    const NOW: u64 = 1_700_000_000_000;

    fn keypair(byte: u8) -> Keypair {
        Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([byte; 32]))
    }

    fn polled(hash: &str, data: &[u8]) -> RetrievedMessage {
        RetrievedMessage {
            hash: hash.to_owned(),
            timestamp: NOW,
            expiration: NOW + 1000,
            data: data.to_vec(),
        }
    }

    #[test]
    fn a_member_takes_keys_configs_messages_and_its_removal() {
        let (me, bob) = (keypair(1), keypair(2));
        let mut rng = rand::rng();
        let (mut admin, pushes) =
            Group::create(&mut rng, me.clone(), "G", &[bob.session_id()], NOW).unwrap();
        // The keys are listed last, as polled, and applied first.
        let mut poll = Vec::new();
        for (i, push) in pushes.iter().enumerate().rev() {
            let hash = format!("p{i}");
            poll.push((push.namespace, polled(&hash, &push.messages[0])));
            admin.confirm_pushed(push, &[hash], NOW as i64).unwrap();
        }
        let content = Message::new(VisibleMessage::text("hi"), NOW).encode();
        let posted = admin.encrypt_message(&mut rng, &content, NOW).unwrap();
        poll.insert(0, (MESSAGES, polled("m", &posted)));
        let invitation = admin
            .invite(&mut rng, &[bob.session_id()], false, NOW)
            .unwrap();
        let GroupUpdate::Invite(invite) = &invitation.invites[0].update else {
            panic!("not an invite");
        };

        let member = Group::accept_invite(bob.clone(), invite, NOW).unwrap();
        let mut member = GroupState::new(member, invite.name.clone(), false);
        let events = member.absorb(&poll);
        let group = member.id;
        assert!(events.contains(&GroupEvent::KeysChanged {
            group,
            generation: 0
        }));
        assert!(events.contains(&GroupEvent::InfoChanged {
            group,
            name: Some("G".to_owned())
        }));
        assert!(events.contains(&GroupEvent::MembersChanged { group }));
        let Some(GroupEvent::Message(message)) = events.last() else {
            panic!("the message comes last: {events:?}");
        };
        assert_eq!(message.text(), Some("hi"));
        assert_eq!(message.sender, me.session_id());
        assert_eq!(member.name(), "G");
        assert!(member.signer().unwrap().is_subaccount());
        assert!(matches!(
            member.open(&polled("m", &posted)).unwrap(),
            GroupEvent::Message(m) if m.text() == Some("hi")
        ));

        let identity = admin.identity().unwrap().keypair().clone();
        let generation = member.group.keys().current_generation();
        let notice = kicked::encrypt(&mut rng, &identity, &[bob.session_id()], generation).unwrap();
        let events = member.absorb(&[(REVOKED, polled("x", &notice))]);
        assert_eq!(events, [GroupEvent::Kicked { group }]);
        assert!(member.kicked());
    }
}
