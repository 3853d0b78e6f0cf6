//! Ingesting what the driver retrieved from the group's swarm: key messages (12), Info (13)
//! and Members (14) configs, messages (11) and kicked notices (-11).
//!
//! Configs can arrive before the key message that decrypts them (the namespaces are polled
//! separately); such messages are kept (a few per namespace) and merged again once new keys
//! arrive.

use session_config::ConfigBase;
use session_protocol::message::{Message, MessageKind};

use crate::constants::{
    INFO_NAMESPACE, KEYS_NAMESPACE, MEMBERS_NAMESPACE, MESSAGES_NAMESPACE, REVOKED_NAMESPACE,
};
use crate::control::GroupUpdate;
use crate::error::{GroupError, KickedError};
use crate::keys::LoadOutcome;
use crate::kicked;
use crate::members::Member;

use super::group::{Group, MAX_STASHED, Stashed};
use super::outputs::{GroupEvent, ReceivedMessage};

impl Group {
    /// Ingests one message retrieved from the group's swarm: its `namespace`, storage `hash`,
    /// bytes and swarm `timestamp_ms`. Returns what changed.
    ///
    /// - 12: key messages; new keys reach Info and Members, and configs kept for lack of a key
    ///   are merged again.
    /// - 13, 14: configs, merged (their signatures checked against the group key). One that
    ///   no known key decrypts is kept for later and yields no event.
    /// - 11: messages, decrypted with every key and their sender's signature checked; control
    ///   messages have their admin signatures checked too. The message event comes first; an
    ///   admin receiving an accepted invite response also marks the invite accepted (a
    ///   Members change to push). Other control messages are left to the app (a
    ///   `memberLeft` is acted on with [`remove`](Self::remove)).
    /// - -11: kicked notices; one naming us at our generation or later means we were removed.
    ///
    /// # Errors
    ///
    /// [`GroupError::Namespace`] for another namespace; [`GroupError::Keys`] for an invalid key
    /// message; [`GroupError::Config`] with `BadSignature` for a config that decrypts but is
    /// not validly signed; [`GroupError::Message`] for a message no key decrypts (or forged);
    /// [`GroupError::Control`] for a control message with a bad admin signature;
    /// [`GroupError::Kicked`] for a malformed notice.
    pub fn ingest(
        &mut self,
        namespace: i16,
        hash: &str,
        data: &[u8],
        timestamp_ms: i64,
    ) -> Result<Vec<GroupEvent>, GroupError> {
        match namespace {
            KEYS_NAMESPACE => self.ingest_keys(hash, data, timestamp_ms),
            INFO_NAMESPACE | MEMBERS_NAMESPACE => {
                self.ingest_config(namespace, hash, data, timestamp_ms)
            }
            MESSAGES_NAMESPACE => self.ingest_message(hash, data),
            REVOKED_NAMESPACE => self.ingest_kicked(data),
            other => Err(GroupError::Namespace(other)),
        }
    }

    fn ingest_keys(
        &mut self,
        hash: &str,
        data: &[u8],
        timestamp_ms: i64,
    ) -> Result<Vec<GroupEvent>, GroupError> {
        let outcome = self.keys.load_key_message(hash, data, timestamp_ms)?;
        let mut events = Vec::new();
        if outcome == LoadOutcome::Added {
            self.apply_keys(false)?;
            events.push(GroupEvent::KeysChanged {
                generation: self.keys.current_generation(),
            });
            for stashed in core::mem::take(&mut self.stash) {
                // A stashed message that still does not decrypt goes back to the stash.
                if let Ok(more) = self.ingest_config(
                    stashed.namespace,
                    &stashed.hash,
                    &stashed.data,
                    timestamp_ms,
                ) {
                    events.extend(more);
                }
            }
        }
        if self.keys.needs_rekey() {
            events.push(GroupEvent::NeedsRekey);
        }
        Ok(events)
    }

    fn config_base(&mut self, namespace: i16) -> &mut ConfigBase {
        if namespace == INFO_NAMESPACE {
            self.info.base_mut()
        } else {
            self.members.base_mut()
        }
    }

    fn ingest_config(
        &mut self,
        namespace: i16,
        hash: &str,
        data: &[u8],
        timestamp_ms: i64,
    ) -> Result<Vec<GroupEvent>, GroupError> {
        let now_ms = u64::try_from(timestamp_ms).unwrap_or(0);
        let was_destroyed = self.info.is_destroyed();
        let base = self.config_base(namespace);
        let before = base.data().clone();
        let accepted = base.merge(&[(hash, data)], now_ms);
        if !accepted.contains(hash) {
            let domain = base.kind().domain;
            let decrypts = self.keys.group_keys().iter().any(|key| {
                session_config::encrypt::decrypt(data, key.expose_secret(), domain).is_ok()
            });
            if decrypts {
                return Err(GroupError::Config(session_config::Error::Parse(
                    session_config::ParseError::BadSignature,
                )));
            }
            if !self.stash.iter().any(|s| s.hash == hash) {
                let full = self
                    .stash
                    .iter()
                    .filter(|s| s.namespace == namespace)
                    .count()
                    >= MAX_STASHED;
                if full
                    && let Some(oldest) = self.stash.iter().position(|s| s.namespace == namespace)
                {
                    self.stash.remove(oldest);
                }
                self.stash.push(Stashed {
                    namespace,
                    hash: hash.to_owned(),
                    data: data.to_vec(),
                });
            }
            return Ok(Vec::new());
        }
        let changed = self.config_base(namespace).data() != &before;
        let mut events = Vec::new();
        if changed {
            events.push(if namespace == INFO_NAMESPACE {
                GroupEvent::InfoChanged
            } else {
                GroupEvent::MembersChanged
            });
        }
        if !was_destroyed && self.info.is_destroyed() {
            events.push(GroupEvent::Destroyed);
        }
        Ok(events)
    }

    fn ingest_message(&mut self, hash: &str, data: &[u8]) -> Result<Vec<GroupEvent>, GroupError> {
        let envelope = self.keys.decrypt_envelope(data)?;
        // Only a `Content` that decodes as a group update is a control message; anything else
        // is the app's to read.
        let update = match Message::decode(&envelope.content) {
            Ok(Message {
                kind: MessageKind::GroupUpdate(update),
                ..
            }) => {
                let update = GroupUpdate::from_proto(update.update)?;
                update.verify(&self.group_pk, envelope.timestamp_ms)?;
                Some(update)
            }
            _ => None,
        };
        let mut events = Vec::new();
        // An admin marks an accepted invite, as the apps do on an invite response.
        if update == Some(GroupUpdate::InviteResponse { approved: true }) && self.admin.is_some() {
            let sender = envelope.sender;
            if self
                .members
                .get(&sender)
                .is_some_and(|m| m.invite_pending())
            {
                self.members.update(&sender, Member::set_invite_accepted)?;
                events.push(GroupEvent::MembersChanged);
            }
        }
        events.insert(
            0,
            GroupEvent::Message(Box::new(ReceivedMessage {
                hash: hash.to_owned(),
                envelope,
                update,
            })),
        );
        Ok(events)
    }

    fn ingest_kicked(&mut self, data: &[u8]) -> Result<Vec<GroupEvent>, GroupError> {
        match kicked::decrypt(data, &self.user, &self.group_pk) {
            Ok(Some(generation)) if generation >= self.keys.current_generation() => {
                self.kicked = true;
                Ok(vec![GroupEvent::Kicked { generation }])
            }
            // Addressed to someone else, or an old removal we have since come back from.
            Ok(_) | Err(KickedError::MultiEncrypt(_)) => Ok(Vec::new()),
            Err(other) => Err(other.into()),
        }
    }
}
