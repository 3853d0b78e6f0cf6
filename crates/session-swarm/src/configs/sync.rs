//! [`ConfigSync`]: the account's user configs in memory, their dumps in the store, and
//! the swarm round trips that keep both in step with the other devices.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use session_identity::Keypair;
use tokio::sync::{OnceCell, broadcast};

use crate::client::SwarmClient;
use crate::configs::error::ConfigError;
use crate::configs::event::ConfigEvent;
use crate::configs::expiries::{Expiries, Refresh};
use crate::configs::options::ConfigOptions;
use crate::configs::push::{self, Pending};
use crate::configs::user_configs::{UserConfig, UserConfigs};
use crate::polling::{self, Target, on_store};
use crate::rpc::{Account, RetrievedMessage, Signer, SubResult};
use crate::store::{Store, WriteBatch};

/// The store namespace of config dumps; keys are the account and the config namespace.
const DUMP_NAMESPACE: &str = "user_config";

/// Events kept for slow receivers before the oldest are dropped.
const EVENT_CAPACITY: usize = 64;

/// The namespaces a config-only sync polls.
const CONFIG_NAMESPACES: [i16; 4] = [2, 3, 4, 5];

/// What is locked together: the configs and what we know of their hashes' expiries.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) configs: UserConfigs,
    pub(crate) expiries: Expiries,
}

/// One account's user configs, kept in sync with its other devices. Cheap to clone
/// (clones share everything). Made by the [`Messenger`](crate::messaging::Messenger)
/// ([`Messenger::configs`](crate::messaging::Messenger::configs)).
///
/// The configs load from the store on first use; every change is saved at once.
#[derive(Clone)]
pub struct ConfigSync {
    inner: Arc<Inner>,
}

struct Inner {
    client: SwarmClient,
    keypair: Keypair,
    signer: Signer,
    store: Arc<dyn Store>,
    options: ConfigOptions,
    state: OnceCell<Mutex<State>>,
    /// Serialises saving, so an older snapshot never overwrites a newer one.
    saving: tokio::sync::Mutex<()>,
    events: broadcast::Sender<ConfigEvent>,
}

impl std::fmt::Debug for ConfigSync {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfigSync")
            .field("account", self.inner.signer.account())
            .field("loaded", &self.inner.state.initialized())
            .finish_non_exhaustive()
    }
}

impl ConfigSync {
    /// The configs of `keypair`'s account, saved in `store`.
    pub fn new(
        client: SwarmClient,
        keypair: Keypair,
        store: Arc<dyn Store>,
        options: ConfigOptions,
    ) -> Self {
        let (events, _) = broadcast::channel(EVENT_CAPACITY);
        Self {
            inner: Arc::new(Inner {
                signer: Signer::user(keypair.clone()),
                keypair,
                client,
                store,
                options,
                state: OnceCell::new(),
                saving: tokio::sync::Mutex::new(()),
                events,
            }),
        }
    }

    /// The changes other devices make, as they are merged. Receivers that fall more than
    /// 64 events behind lose the oldest (and are told so by `recv`).
    pub fn events(&self) -> broadcast::Receiver<ConfigEvent> {
        self.inner.events.subscribe()
    }

    /// The network clock's now, ms.
    pub(crate) fn client_now_ms(&self) -> u64 {
        self.inner.client.now_ms()
    }

    fn account(&self) -> Account {
        *self.inner.signer.account()
    }

    /// The state, loaded from the dumps on first use.
    async fn state(&self) -> Result<&Mutex<State>, ConfigError> {
        self.inner
            .state
            .get_or_try_init(|| async {
                let seed = self.inner.keypair.ed25519_seed();
                let prefix = self.account();
                let dumps = on_store(&self.inner.store, move |store| {
                    let mut dumps = Vec::new();
                    for config in UserConfig::ALL {
                        dumps.push(store.get_blob(DUMP_NAMESPACE, &dump_key(&prefix, config))?);
                    }
                    Ok(dumps)
                })
                .await
                .ok_or(ConfigError::Cancelled)??;
                let configs = UserConfigs::load(&seed, |config| {
                    let index = UserConfig::ALL.iter().position(|c| *c == config)?;
                    dumps.get(index).cloned().flatten()
                })?;
                Ok(Mutex::new(State {
                    configs,
                    expiries: Expiries::default(),
                }))
            })
            .await
    }

    async fn lock(&self) -> Result<MutexGuard<'_, State>, ConfigError> {
        Ok(self
            .state()
            .await?
            .lock()
            .unwrap_or_else(PoisonError::into_inner))
    }

    /// Reads the configs.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Store`] or [`ConfigError::Config`] when the saved dumps do not load.
    pub async fn read<T>(&self, read: impl FnOnce(&UserConfigs) -> T) -> Result<T, ConfigError> {
        Ok(read(&self.lock().await?.configs))
    }

    /// Changes the configs through `edit` (session-config's typed setters) and saves them.
    /// The change is pushed by the next [`push`](Self::push), [`sync`](Self::sync) or poll
    /// of the messenger's stream.
    ///
    /// # Errors
    ///
    /// What `edit` returns (the configs keep whatever it changed before failing), and the
    /// store's errors.
    pub async fn edit<T>(
        &self,
        edit: impl FnOnce(&mut UserConfigs) -> session_config::Result<T>,
    ) -> Result<T, ConfigError> {
        let value = {
            let mut state = self.lock().await?;
            edit(&mut state.configs)
        };
        self.save().await?;
        Ok(value?)
    }

    /// Saves the dumps of the configs that changed since they were last saved.
    async fn save(&self) -> Result<(), ConfigError> {
        let _saving = self.inner.saving.lock().await;
        let dumps = self.lock().await?.configs.take_dumps();
        if dumps.is_empty() {
            return Ok(());
        }
        let mut batch = WriteBatch::new();
        for (config, dump) in &dumps {
            batch.put_blob(DUMP_NAMESPACE, &dump_key(&self.account(), *config), dump);
        }
        on_store(&self.inner.store, move |store| {
            store.apply(&batch).map(drop)
        })
        .await
        .ok_or(ConfigError::Cancelled)??;
        Ok(())
    }

    /// Whether a config has changes not yet confirmed on the swarm.
    ///
    /// # Errors
    ///
    /// As [`read`](Self::read).
    pub async fn needs_push(&self) -> Result<bool, ConfigError> {
        self.read(UserConfigs::needs_push).await
    }

    /// Pushes every config with changes in one `sequence` (more if they exceed 20
    /// subrequests): each message stored in the account's swarm, then the obsolete hashes
    /// deleted; confirmed configs are saved clean. Returns the configs confirmed.
    ///
    /// # Errors
    ///
    /// The network's errors, and [`ConfigError::Unconfirmed`] when too few members
    /// confirmed a message (that config stays to push again; the others are confirmed).
    pub async fn push(&self) -> Result<Vec<UserConfig>, ConfigError> {
        let now_ms = self.inner.client.now_ms();
        let pending = {
            let mut state = self.lock().await?;
            let mut pending = Vec::new();
            for config in UserConfig::ALL {
                if state.configs.base(config).needs_push() {
                    let push = state.configs.push(config, now_ms)?;
                    pending.push(Pending::new(config, push));
                }
            }
            pending
        };
        if pending.is_empty() {
            return Ok(Vec::new());
        }
        let stored = push::store_all(
            &self.inner.client,
            &self.inner.signer,
            &self.inner.options,
            &pending,
        )
        .await;
        let (confirmed, failure) = {
            let mut state = self.lock().await?;
            let mut confirmed = Vec::new();
            let mut failure = None;
            for (item, outcome) in pending.iter().zip(stored) {
                match outcome {
                    Ok(hashes) => {
                        for (hash, expiry) in &hashes {
                            state.expiries.learn(hash, *expiry);
                        }
                        let base = state.configs.base_mut(item.config);
                        base.confirm_pushed(item.seqno, hashes.into_iter().map(|(h, _)| h));
                        confirmed.push(item.config);
                    }
                    Err(error) => {
                        tracing::debug!(%error, namespace = item.config.namespace(), "config push failed");
                        failure.get_or_insert(error);
                    }
                }
            }
            (confirmed, failure)
        };
        self.save().await?;
        match failure {
            Some(error) => Err(error),
            None => Ok(confirmed),
        }
    }

    /// The expiry extension due with the next poll, if any.
    pub(crate) async fn refresh(&self) -> Result<Option<Refresh>, ConfigError> {
        let now_ms = self.inner.client.now_ms();
        let options = &self.inner.options;
        let mut state = self.lock().await?;
        let active = UserConfig::ALL
            .iter()
            .flat_map(|c| state.configs.base(*c).active_hashes())
            .collect();
        Ok(state.expiries.due(
            &self.inner.signer,
            &active,
            now_ms,
            options.ttl_ms(),
            options.margin_ms(),
        ))
    }

    /// Reads the answer to an extension sent with a poll.
    pub(crate) async fn refreshed(
        &self,
        refresh: &Refresh,
        answer: Option<&SubResult>,
    ) -> Result<(), ConfigError> {
        self.lock().await?.expiries.answered(refresh, answer);
        tracing::trace!(hashes = refresh.hashes().len(), "config expiries extended");
        Ok(())
    }

    /// Merges config messages a poll fetched, saves the result and announces what changed.
    /// The caller records the messages as seen, accepted or not: merging them again could
    /// not change the answer.
    pub(crate) async fn merge(
        &self,
        messages: &[(i16, RetrievedMessage)],
    ) -> Result<(), ConfigError> {
        if messages.is_empty() {
            return Ok(());
        }
        let now_ms = self.inner.client.now_ms();
        let changed = {
            let mut state = self.lock().await?;
            for (_, message) in messages {
                state.expiries.learn(&message.hash, message.expiration);
            }
            let (changed, accepted) = state.configs.merge(
                messages
                    .iter()
                    .map(|(ns, m)| (*ns, m.hash.as_str(), m.data.as_slice())),
                now_ms,
            );
            tracing::debug!(
                fetched = messages.len(),
                accepted = accepted.len(),
                changed = changed.len(),
                "config messages merged"
            );
            changed
        };
        self.save().await?;
        for (config, seqno) in changed {
            // No receiver is not an error: nobody listens.
            let _ = self.inner.events.send(ConfigEvent { config, seqno });
        }
        Ok(())
    }

    /// Pushes local changes, polls the config namespaces once, merges what other devices
    /// pushed (extending the current messages' expiries on the way) and pushes again if the
    /// merge resolved a conflict. The messenger's stream does the same with every poll;
    /// this is for applications that want the configs current now.
    ///
    /// # Errors
    ///
    /// The network's and the store's errors.
    pub async fn sync(&self) -> Result<(), ConfigError> {
        self.push().await?;
        let refresh = self.refresh().await?;
        let target = Target {
            signer: &self.inner.signer,
            namespaces: &CONFIG_NAMESPACES,
            members: self.inner.options.poll_members,
        };
        let listing = polling::poll(
            &self.inner.client,
            &self.inner.store,
            target,
            refresh.as_ref().map(Refresh::extra),
        )
        .await?;
        if let Some(refresh) = &refresh {
            self.refreshed(refresh, listing.extra.as_ref()).await?;
        }
        self.merge(&listing.messages).await?;
        let mut commit = listing.commit;
        let account = self.account();
        for (_, message) in &listing.messages {
            commit.mark_seen(
                &account,
                &message.hash,
                i64::try_from(message.expiration).unwrap_or(i64::MAX),
            );
        }
        on_store(&self.inner.store, move |store| {
            store.apply(&commit).map(drop)
        })
        .await
        .ok_or(ConfigError::Cancelled)??;
        if self.needs_push().await? {
            self.push().await?;
        }
        Ok(())
    }
}

/// The store key of `config`'s dump: the account, then the namespace.
fn dump_key(account: &Account, config: UserConfig) -> Vec<u8> {
    let mut key = account.as_bytes().to_vec();
    key.extend_from_slice(&config.namespace().to_be_bytes());
    key
}
