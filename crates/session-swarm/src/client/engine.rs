//! The client's shared state: the pool, the swarm cache, the clock and the transport, and
//! the small steps every call is made of (keeping the pool fresh, sending once, blaming a
//! node).

use std::collections::HashMap;
use std::fmt;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::watch;

use crate::client::carrier::Carrier;
use crate::client::options::ClientOptions;
use crate::client::random::{OsRng, random_index};
use crate::client::retry::Penalty;
use crate::client::status::Status;
use crate::error::{Error, Result};
use crate::net::{
    Network, NodePool, RpcResponse, ServiceNode, SharedClock, SwarmCache, local_now_ms,
    maintain_pool,
};
use crate::rpc::{Account, SwarmResult};

/// The request engine: storage RPCs to an account's swarm with the official clients'
/// failure handling. Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct SwarmClient {
    /// What the clones share.
    pub(crate) inner: Arc<Inner>,
}

/// The shared part of a [`SwarmClient`].
pub(crate) struct Inner {
    /// Where the seeds are.
    pub(crate) network: Network,
    /// Settings.
    pub(crate) options: ClientOptions,
    /// Onion or direct.
    pub(crate) carrier: Carrier,
    /// Network time, fed by every answer's `t`.
    pub(crate) clock: Arc<SharedClock>,
    /// Pool, swarms, per-node clocks; never locked across an await.
    pub(crate) state: Mutex<State>,
    /// The connection state.
    pub(crate) status: watch::Sender<Status>,
    /// One pool maintenance at a time (it awaits seeds and nodes).
    pub(crate) maintenance: tokio::sync::Mutex<()>,
}

/// What calls read and update.
pub(crate) struct State {
    /// The known nodes and their strikes.
    pub(crate) pool: NodePool,
    /// Members by account.
    pub(crate) swarms: SwarmCache,
    /// Node clock offsets (node − local, ms) learned from 406 resyncs. A node whose clock
    /// is far off would pull the shared average away from every other node's, so requests
    /// to it are signed with its own clock instead.
    pub(crate) node_offsets: HashMap<[u8; 32], i64>,
    /// Node choice.
    pub(crate) rng: OsRng,
}

// Node counts only: the pool and the swarms say who we talk to.
impl fmt::Debug for SwarmClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        f.debug_struct("SwarmClient")
            .field("transport", &self.inner.options.transport)
            .field("pool", &state.pool.nodes().len())
            .field("clock_offset_ms", &self.inner.clock.offset_ms())
            .finish_non_exhaustive()
    }
}

/// The first bytes of a node's key, enough to tell nodes apart in logs.
pub(crate) fn node_tag(node: &ServiceNode) -> String {
    hex::encode(&node.ed25519[..4])
}

/// A swarm answer's members as network nodes (IPv4 only, as every node is).
pub(crate) fn swarm_nodes(swarm: &SwarmResult) -> Vec<ServiceNode> {
    swarm
        .snodes
        .iter()
        .filter_map(|snode| match snode.ip {
            IpAddr::V4(ip) => Some(ServiceNode {
                ed25519: snode.ed25519,
                x25519: snode.x25519,
                ip,
                https_port: snode.port_https,
            }),
            IpAddr::V6(_) => None,
        })
        .collect()
}

impl SwarmClient {
    /// A client for `network` that bootstraps on its first call, starting from the state
    /// saved in [`ClientOptions::store`], if any.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] / [`Error::Transport`] if the transport cannot be made.
    pub fn new(network: Network, options: ClientOptions) -> Result<Self> {
        let clock = Arc::new(SharedClock::new());
        let carrier = Carrier::new(options.transport, &options.onion, clock.clone())?;
        let state = State {
            pool: NodePool::new(options.pool.clone()),
            swarms: SwarmCache::new(),
            node_offsets: HashMap::new(),
            rng: OsRng::new(),
        };
        let client = Self {
            inner: Arc::new(Inner {
                network,
                options,
                carrier,
                clock,
                state: Mutex::new(state),
                status: watch::Sender::new(Status::Connecting),
                maintenance: tokio::sync::Mutex::new(()),
            }),
        };
        client.restore_saved_state();
        Ok(client)
    }

    /// A client for `network`, bootstrapped from its seeds and (with
    /// [`ClientOptions::warm_up`]) with its onion paths built.
    ///
    /// # Errors
    ///
    /// As [`SwarmClient::new`], and the bootstrap's error when no seed answers. A path
    /// build that fails is not an error: calls build paths again.
    pub async fn connect(network: Network, options: ClientOptions) -> Result<Self> {
        let client = Self::new(network, options)?;
        client.ensure_pool().await?;
        if client.inner.options.warm_up {
            let timeout = client.inner.options.request_timeout;
            match client.inner.carrier.warm_up(timeout).await {
                Ok(()) => client.set_status(Status::Connected {
                    paths: client.inner.carrier.paths().len(),
                }),
                Err(error) => tracing::debug!(%error, "path warm-up failed"),
            }
        }
        Ok(client)
    }

    /// The state's lock. A panic while it was held leaves plain data behind (counts, lists),
    /// still usable, so poisoning is ignored.
    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The network-adjusted clock every signature uses, ms since the epoch.
    pub fn now_ms(&self) -> u64 {
        u64::try_from(self.inner.clock.now_ms()).unwrap_or(0)
    }

    /// How far our clock is ahead of the network's (local − network), ms.
    pub fn clock_offset_ms(&self) -> i64 {
        self.inner.clock.offset_ms()
    }

    /// How far a node's clock is ahead of ours, if a resync learned it.
    pub fn node_offset_ms(&self, ed25519: &[u8; 32]) -> Option<i64> {
        self.state().node_offsets.get(ed25519).copied()
    }

    /// The time to sign a request to `node` with: the node's own clock if a resync learned
    /// it, the network clock otherwise.
    pub(crate) fn now_ms_for(&self, node: &[u8; 32]) -> u64 {
        let now = match self.node_offset_ms(node) {
            Some(offset) => local_now_ms().saturating_add(offset),
            None => self.inner.clock.now_ms(),
        };
        u64::try_from(now).unwrap_or(0)
    }

    /// The node pool as it stands.
    pub fn pool(&self) -> Vec<ServiceNode> {
        self.state().pool.nodes().to_vec()
    }

    /// The onion paths, guard first (empty over direct HTTPS).
    pub fn paths(&self) -> Vec<Vec<ServiceNode>> {
        self.inner.carrier.paths()
    }

    /// The connection state, updated after every call.
    pub fn status(&self) -> watch::Receiver<Status> {
        self.inner.status.subscribe()
    }

    /// Publishes a state, waking watchers only on a change.
    pub(crate) fn set_status(&self, status: Status) {
        self.inner.status.send_if_modified(|current| {
            let changed = *current != status;
            *current = status;
            changed
        });
    }

    /// Brings the pool up to date when it is too small, due for a refresh, or path
    /// selection ran out of nodes; then hands it to path selection.
    pub(crate) async fn ensure_pool(&self) -> Result<()> {
        if !self.pool_stale() {
            return Ok(());
        }
        let _one_at_a_time = self.inner.maintenance.lock().await;
        // Another call may have refreshed it while this one waited.
        if !self.pool_stale() {
            return Ok(());
        }
        let mut pool = self.state().pool.clone();
        let options = &self.inner.options;
        let maintained = maintain_pool(
            &mut pool,
            self.inner.carrier.transport(),
            &self.inner.network,
            &options.seed,
            &mut OsRng::new(),
            options.request_timeout,
        )
        .await;
        if let Err(error) = maintained {
            self.set_status(Status::Offline);
            return Err(error);
        }
        self.inner.carrier.set_pool(pool.nodes())?;
        tracing::debug!(nodes = pool.nodes().len(), "node pool updated");
        {
            let mut state = self.state();
            state.swarms.prune(&pool);
            state.pool = pool;
        }
        self.save_pool();
        self.save_clock();
        Ok(())
    }

    /// Whether [`SwarmClient::ensure_pool`] has work to do.
    fn pool_stale(&self) -> bool {
        let stale = {
            let state = self.state();
            state.pool.needs_seed() || state.pool.refresh_due(Instant::now())
        };
        stale || self.inner.carrier.needs_pool_refresh()
    }

    /// Sends `body` to `node` once, then takes in the nodes path selection struck out.
    pub(crate) async fn send_once(
        &self,
        node: &ServiceNode,
        body: &[u8],
        timeout: Duration,
    ) -> Result<RpcResponse> {
        let answer = self
            .inner
            .carrier
            .transport()
            .send(node, body, timeout)
            .await;
        for dropped in self.inner.carrier.take_dropped() {
            self.penalize(&dropped, Penalty::Drop(dropped));
        }
        answer
    }

    /// Applies an attempt's verdict on `node`.
    pub(crate) fn penalize(&self, node: &[u8; 32], penalty: Penalty) {
        let mut state = self.state();
        match penalty {
            Penalty::None | Penalty::RefreshPool => {}
            Penalty::Strike => {
                if state.pool.strike(node) {
                    tracing::debug!(node = %hex::encode(&node[..4]), "node struck out");
                    state.swarms.remove_node(node);
                }
            }
            Penalty::Drop(gone) => {
                tracing::debug!(node = %hex::encode(&gone[..4]), "node dropped");
                state.pool.remove(&gone);
                state.swarms.remove_node(&gone);
            }
        }
    }

    /// Replaces `account`'s cached swarm with a 421's; `false` if it named no usable node.
    pub(crate) fn adopt_swarm(&self, account: &Account, swarm: &SwarmResult) -> bool {
        let members = swarm_nodes(swarm);
        if members.is_empty() {
            return false;
        }
        self.state().swarms.set(&account.to_hex(), &members);
        self.save_swarm(account, &members);
        true
    }

    /// A random pool node not in `exclude` (any pool node if all are excluded).
    pub(crate) fn random_pool_node(&self, exclude: &[[u8; 32]]) -> Result<ServiceNode> {
        let mut state = self.state();
        let nodes = state.pool.nodes().to_vec();
        pick(&mut state.rng, &nodes, exclude)
    }

    /// Time left before `deadline`, capped at one attempt's timeout.
    pub(crate) fn attempt_timeout(&self, deadline: Instant) -> Duration {
        deadline
            .saturating_duration_since(Instant::now())
            .min(self.inner.options.request_timeout)
    }
}

/// A random entry of `nodes` not in `exclude`, or of all of them if every one is.
pub(crate) fn pick(
    rng: &mut OsRng,
    nodes: &[ServiceNode],
    exclude: &[[u8; 32]],
) -> Result<ServiceNode> {
    let fresh: Vec<&ServiceNode> = nodes
        .iter()
        .filter(|n| !exclude.contains(&n.ed25519))
        .collect();
    let candidates: Vec<&ServiceNode> = if fresh.is_empty() {
        nodes.iter().collect()
    } else {
        fresh
    };
    random_index(rng, candidates.len())
        .and_then(|i| candidates.get(i))
        .map(|node| (*node).clone())
        .ok_or(Error::NoNodes)
}
