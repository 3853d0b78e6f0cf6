//! One call, start to finish: choose a node, sign at the right time, send, and act on the
//! outcome as [`retry`](crate::client::retry) decides, all within the call's deadline.

use std::time::Instant;

use tracing::Instrument;

use crate::client::engine::{SwarmClient, node_tag, pick};
use crate::client::retry::{Step, backoff, classify, status_error};
use crate::client::status::Status;
use crate::error::{Error, Result};
use crate::net::ServiceNode;
use crate::rpc::{Account, Call, Reply};

/// 421s followed per call: a swarm can move once while we look, not back and forth.
const MAX_SWARM_MOVES: u32 = 2;

/// Where a call goes.
#[derive(Clone, Debug)]
pub(crate) enum Target<'a> {
    /// A random member of the account's swarm, another one on each retry.
    Swarm(&'a Account),
    /// This member only (polling); a 421 moves the call to the new swarm of the account,
    /// if the request is for one.
    Node(Option<&'a Account>, ServiceNode),
    /// Any pool node (`get_swarm`, `info`).
    Pool,
}

impl SwarmClient {
    /// Sends the request `build` makes to a random member of `account`'s swarm and returns
    /// its parsed answer, following 421s, resyncing the clock on a 406/425 and retrying on
    /// other members after failures, all within [`ClientOptions::deadline`].
    ///
    /// `build` gets the network-adjusted time to sign with, and is called again for every
    /// attempt (a resync changes the time, so the signature has to be made again).
    ///
    /// # Errors
    ///
    /// - whatever `build` returns (the request is never sent);
    /// - [`Error::Status`] for 400, 401, 403, 404 and 413 (no retry), for a second 406 and
    ///   for the last failure when the attempts are used up;
    /// - the transport's last error when no member could be reached;
    /// - [`Error::Timeout`] when the deadline passes first.
    ///
    /// [`ClientOptions::deadline`]: crate::client::ClientOptions::deadline
    pub async fn call<C, F>(&self, account: &Account, build: F) -> Result<C::Output>
    where
        C: Call,
        F: Fn(u64) -> Result<C>,
    {
        self.run(Target::Swarm(account), build, |_| Ok(())).await
    }

    /// Like [`SwarmClient::call`] to one member `node` only, with no retry on other members
    /// (a poll of that member; the next poll covers a failure).
    ///
    /// # Errors
    ///
    /// As [`SwarmClient::call`]; a failure of `node` is returned at once.
    pub async fn call_node<C, F>(
        &self,
        account: &Account,
        node: &ServiceNode,
        build: F,
    ) -> Result<C::Output>
    where
        C: Call,
        F: Fn(u64) -> Result<C>,
    {
        self.run(Target::Node(Some(account), node.clone()), build, |_| Ok(()))
            .await
    }

    /// The engine: [`SwarmClient::call`] with any target, and `accept` to turn an answer
    /// that parsed but does not do (a store no member confirmed) into a retryable error.
    pub(crate) async fn run<C, F, A>(
        &self,
        target: Target<'_>,
        build: F,
        accept: A,
    ) -> Result<C::Output>
    where
        C: Call,
        F: Fn(u64) -> Result<C>,
        A: Fn(&C::Output) -> Result<()>,
    {
        let limit = self.inner.options.deadline;
        let deadline = Instant::now() + limit;
        let result = tokio::time::timeout(limit, self.attempts(target, &build, &accept, deadline))
            .await
            .unwrap_or_else(|_| {
                Err(Error::Timeout {
                    limit_ms: u64::try_from(limit.as_millis()).unwrap_or(u64::MAX),
                })
            });
        match &result {
            Ok(_) => self.set_status(Status::Connected {
                paths: self.paths().len(),
            }),
            Err(
                Error::Timeout { .. }
                | Error::Transport(_)
                | Error::Onion(_)
                | Error::NoPath
                | Error::NoNodes,
            ) => self.set_status(Status::Offline),
            // The network answered, even if with a refusal.
            Err(_) => {}
        }
        result
    }

    /// The attempts of one call.
    async fn attempts<C, F, A>(
        &self,
        mut target: Target<'_>,
        build: &F,
        accept: &A,
        deadline: Instant,
    ) -> Result<C::Output>
    where
        C: Call,
        F: Fn(u64) -> Result<C>,
        A: Fn(&C::Output) -> Result<()>,
    {
        let options = &self.inner.options;
        let mut tried: Vec<[u8; 32]> = Vec::new();
        let mut failures = 0u32;
        let mut moves = 0u32;
        let mut resynced = false;
        // The node the next attempt must use (a resync retries where it learned the time).
        let mut again: Option<ServiceNode> = None;
        loop {
            self.ensure_pool().await?;
            let node = match again.take() {
                Some(node) => node,
                None => self.choose(&target, &tried).await?,
            };
            let call = build(self.now_ms_for(&node.ed25519))?;
            let method = call.request().method();
            let span = tracing::debug_span!(
                "swarm_call",
                method,
                node = %node_tag(&node),
                attempt = tried.len() + 1,
            );
            let body = call.request().to_bytes();
            let outcome = self
                .send_once(&node, &body, self.attempt_timeout(deadline))
                .instrument(span.clone())
                .await
                .and_then(|answer| call.parse_http(answer.status, &answer.body))
                .and_then(|reply| match reply {
                    Reply::Ok(value) => accept(&value).map(|()| Reply::Ok(value)),
                    other => Ok(other),
                });
            tried.push(node.ed25519);
            match classify(outcome) {
                Step::Done(value) => return Ok(value),
                Step::WrongSwarm(swarm) => {
                    let account = match &target {
                        Target::Swarm(account) | Target::Node(Some(account), _) => *account,
                        Target::Node(None, _) | Target::Pool => return Err(status_error_421()),
                    };
                    moves += 1;
                    if moves > MAX_SWARM_MOVES || !self.adopt_swarm(account, &swarm) {
                        return Err(status_error_421());
                    }
                    span.in_scope(|| tracing::debug!(members = swarm.snodes.len(), "swarm moved"));
                    target = Target::Swarm(account);
                    tried.clear();
                }
                Step::ResyncClock(failure) => {
                    if resynced {
                        return Err(status_error(failure));
                    }
                    resynced = true;
                    let learned = self
                        .resync_clock(&node, deadline)
                        .instrument(span.clone())
                        .await;
                    if let Err(error) = learned {
                        span.in_scope(|| tracing::debug!(%error, "clock resync failed"));
                        return Err(status_error(failure));
                    }
                    again = Some(node);
                }
                Step::Retry(error, penalty) => {
                    span.in_scope(|| tracing::debug!(%error, ?penalty, "attempt failed"));
                    self.penalize(&node.ed25519, penalty);
                    failures += 1;
                    if failures >= options.attempts.max(1) || matches!(target, Target::Node(..)) {
                        return Err(error);
                    }
                    tokio::time::sleep(backoff(
                        failures,
                        options.backoff_base,
                        options.backoff_max,
                    ))
                    .await;
                }
                Step::Fail(error) => return Err(error),
            }
        }
    }

    /// The node for the next attempt: one not tried yet where possible.
    async fn choose(&self, target: &Target<'_>, tried: &[[u8; 32]]) -> Result<ServiceNode> {
        match target {
            Target::Node(_, node) => Ok(node.clone()),
            Target::Pool => self.random_pool_node(tried),
            Target::Swarm(account) => {
                let members = self.swarm_members(account).await?;
                pick(&mut self.state().rng, &members, tried)
            }
        }
    }
}

/// The error of a 421 that could not be followed (no usable swarm, or moved too often).
fn status_error_421() -> Error {
    Error::Status {
        status: 421,
        body: "misdirected: the account's swarm could not be followed".to_owned(),
    }
}
