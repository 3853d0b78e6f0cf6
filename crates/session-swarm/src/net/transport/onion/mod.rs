//! Onion requests over paths kept by session-onion's `PathManager`: the guard tests run as
//! direct requests, each request is built with `session_onion::Builder`, POSTed to the
//! guard's `/onion_req/v2`, decoded, and its outcome reported back so bad nodes and paths
//! are struck out and replaced.

mod config;
mod verdict;

use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use session_onion::path::{Action, Event, Outcome, Path, PathId, PathManager, TestId};
use session_onion::response::{decode_node_response, decode_server_response};
use session_onion::{
    BuiltOnion, Hop, ResponseKey, ServerDestination, ServerRequest, ServerResponse,
};
use tokio::task::JoinSet;
use tracing::Instrument;

pub use config::OnionConfig;

use crate::error::{Error, Result};
use crate::net::clock::SharedClock;
use crate::net::http::snode_client;
use crate::net::service_node::ServiceNode;
use crate::net::transport::api::{BoxFuture, RpcResponse, Transport};
use crate::net::transport::direct::DirectTransport;
use crate::net::transport::onion::verdict::{Verdict, node_verdict, server_verdict};
use crate::net::transport::os_rng::OsRandom;

/// The guard test: a direct `info`, which any ready node answers 200.
const GUARD_TEST_BODY: &[u8] = br#"{"method":"info","params":{}}"#;

/// How often a request waiting for another request's guard tests looks again.
const WAIT_STEP: Duration = Duration::from_millis(10);

/// Paths drawn at most when looking for one other than the path that just failed.
const REDRAWS: usize = 4;

/// What the transport keeps between requests.
#[derive(Debug)]
struct State {
    /// Path selection.
    manager: PathManager,
    /// The real nodes by Ed25519 key (the manager may see synthetic addresses).
    nodes: HashMap<[u8; 32], ServiceNode>,
    /// Randomness for the manager and the builder.
    rng: OsRandom,
    /// Nodes the manager struck out, for the caller to remove from swarms and the pool.
    dropped: Vec<[u8; 32]>,
    /// The manager asked for a new pool.
    needs_pool_refresh: bool,
    /// Attempts that failed on the path, ever.
    path_failures: u64,
}

impl State {
    /// Takes the manager's events into the state.
    fn drain_events(&mut self) {
        while let Some(event) = self.manager.poll_event() {
            match event {
                Event::NodeDropped { ed25519 } => self.dropped.push(ed25519),
                Event::NeedPoolRefresh => self.needs_pool_refresh = true,
                Event::PathBuilt { path_id, .. } => {
                    tracing::debug!(path = path_id.get(), "path built");
                }
                Event::PathDropped { path_id, reason } => {
                    tracing::debug!(path = path_id.get(), ?reason, "path dropped");
                }
                _ => {}
            }
        }
    }

    /// A built path for `destination`, preferring one other than `avoid`.
    fn pick(&mut self, destination: Option<&[u8; 32]>, avoid: Option<PathId>) -> Option<Path> {
        let mut chosen = self.manager.path_for(destination, &mut self.rng)?;
        for _ in 0..REDRAWS {
            if Some(chosen.id) != avoid {
                break;
            }
            chosen = self.manager.path_for(destination, &mut self.rng)?;
        }
        Some(chosen)
    }

    /// Reports an outcome; a report on a path already gone is moot.
    fn report(&mut self, path: PathId, outcome: Outcome) {
        if matches!(outcome, Outcome::PathFailure | Outcome::Timeout) {
            self.path_failures += 1;
        }
        let _moot = self.manager.report(path, outcome, &mut self.rng);
        self.drain_events();
    }
}

/// Storage RPCs (and v4 server requests) through onion paths.
#[derive(Debug)]
pub struct OnionTransport {
    /// The snode client used for the guards' `/onion_req/v2`.
    client: reqwest::Client,
    /// Direct requests, for guard tests.
    direct: DirectTransport,
    /// Settings.
    config: OnionConfig,
    /// Paths and nodes; never locked across an await.
    state: Mutex<State>,
    /// Updated with every snode answer's `t`, if set.
    clock: Option<Arc<SharedClock>>,
}

/// A synthetic address alone in its /24, for [`OnionConfig::ignore_subnets`].
fn lone_subnet(index: usize) -> Ipv4Addr {
    let [.., hi, lo] = (index as u64).to_be_bytes();
    Ipv4Addr::new(10, hi, lo, 1)
}

impl OnionTransport {
    /// A transport with no pool yet; call [`set_pool`](Self::set_pool).
    pub fn new(config: OnionConfig) -> Result<Self> {
        Ok(Self {
            client: snode_client()?,
            direct: DirectTransport::new()?,
            state: Mutex::new(State {
                manager: PathManager::new(config.paths.clone()),
                nodes: HashMap::new(),
                rng: OsRandom::new(),
                dropped: Vec::new(),
                needs_pool_refresh: false,
                path_failures: 0,
            }),
            config,
            clock: None,
        })
    }

    /// Feeds every snode answer's `t` to `clock` (guard tests included).
    #[must_use]
    pub fn with_clock(mut self, clock: Arc<SharedClock>) -> Self {
        self.direct = self.direct.with_clock(clock.clone());
        self.clock = Some(clock);
        self
    }

    /// The lock on the state.
    fn lock(&self) -> Result<MutexGuard<'_, State>> {
        self.state
            .lock()
            .map_err(|_| Error::Transport("onion state lock poisoned".into()))
    }

    /// Replaces the node pool; paths are rebuilt from it and all strikes cleared.
    pub fn set_pool(&self, nodes: &[ServiceNode]) -> Result<()> {
        let mut guard = self.lock()?;
        let state = &mut *guard;
        state.nodes = nodes.iter().map(|n| (n.ed25519, n.clone())).collect();
        let pool = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let mut node = n.path_node();
                if self.config.ignore_subnets {
                    node.ip = lone_subnet(i);
                }
                node
            })
            .collect();
        state.manager.set_pool(pool, &mut state.rng);
        state.needs_pool_refresh = false;
        state.drain_events();
        state.rng.check()
    }

    /// Builds paths now (running guard tests) instead of on the first request.
    pub async fn warm_up(&self, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        self.ready_path(None, None, deadline, timeout)
            .await
            .map(drop)
    }

    /// The built paths, guard first.
    pub fn paths(&self) -> Vec<Vec<ServiceNode>> {
        let Ok(state) = self.lock() else {
            return Vec::new();
        };
        state
            .manager
            .paths()
            .iter()
            .map(|p| {
                p.nodes
                    .iter()
                    .filter_map(|n| state.nodes.get(&n.ed25519).cloned())
                    .collect()
            })
            .collect()
    }

    /// How many attempts failed on their path since the transport was made.
    pub fn path_failures(&self) -> u64 {
        self.lock().map(|s| s.path_failures).unwrap_or(0)
    }

    /// Whether path selection ran out of nodes and wants a new pool.
    pub fn needs_pool_refresh(&self) -> bool {
        self.lock().map(|s| s.needs_pool_refresh).unwrap_or(false)
    }

    /// The nodes struck out since the last call, to drop from swarms and the pool.
    pub fn take_dropped_nodes(&self) -> Vec<[u8; 32]> {
        self.lock()
            .map(|mut s| std::mem::take(&mut s.dropped))
            .unwrap_or_default()
    }

    /// Sends a v4 request to a server (file server, community server) through a path.
    pub async fn send_to_server(
        &self,
        destination: &ServerDestination,
        request: &ServerRequest,
        timeout: Duration,
    ) -> Result<ServerResponse> {
        let span = tracing::debug_span!("onion_v4", host = %destination.host());
        self.run(
            None,
            timeout,
            |hops, rng| {
                session_onion::Builder::new(hops)
                    .enc_type(self.config.enc_type)
                    .to_server(destination, request, rng)
            },
            |key, status, body| server_verdict(decode_server_response(key, status, body)),
        )
        .instrument(span)
        .await
    }

    /// A path for `destination`, running guard tests until one is built.
    async fn ready_path(
        &self,
        destination: Option<&[u8; 32]>,
        avoid: Option<PathId>,
        deadline: Instant,
        limit: Duration,
    ) -> Result<Path> {
        loop {
            let (tests, wait) = {
                let mut guard = self.lock()?;
                let state = &mut *guard;
                let now = Instant::now();
                state.manager.handle_timeout(now, &mut state.rng);
                state.drain_events();
                if let Some(path) = state.pick(destination, avoid) {
                    state.rng.check()?;
                    return Ok(path);
                }
                let mut tests: Vec<(TestId, Option<ServiceNode>)> = Vec::new();
                while let Some(action) = state.manager.poll_action(now) {
                    if let Action::TestGuard { test_id, node } = action {
                        tests.push((test_id, state.nodes.get(&node.ed25519).cloned()));
                    }
                }
                // Tests another request started are still pending: wait for them.
                let pending = state.manager.poll_timeout();
                if tests.is_empty() && pending.is_none() {
                    state.needs_pool_refresh = true;
                    return Err(Error::NoPath);
                }
                (tests, pending)
            };
            if Instant::now() >= deadline {
                return Err(timeout_error(limit));
            }
            if tests.is_empty() {
                let until = wait.map_or(WAIT_STEP, |w| {
                    w.saturating_duration_since(Instant::now()).min(WAIT_STEP)
                });
                tokio::time::sleep(until.max(Duration::from_millis(1))).await;
                continue;
            }
            self.run_guard_tests(tests, deadline).await?;
        }
    }

    /// Probes guard candidates in parallel and reports the results.
    async fn run_guard_tests(
        &self,
        tests: Vec<(TestId, Option<ServiceNode>)>,
        deadline: Instant,
    ) -> Result<()> {
        let timeout = self
            .config
            .paths
            .guard_test_timeout
            .min(deadline.saturating_duration_since(Instant::now()));
        let mut probes = JoinSet::new();
        for (test_id, node) in tests {
            let direct = self.direct.clone();
            probes.spawn(async move {
                let passed = match node {
                    Some(node) => direct
                        .send(&node, GUARD_TEST_BODY, timeout)
                        .await
                        .is_ok_and(|r| r.status == 200),
                    None => false,
                };
                (test_id, passed)
            });
        }
        while let Some(joined) = probes.join_next().await {
            let Ok((test_id, passed)) = joined else {
                continue;
            };
            tracing::debug!(test = test_id.get(), passed, "guard test");
            let mut guard = self.lock()?;
            let state = &mut *guard;
            let _stale = state
                .manager
                .guard_test_result(test_id, passed, &mut state.rng);
            state.drain_events();
        }
        Ok(())
    }

    /// The attempt loop shared by node and server destinations.
    async fn run<T>(
        &self,
        destination: Option<&[u8; 32]>,
        timeout: Duration,
        build: impl Fn(&[Hop], &mut OsRandom) -> session_onion::Result<BuiltOnion>,
        judge: impl Fn(&ResponseKey, u16, &[u8]) -> Verdict<T>,
    ) -> Result<T> {
        let deadline = Instant::now() + timeout;
        let mut last_error = Error::NoPath;
        let mut avoid = None;
        for attempt in 0..self.config.max_attempts.max(1) {
            let path = self
                .ready_path(destination, avoid, deadline, timeout)
                .await?;
            let (guard_node, body, key) = {
                let mut guard = self.lock()?;
                let state = &mut *guard;
                let hops: Vec<Hop> = path
                    .nodes
                    .iter()
                    .map(|n| Hop::new(n.ed25519, n.x25519))
                    .collect();
                let built = build(&hops, &mut state.rng);
                state.rng.check()?;
                let (body, key) = built?.into_parts();
                let guard_node = path
                    .guard()
                    .and_then(|g| state.nodes.get(&g.ed25519))
                    .cloned()
                    .ok_or(Error::NoPath)?;
                (guard_node, body, key)
            };
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(timeout_error(timeout));
            }
            let url = format!("{}/onion_req/v2", guard_node.url());
            tracing::debug!(attempt, path = path.id.get(), "sending");
            let answer = DirectTransport::post(
                &self.client,
                &url,
                "application/octet-stream",
                body,
                remaining,
            )
            .await;
            let verdict = match answer {
                Err(Error::Timeout { .. }) => {
                    self.lock()?.report(path.id, Outcome::Timeout);
                    return Err(timeout_error(timeout));
                }
                Err(error) => Verdict::Retry(error, Outcome::PathFailure),
                Ok(response) => judge(&key, response.status, &response.body),
            };
            match verdict {
                Verdict::Answer(value, outcome) => {
                    if let Some(outcome) = outcome {
                        self.lock()?.report(path.id, outcome);
                    }
                    return Ok(value);
                }
                Verdict::Retry(error, outcome) => {
                    tracing::debug!(attempt, %error, "path failed");
                    self.lock()?.report(path.id, outcome);
                    last_error = error;
                    avoid = Some(path.id);
                }
                Verdict::Fail(error, outcome) => {
                    if let Some(outcome) = outcome {
                        self.lock()?.report(path.id, outcome);
                    }
                    return Err(error);
                }
            }
        }
        Err(last_error)
    }
}

/// The typed timeout for a request limited to `limit`.
fn timeout_error(limit: Duration) -> Error {
    Error::Timeout {
        limit_ms: u64::try_from(limit.as_millis()).unwrap_or(u64::MAX),
    }
}

impl Transport for OnionTransport {
    fn send<'a>(
        &'a self,
        node: &'a ServiceNode,
        body: &'a [u8],
        timeout: Duration,
    ) -> BoxFuture<'a, Result<RpcResponse>> {
        let span = tracing::debug_span!("onion_rpc", node = %hex::encode(&node.ed25519[..4]));
        let destination = node.hop();
        Box::pin(
            async move {
                let response = self
                    .run(
                        Some(&node.ed25519),
                        timeout,
                        |hops, rng| {
                            session_onion::Builder::new(hops)
                                .enc_type(self.config.enc_type)
                                .to_node(&destination, body, rng)
                        },
                        |key, status, http_body| {
                            node_verdict(
                                decode_node_response(key, status, http_body),
                                &node.ed25519,
                            )
                        },
                    )
                    .await?;
                if let Some(clock) = &self.clock {
                    clock.observe(&response.body);
                }
                Ok(response)
            }
            .instrument(span),
        )
    }
}
