//! What every member does: post to the group (namespace 11, encrypted with the newest key
//! and signed by us), accept an invite, leave, and read what the group holds.

use session_groups::Member;
use session_identity::SessionId;
use session_protocol::Message;

use crate::groups::error::GroupError;
use crate::groups::event::{GroupEvent, GroupSummary, SentGroupMessage};
use crate::groups::registry::GroupDriver;
use crate::groups::state::{GroupState, MESSAGES};
use crate::groups::swarm::{self, MESSAGE_TTL_MS};
use crate::net::OsRandom;
use crate::rpc::RetrievedMessage;
use crate::store::WriteBatch;

impl GroupDriver {
    /// Posts `message` to the group; a `sent_at_ms` of 0 is replaced by the network clock's
    /// now.
    ///
    /// # Errors
    ///
    /// [`GroupError::UnknownGroup`], [`GroupError::Removed`], [`GroupError::Message`] before
    /// the first key arrived, the network's errors.
    pub async fn send(
        &self,
        group: &SessionId,
        mut message: Message,
    ) -> Result<SentGroupMessage, GroupError> {
        let shared = self.get(group).await?;
        let state = shared.lock().await;
        if state.kicked() {
            return Err(GroupError::Removed(*group));
        }
        if message.sent_at_ms == 0 {
            message.sent_at_ms = self.inner.client.now_ms();
        }
        self.post(&state, &message).await
    }

    /// Encrypts `message` as a group envelope and stores it in namespace 11.
    async fn post(
        &self,
        state: &GroupState,
        message: &Message,
    ) -> Result<SentGroupMessage, GroupError> {
        let mut rng = OsRandom::new();
        let data = state
            .group
            .encrypt_message(&mut rng, &message.encode(), message.sent_at_ms)?;
        rng.check().map_err(|_| GroupError::Random)?;
        let signer = state.signer()?;
        let stored = swarm::post(
            &self.inner.client,
            &signer,
            MESSAGES,
            &data,
            MESSAGE_TTL_MS,
            self.inner.options.majority_confirmation,
        )
        .await?;
        Ok(SentGroupMessage {
            hash: stored.hash,
            timestamp_ms: message.sent_at_ms,
        })
    }

    /// Accepts an invite: the group is polled from now on (its keys arrive with the first
    /// poll), and UserGroups records it as joined.
    ///
    /// # Errors
    ///
    /// [`GroupError::UnknownGroup`], the store's errors.
    pub async fn accept(&self, group: &SessionId) -> Result<Vec<GroupEvent>, GroupError> {
        let shared = self.get(group).await?;
        let mut state = shared.lock().await;
        if !state.invited {
            return Ok(Vec::new());
        }
        state.invited = false;
        self.save(&mut state, WriteBatch::new()).await?;
        self.record(&state).await?;
        let events = vec![GroupEvent::Joined { group: *group }];
        self.announce(&events);
        Ok(events)
    }

    /// Leaves the group: tells it (admins then drop us and rekey), and forgets it here and
    /// in UserGroups.
    ///
    /// # Errors
    ///
    /// [`GroupError::UnknownGroup`], the network's and the store's errors.
    pub async fn leave(&self, group: &SessionId) -> Result<(), GroupError> {
        let shared = self.get(group).await?;
        {
            let state = shared.lock().await;
            if !state.kicked() && !state.invited && state.group.keys().size() > 0 {
                let mut rng = OsRandom::new();
                let messages = state.group.leave(&mut rng, self.inner.client.now_ms())?;
                rng.check().map_err(|_| GroupError::Random)?;
                let signer = state.signer()?;
                for message in &messages {
                    swarm::post(
                        &self.inner.client,
                        &signer,
                        MESSAGES,
                        message,
                        MESSAGE_TTL_MS,
                        self.inner.options.majority_confirmation,
                    )
                    .await?;
                }
            }
        }
        self.forget(group).await
    }

    /// Decrypts one namespace-11 message of the group fetched some other way (a push
    /// notification's payload).
    ///
    /// # Errors
    ///
    /// [`GroupError::Message`] when none of our keys opens it or its signature fails.
    pub async fn open(
        &self,
        group: &SessionId,
        message: &RetrievedMessage,
    ) -> Result<GroupEvent, GroupError> {
        let shared = self.get(group).await?;
        let state = shared.lock().await;
        state.open(message)
    }

    /// Every group we are in, invited to or were removed from.
    ///
    /// # Errors
    ///
    /// The store's errors (the first call loads the groups).
    pub async fn list(&self) -> Result<Vec<GroupSummary>, GroupError> {
        let mut out = Vec::new();
        for shared in self.all().await? {
            let state = shared.lock().await;
            out.push(GroupSummary {
                id: state.id,
                name: state.name(),
                admin: state.is_admin(),
                invited: state.invited,
                kicked: state.kicked(),
                members: state
                    .group
                    .members()
                    .iter()
                    .filter(|m| !m.is_removed())
                    .count(),
            });
        }
        out.sort_by_key(|a| a.id);
        Ok(out)
    }

    /// The group's members, as its Members config lists them (with their invite,
    /// promotion and removal statuses).
    ///
    /// # Errors
    ///
    /// [`GroupError::UnknownGroup`].
    pub async fn members(&self, group: &SessionId) -> Result<Vec<Member>, GroupError> {
        let shared = self.get(group).await?;
        let state = shared.lock().await;
        Ok(state.group.members().iter().collect())
    }

    /// The group's name.
    ///
    /// # Errors
    ///
    /// [`GroupError::UnknownGroup`].
    pub async fn name(&self, group: &SessionId) -> Result<String, GroupError> {
        let shared = self.get(group).await?;
        let state = shared.lock().await;
        Ok(state.name())
    }

    /// Whether we are an admin of the group.
    ///
    /// # Errors
    ///
    /// [`GroupError::UnknownGroup`].
    pub async fn is_admin(&self, group: &SessionId) -> Result<bool, GroupError> {
        let shared = self.get(group).await?;
        let state = shared.lock().await;
        Ok(state.is_admin())
    }
}
