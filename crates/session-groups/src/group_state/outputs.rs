//! What the group state hands its I/O driver: messages to store in the group's swarm, messages
//! to send 1:1, revocations, and the events of ingested messages.

use session_identity::SessionId;
use session_protocol::message::Message;

use crate::control::GroupUpdate;
use crate::envelope::GroupEnvelope;
use crate::revoke::Revocation;
use crate::subaccount::SubaccountSignature;

/// Something to store in one of the group's config namespaces: a key message (12) or an Info
/// (13) or Members (14) config.
///
/// Store the pushes of one call in the order given (the key message first, so that readers
/// can decrypt the configs after it), delete `obsolete_hashes`, then report the hashes the
/// swarm gave with [`Group::confirm_pushed`](crate::Group::confirm_pushed).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfigPush {
    /// The namespace: 12, 13 or 14.
    pub namespace: i16,
    /// The messages to store: one, or the parts of a multipart config.
    pub messages: Vec<Vec<u8>>,
    /// The config's seqno (for a key message: its generation, or -1 for a supplement).
    pub seqno: i64,
    /// Hashes of messages this push makes obsolete, to delete from the swarm.
    pub obsolete_hashes: Vec<String>,
}

/// A control message to send 1:1 (an invite or a promotion) as a normal direct message.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DirectUpdate {
    /// Who to send it to.
    pub recipient: SessionId,
    /// The update. Its admin signature covers `sent_ms`, so the envelope must carry that
    /// timestamp.
    pub update: GroupUpdate,
    /// The sent timestamp to use, milliseconds.
    pub sent_ms: u64,
}

impl DirectUpdate {
    /// The `Content` bytes carrying the update (a `DataMessage.groupUpdateMessage` with
    /// `sigTimestamp = sent_ms`), for the 1:1 encryption of the messenger.
    pub fn content(&self) -> Vec<u8> {
        control_content(&self.update, self.sent_ms)
    }
}

/// The `Content` bytes of a control message sent at `sent_ms`.
pub(crate) fn control_content(update: &GroupUpdate, sent_ms: u64) -> Vec<u8> {
    let kind = session_protocol::message::GroupUpdate::new(update.to_proto());
    Message::new(kind, sent_ms).encode()
}

/// What [`Group::invite`](crate::Group::invite) produced.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Invitation {
    /// The key message (a rekey, or a supplement when history is shared) and the updated
    /// configs, to store before the invites are sent.
    pub pushes: Vec<ConfigPush>,
    /// One invite per invitee, to send 1:1.
    pub invites: Vec<DirectUpdate>,
    /// `unrevoke_subaccount` requests for re-invited members who had been removed.
    pub unrevocations: Vec<Revocation>,
    /// Namespace-11 messages announcing the new members to the group.
    pub group_messages: Vec<Vec<u8>>,
}

/// What [`Group::remove`](crate::Group::remove) produced.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Removal {
    /// The rekey (without the removed members) and the re-encrypted configs.
    pub pushes: Vec<ConfigPush>,
    /// `revoke_subaccount` requests for the removed members' swarm access.
    pub revocations: Vec<Revocation>,
    /// The kicked notice to store in namespace -11, where the removed members learn of it.
    pub kicked_notice: Vec<u8>,
    /// Namespace-11 messages announcing the removal (and, if asked, the deletion of the
    /// removed members' messages).
    pub group_messages: Vec<Vec<u8>>,
}

/// What [`Group::promote`](crate::Group::promote) produced.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Promotion {
    /// The promotion carrying the group seed, to send 1:1 to the member.
    pub promote: DirectUpdate,
    /// The Members config marking the promotion sent.
    pub pushes: Vec<ConfigPush>,
    /// A namespace-11 message announcing the promotion.
    pub group_messages: Vec<Vec<u8>>,
}

/// What [`Group::update_info`](crate::Group::update_info) produced.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct InfoUpdate {
    /// The Info config to store.
    pub pushes: Vec<ConfigPush>,
    /// Namespace-11 announcements of a new name, picture or disappearing timer.
    pub group_messages: Vec<Vec<u8>>,
}

/// How to authenticate a storage request to the group's swarm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SwarmAuth {
    /// An admin signs with the group key: send `pubkey = 03…` and `signature`.
    Admin {
        /// The Ed25519 signature of the request by the group key.
        signature: [u8; 64],
    },
    /// A member signs as a subaccount: send `subaccount`, `subaccount_sig` and `signature`.
    Subaccount(SubaccountSignature),
}

/// A namespace-11 message, decrypted and its sender verified.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReceivedMessage {
    /// The storage hash it was ingested with.
    pub hash: String,
    /// The envelope, with the sender recovered from the encryption.
    pub envelope: GroupEnvelope,
    /// The control message it carries, its admin signature checked, if it is one.
    pub update: Option<GroupUpdate>,
}

/// What ingesting a message from the group's swarm changed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum GroupEvent {
    /// A key message added keys; `generation` is the newest.
    KeysChanged {
        /// The newest generation now known.
        generation: i64,
    },
    /// Two admins rekeyed concurrently: an admin should call
    /// [`Group::rekey`](crate::Group::rekey).
    NeedsRekey,
    /// The Info config changed.
    InfoChanged,
    /// The Members config changed.
    MembersChanged,
    /// An admin destroyed the group.
    Destroyed,
    /// A message from the group.
    Message(Box<ReceivedMessage>),
    /// We were removed from the group (a kicked notice addressed to us).
    Kicked {
        /// The key generation at the removal.
        generation: i64,
    },
}

/// Who a message came from, for callers that only need that.
impl ReceivedMessage {
    /// The sender's `05` Session ID.
    pub fn sender(&self) -> SessionId {
        self.envelope.sender
    }
}
