//! The typed shortcuts apps use most, each one [`ConfigSync::read`] or
//! [`ConfigSync::edit`] over a `session-config` accessor.

use session_config::user::{Contact, ConvoState, GroupInfo};
use session_identity::{IdPrefix, SessionId};

use crate::configs::error::ConfigError;
use crate::configs::sync::ConfigSync;

impl ConfigSync {
    /// Our display name, as the profile config holds it.
    ///
    /// # Errors
    ///
    /// As [`ConfigSync::read`].
    pub async fn profile_name(&self) -> Result<Option<String>, ConfigError> {
        self.read(|c| c.profile.name()).await
    }

    /// Sets our display name (empty removes it).
    ///
    /// # Errors
    ///
    /// [`ConfigError::Config`] above 100 bytes; the store's errors.
    pub async fn set_profile_name(&self, name: &str) -> Result<(), ConfigError> {
        self.edit(|c| c.profile.set_name(name)).await
    }

    /// The contact `id`, if stored.
    ///
    /// # Errors
    ///
    /// As [`ConfigSync::read`].
    pub async fn contact(&self, id: &SessionId) -> Result<Option<Contact>, ConfigError> {
        self.read(|c| c.contacts.get(id)).await
    }

    /// Every contact, in Session ID order.
    ///
    /// # Errors
    ///
    /// As [`ConfigSync::read`].
    pub async fn contacts(&self) -> Result<Vec<Contact>, ConfigError> {
        self.read(|c| c.contacts.iter().collect()).await
    }

    /// Stores a contact.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Config`] for a name or picture the config refuses; the store's errors.
    pub async fn set_contact(&self, contact: &Contact) -> Result<(), ConfigError> {
        self.edit(|c| c.contacts.set(contact)).await
    }

    /// Changes the contact `id` through `edit` (creating it if needed).
    ///
    /// # Errors
    ///
    /// As [`ConfigSync::set_contact`].
    pub async fn update_contact(
        &self,
        id: &SessionId,
        edit: impl FnOnce(&mut Contact),
    ) -> Result<(), ConfigError> {
        self.edit(|c| c.contacts.update(id, edit)).await
    }

    /// Removes the contact `id`; returns whether it was there.
    ///
    /// # Errors
    ///
    /// The store's errors.
    pub async fn remove_contact(&self, id: &SessionId) -> Result<bool, ConfigError> {
        self.edit(|c| c.contacts.erase(id)).await
    }

    /// The closed groups the account is in (UserGroups `g`), admins' entries holding the
    /// group seed and members' their auth data.
    ///
    /// # Errors
    ///
    /// As [`ConfigSync::read`].
    pub async fn joined_groups(&self) -> Result<Vec<GroupInfo>, ConfigError> {
        self.read(|c| c.user_groups.groups()).await
    }

    /// Records that the conversation `id` (a `05` contact or a `03` group) was read up to
    /// `last_read_ms`.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Config`] for another kind of ID; the store's errors.
    pub async fn mark_read(&self, id: &SessionId, last_read_ms: i64) -> Result<(), ConfigError> {
        let now_ms = i64::try_from(self.client_now_ms()).unwrap_or(i64::MAX);
        let state = ConvoState::new(last_read_ms, false);
        self.edit(|c| match id.prefix() {
            IdPrefix::Group => c.convo_info.set_group(id, state, now_ms),
            _ => c.convo_info.set_one_to_one(id, state, now_ms),
        })
        .await
    }

    /// When the conversation `id` was last read, ms (0 if never recorded).
    ///
    /// # Errors
    ///
    /// As [`ConfigSync::read`].
    pub async fn last_read(&self, id: &SessionId) -> Result<i64, ConfigError> {
        self.read(|c| {
            match id.prefix() {
                IdPrefix::Group => c.convo_info.get_group(id),
                _ => c.convo_info.get_one_to_one(id),
            }
            .map_or(0, |s| s.last_read)
        })
        .await
    }
}
