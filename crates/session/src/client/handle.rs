//! The connected client.

use session_identity::SessionId;
use session_protocol::Message;
use session_swarm::client::SwarmClient;
use session_swarm::configs::ConfigSync;
use session_swarm::messaging::{Groups, IncomingMessage, Messenger, SentMessage};

use crate::client::inbox::Inbox;
use crate::error::Result;

/// One account connected to the Session network: sends and receives its 1:1 messages.
/// Cheap to clone; clones share the connection, the store and the settings.
///
/// Made by [`Client::builder`]; a [`Messenger`] made by hand converts with `From`.
#[derive(Clone, Debug)]
pub struct Client {
    messenger: Messenger,
}

impl Client {
    /// Our Session ID: what others send to.
    pub fn session_id(&self) -> &SessionId {
        self.messenger.session_id()
    }

    /// Sends the text `text` to `to`, through an onion path (unless the swarm client was
    /// configured for direct HTTPS), and returns once enough of `to`'s swarm confirmed it.
    ///
    /// # Errors
    ///
    /// [`Error::Swarm`](crate::Error::Swarm) when the network failed after its retries,
    /// [`Error::Messaging`](crate::Error::Messaging) when too few members confirmed or `to`
    /// is not a `05` Session ID, [`Error::Store`](crate::Error::Store) when the store
    /// failed.
    pub async fn send_text(&self, to: &SessionId, text: impl Into<String>) -> Result<SentMessage> {
        Ok(self.messenger.send_text(to, text).await?)
    }

    /// Sends any 1:1 message (reaction, read receipt, attachment pointers, ...). A
    /// `sent_at_ms` of 0 is replaced by the network clock's now.
    ///
    /// # Errors
    ///
    /// As [`Client::send_text`].
    pub async fn send(&self, to: &SessionId, message: Message) -> Result<SentMessage> {
        Ok(self.messenger.send(to, message).await?)
    }

    /// The messages others send us, as they arrive (polled every
    /// [`MessengerOptions::poll_interval`](crate::swarm::messaging::MessengerOptions::poll_interval)).
    pub fn messages(&self) -> Inbox {
        Inbox::new(self.messenger.messages())
    }

    /// Polls once and returns what is new, recorded as delivered at once (for tools that
    /// take one look; long-lived receivers use [`Client::messages`]).
    ///
    /// # Errors
    ///
    /// [`Error::Swarm`](crate::Error::Swarm) or [`Error::Store`](crate::Error::Store) when
    /// the network or the store fails; nothing is recorded then.
    pub async fn receive_once(&self) -> Result<Vec<IncomingMessage>> {
        Ok(self.messenger.receive_once().await?)
    }

    /// The account's user configs (profile, contacts, conversation info, the groups it is
    /// in), synced with its other devices: [`messages`](Self::messages) merges what they
    /// push with every poll and pushes local changes before the next one.
    pub fn configs(&self) -> &ConfigSync {
        self.messenger.configs()
    }

    /// The account's closed groups: create and administer them, post to them, and receive
    /// their events ([`Groups::events`]). Invites and promotions arrive with
    /// [`messages`](Self::messages) (or [`receive_once`](Self::receive_once)).
    pub fn groups(&self) -> Groups {
        self.messenger.groups()
    }

    /// The messenger underneath: unsend, reactions, read receipts, typing, profiles.
    pub fn messenger(&self) -> &Messenger {
        &self.messenger
    }

    /// The swarm client underneath: raw storage RPCs, the node pool, the network clock.
    pub fn swarm_client(&self) -> &SwarmClient {
        self.messenger.client()
    }

    /// A client for the community server of `room` (any room URL on it), signing as this
    /// account (blinded for that server) and sending through this client's onion paths.
    ///
    /// # Errors
    ///
    /// [`Error::Sogs`](crate::Error::Sogs) when the client cannot be set up.
    #[cfg(feature = "sogs")]
    pub fn community(&self, room: &session_sogs::RoomUrl) -> Result<session_sogs::CommunityClient> {
        Ok(session_sogs::CommunityClient::new(
            room.server(),
            self.messenger.keypair().clone(),
            session_sogs::Transport::Onion(self.swarm_client().clone()),
        )?)
    }

    /// The messenger, for callers that outgrow the client.
    pub fn into_messenger(self) -> Messenger {
        self.messenger
    }
}

impl From<Messenger> for Client {
    fn from(messenger: Messenger) -> Self {
        Self { messenger }
    }
}
