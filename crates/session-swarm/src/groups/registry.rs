//! [`GroupDriver`]: every group of one account, loaded from the store on first use, saved
//! after every change, and recorded in the UserGroups config so that the account's other
//! devices learn them.

use std::collections::HashMap;
use std::sync::Arc;

use session_config::user::{GroupInfo, KICKED_FROM_GROUP, NOT_REMOVED};
use session_groups::subaccount::AuthData;
use session_groups::{Group, GroupIdentity};
use session_identity::{Keypair, SessionId};
use tokio::sync::{Mutex, OnceCell, broadcast};

use crate::client::SwarmClient;
use crate::configs::ConfigSync;
use crate::groups::codec;
use crate::groups::error::GroupError;
use crate::groups::event::GroupEvent;
use crate::groups::options::GroupOptions;
use crate::groups::state::GroupState;
use crate::polling::on_store;
use crate::rpc::Account;
use crate::store::{Store, WriteBatch};

/// The store namespace of group states; keys are our account, then the group ID.
const STATE_NAMESPACE: &str = "group";

/// Events kept for slow receivers before the oldest are dropped.
const EVENT_CAPACITY: usize = 256;

/// One group, locked while an operation or a poll works on it.
pub(crate) type Shared = Arc<Mutex<GroupState>>;

/// The closed groups of one account: their state, the swarm operations on them, and the
/// events they produce. Cheap to clone (clones share everything).
#[derive(Clone)]
pub struct GroupDriver {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) client: SwarmClient,
    pub(crate) keypair: Keypair,
    pub(crate) store: Arc<dyn Store>,
    pub(crate) configs: ConfigSync,
    pub(crate) options: GroupOptions,
    groups: OnceCell<Mutex<HashMap<SessionId, Shared>>>,
    pub(crate) events: broadcast::Sender<GroupEvent>,
}

impl std::fmt::Debug for GroupDriver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupDriver")
            .field("user", &self.inner.keypair.session_id())
            .field("loaded", &self.inner.groups.initialized())
            .finish_non_exhaustive()
    }
}

impl GroupDriver {
    /// The groups of `keypair`'s account, saved in `store` and recorded in `configs`.
    pub fn new(
        client: SwarmClient,
        keypair: Keypair,
        store: Arc<dyn Store>,
        configs: ConfigSync,
        options: GroupOptions,
    ) -> Self {
        let (events, _) = broadcast::channel(EVENT_CAPACITY);
        Self {
            inner: Arc::new(Inner {
                client,
                keypair,
                store,
                configs,
                options,
                groups: OnceCell::new(),
                events,
            }),
        }
    }

    /// Every event, as it happens (polls, invites and promotions arriving 1:1). Receivers
    /// that fall more than 256 events behind lose the oldest.
    pub fn subscribe(&self) -> broadcast::Receiver<GroupEvent> {
        self.inner.events.subscribe()
    }

    pub(crate) fn announce(&self, events: &[GroupEvent]) {
        for event in events {
            // No receiver is not an error: nobody listens.
            let _ = self.inner.events.send(event.clone());
        }
    }

    fn prefix(&self) -> Account {
        Account::from(self.inner.keypair.session_id())
    }

    /// The groups, loaded from the store on first use.
    async fn map(&self) -> Result<&Mutex<HashMap<SessionId, Shared>>, GroupError> {
        self.inner
            .groups
            .get_or_try_init(|| async {
                let prefix = self.prefix();
                let saved = on_store(&self.inner.store, move |store| {
                    let mut saved = Vec::new();
                    for key in store.blob_keys(STATE_NAMESPACE)? {
                        if key.starts_with(prefix.as_bytes())
                            && let Some(blob) = store.get_blob(STATE_NAMESPACE, &key)?
                        {
                            saved.push((key, blob));
                        }
                    }
                    Ok(saved)
                })
                .await
                .ok_or(GroupError::Cancelled)??;
                let mut groups = HashMap::new();
                for (key, blob) in saved {
                    let id = key
                        .get(33..)
                        .and_then(|id| SessionId::from_bytes(id).ok())
                        .ok_or(GroupError::Corrupt("state key"))?;
                    let state = codec::decode(&self.inner.keypair, id, &blob)?;
                    groups.insert(id, Arc::new(Mutex::new(state)));
                }
                Ok(Mutex::new(groups))
            })
            .await
    }

    /// The group `id`.
    pub(crate) async fn get(&self, id: &SessionId) -> Result<Shared, GroupError> {
        self.map()
            .await?
            .lock()
            .await
            .get(id)
            .cloned()
            .ok_or(GroupError::UnknownGroup(*id))
    }

    /// Every group.
    pub(crate) async fn all(&self) -> Result<Vec<Shared>, GroupError> {
        Ok(self.map().await?.lock().await.values().cloned().collect())
    }

    /// Adds (or replaces) a group, saving and recording it.
    pub(crate) async fn insert(&self, mut state: GroupState) -> Result<Shared, GroupError> {
        self.save(&mut state, WriteBatch::new()).await?;
        self.record(&state).await?;
        let id = state.id;
        let shared = Arc::new(Mutex::new(state));
        self.map().await?.lock().await.insert(id, shared.clone());
        Ok(shared)
    }

    /// Saves `state` with the other writes of `batch`, atomically.
    pub(crate) async fn save(
        &self,
        state: &mut GroupState,
        mut batch: WriteBatch,
    ) -> Result<(), GroupError> {
        let blob = codec::encode(state)?;
        batch.put_blob(STATE_NAMESPACE, &self.state_key(&state.id), &blob);
        on_store(&self.inner.store, move |store| {
            store.apply(&batch).map(drop)
        })
        .await
        .ok_or(GroupError::Cancelled)??;
        Ok(())
    }

    fn state_key(&self, id: &SessionId) -> Vec<u8> {
        let mut key = self.prefix().as_bytes().to_vec();
        key.extend_from_slice(&id.to_bytes());
        key
    }

    /// Forgets a group: its state, its entry in UserGroups, its poll positions.
    pub(crate) async fn forget(&self, id: &SessionId) -> Result<(), GroupError> {
        self.map().await?.lock().await.remove(id);
        let key = self.state_key(id);
        let account = Account::from(id);
        on_store(&self.inner.store, move |store| {
            let mut batch = WriteBatch::new();
            batch.delete_blob(STATE_NAMESPACE, &key);
            batch.forget_account(&account);
            store.apply(&batch).map(drop)
        })
        .await
        .ok_or(GroupError::Cancelled)??;
        let id = *id;
        self.inner
            .configs
            .edit(move |c| c.user_groups.erase_group(&id))
            .await?;
        Ok(())
    }

    /// Records `state` in UserGroups: the seed for admins, the auth data for members.
    pub(crate) async fn record(&self, state: &GroupState) -> Result<(), GroupError> {
        let mut info = GroupInfo::new(state.id)?;
        info.name = state.name();
        info.secret_key = state.group.identity().map(GroupIdentity::seed);
        info.auth_data = match (state.group.identity(), state.group.auth_data()) {
            (None, Some(auth)) => Some(*auth.as_bytes()),
            _ => None,
        };
        info.removed_status = if state.kicked() {
            KICKED_FROM_GROUP
        } else {
            NOT_REMOVED
        };
        info.common.invited = state.invited;
        let now_s = i64::try_from(self.inner.client.now_ms() / 1000).unwrap_or(i64::MAX);
        let id = state.id;
        self.inner
            .configs
            .edit(move |c| {
                // A membership starts when we join; joining again after a removal starts a
                // new one (which is what tells old invites from new ones).
                info.common.joined_at = c.user_groups.get_group(&id).map_or(now_s, |known| {
                    if known.removed_status != NOT_REMOVED && info.removed_status == NOT_REMOVED {
                        now_s
                    } else {
                        known.common.joined_at
                    }
                });
                if info.common.joined_at == 0 {
                    info.common.joined_at = now_s;
                }
                c.user_groups.set_group(&info)
            })
            .await?;
        Ok(())
    }

    /// Whether an invite to `group` sent at `sent_at_ms` predates our removal from it: the
    /// account's UserGroups marks the group as one we were removed from, and the invite is
    /// no newer than when we (last) joined. Invites stay on the swarm for two weeks, so a
    /// device that reads its 1:1 messages afresh meets the old one again; only an invite
    /// sent after the removal brings us back.
    pub(crate) async fn is_stale_invite(
        &self,
        group: &SessionId,
        sent_at_ms: u64,
    ) -> Result<bool, GroupError> {
        let sent_s = i64::try_from(sent_at_ms / 1000).unwrap_or(i64::MAX);
        Ok(self
            .inner
            .configs
            .joined_groups()
            .await?
            .iter()
            .any(|info| {
                info.id == *group
                    && info.removed_status != NOT_REMOVED
                    && sent_s <= info.common.joined_at
            }))
    }

    /// Takes up the groups UserGroups lists that this device does not know yet (joined on
    /// another device of the account).
    pub(crate) async fn adopt(&self) -> Result<Vec<GroupEvent>, GroupError> {
        let listed = self.inner.configs.joined_groups().await?;
        let known: Vec<SessionId> = self.map().await?.lock().await.keys().copied().collect();
        let mut events = Vec::new();
        for info in listed {
            if known.contains(&info.id) || info.removed_status != NOT_REMOVED {
                continue;
            }
            let user = self.inner.keypair.clone();
            let mut state = if let Some(seed) = &info.secret_key {
                GroupState::admin(user, GroupIdentity::from_seed(seed))?
            } else if let Some(auth) = &info.auth_data {
                let group = Group::new_member(user, &info.id, Some(AuthData::from_slice(auth)?))?;
                // Another device joined: whether it answered the invite is not known here,
                // and answering twice is harmless.
                GroupState::new(group, info.name.clone(), info.common.invited)
            } else {
                continue;
            };
            state.invite_name.clone_from(&info.name);
            state.invited = info.common.invited;
            self.save(&mut state, WriteBatch::new()).await?;
            let id = state.id;
            let invited = state.invited;
            self.map()
                .await?
                .lock()
                .await
                .insert(id, Arc::new(Mutex::new(state)));
            if !invited {
                events.push(GroupEvent::Joined { group: id });
            }
        }
        self.announce(&events);
        Ok(events)
    }
}
