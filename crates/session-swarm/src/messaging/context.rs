//! What every part of the messenger shares: the network, our keys, the store, the settings.

use std::sync::Arc;

use session_identity::{Keypair, SessionId};

use crate::client::SwarmClient;
use crate::configs::ConfigSync;
use crate::groups::GroupDriver;
use crate::messaging::error::MessagingError;
use crate::messaging::options::MessengerOptions;
use crate::rpc::{Account, Signer};
use crate::store::{Store, StoreError};

/// The messenger's shared state; cheap to share behind an `Arc`.
#[derive(Debug)]
pub(crate) struct Context {
    pub(crate) client: SwarmClient,
    pub(crate) keypair: Keypair,
    pub(crate) signer: Signer,
    pub(crate) session_id: SessionId,
    pub(crate) account: Account,
    pub(crate) store: Arc<dyn Store>,
    pub(crate) options: MessengerOptions,
    pub(crate) configs: ConfigSync,
    pub(crate) groups: GroupDriver,
}

impl Context {
    pub(crate) fn new(
        client: SwarmClient,
        keypair: Keypair,
        store: Arc<dyn Store>,
        options: MessengerOptions,
    ) -> Self {
        let session_id = keypair.session_id();
        let configs = ConfigSync::new(
            client.clone(),
            keypair.clone(),
            store.clone(),
            options.configs.clone(),
        );
        let groups = GroupDriver::new(
            client.clone(),
            keypair.clone(),
            store.clone(),
            configs.clone(),
            options.groups.clone(),
        );
        Self {
            configs,
            groups,
            account: Account::from(&session_id),
            signer: Signer::user(keypair.clone()),
            session_id,
            keypair,
            client,
            store,
            options,
        }
    }

    /// Runs `work` on the store off the async threads (SQLite does file I/O).
    pub(crate) async fn with_store<T, F>(&self, work: F) -> Result<T, MessagingError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
    {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || work(store.as_ref()))
            .await
            .map_err(|_| MessagingError::Cancelled)?
            .map_err(MessagingError::from)
    }
}
