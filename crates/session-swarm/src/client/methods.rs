//! The storage RPCs the messaging layer needs, on top of [`SwarmClient::call`].

use crate::client::call::Target;
use crate::client::engine::SwarmClient;
use crate::error::{Error, Result};
use crate::net::ServiceNode;
use crate::rpc::{
    Account, Auth, Batch, BatchResult, GetServiceNodes, GetSwarm, Info, InfoResult, Lifetime,
    Request, Retrieve, RetrieveResult, ServiceNodes, Store, StoreResult, SwarmResult,
};

/// What [`SwarmClient::store`] accepts: at least one member's signed result verified.
fn confirmed(result: &StoreResult) -> Result<()> {
    if result.members.verified().next().is_some() {
        Ok(())
    } else {
        Err(Error::NotStored {
            members: result.members.len(),
        })
    }
}

impl SwarmClient {
    /// Stores `data` in `namespace` of `auth`'s account (anonymous stores only to public
    /// inboxes), timestamped with the network clock.
    ///
    /// # Errors
    ///
    /// As [`SwarmClient::call`]; [`Error::NotStored`] when no member's result verified on
    /// any attempt.
    pub async fn store(
        &self,
        auth: Auth<'_>,
        namespace: i16,
        data: &[u8],
        lifetime: Lifetime,
    ) -> Result<StoreResult> {
        self.run(
            Target::Swarm(auth.account()),
            |now_ms| Store::new(auth, namespace, data, lifetime, now_ms),
            confirmed,
        )
        .await
    }

    /// Reads `namespace` of `auth`'s account from a random member, after `last_hash`.
    ///
    /// # Errors
    ///
    /// As [`SwarmClient::call`].
    pub async fn retrieve(
        &self,
        auth: Auth<'_>,
        namespace: i16,
        last_hash: Option<&str>,
    ) -> Result<RetrieveResult> {
        self.run(
            Target::Swarm(auth.account()),
            |now_ms| retrieve_request(auth, namespace, last_hash, now_ms),
            |_| Ok(()),
        )
        .await
    }

    /// Reads `namespace` from the member `node` (clients poll two members, each with its
    /// own last hash). Not retried elsewhere: the next poll covers a failure.
    ///
    /// # Errors
    ///
    /// As [`SwarmClient::call_node`].
    pub async fn retrieve_from(
        &self,
        auth: Auth<'_>,
        node: &ServiceNode,
        namespace: i16,
        last_hash: Option<&str>,
    ) -> Result<RetrieveResult> {
        self.call_node(auth.account(), node, |now_ms| {
            retrieve_request(auth, namespace, last_hash, now_ms)
        })
        .await
    }

    /// The account's swarm members, from the cache or fetched with `get_swarm`.
    ///
    /// # Errors
    ///
    /// As [`SwarmClient::call`]; [`Error::NoNodes`] for an answer without usable nodes.
    pub async fn swarm(&self, account: &Account) -> Result<Vec<ServiceNode>> {
        self.ensure_pool().await?;
        self.swarm_members(account).await
    }

    /// Asks a random pool node for the account's swarm (always a fresh answer), caching it.
    ///
    /// # Errors
    ///
    /// As [`SwarmClient::call`].
    pub async fn get_swarm(&self, account: &Account) -> Result<SwarmResult> {
        let swarm = self
            .run(Target::Pool, |_| Ok(GetSwarm::new(account)), |_| Ok(()))
            .await?;
        self.adopt_swarm(account, &swarm);
        Ok(swarm)
    }

    /// `info` from `node`, or from a random pool node.
    ///
    /// # Errors
    ///
    /// As [`SwarmClient::call`].
    pub async fn info(&self, node: Option<&ServiceNode>) -> Result<InfoResult> {
        let build = |_| Ok(Info::new());
        match node {
            Some(node) => {
                let target = Target::Node(None, node.clone());
                self.run(target, build, |_| Ok(())).await
            }
            None => self.run(Target::Pool, build, |_| Ok(())).await,
        }
    }

    /// The active service nodes with the `fields` named (oxend's names, e.g.
    /// [`CLIENT_FIELDS`](crate::rpc::service_nodes::CLIENT_FIELDS)), as `node` (or a
    /// random pool node) relays them from oxend. One node's word, unchecked: the pool
    /// itself is refreshed only from lists several nodes agree on.
    ///
    /// # Errors
    ///
    /// As [`SwarmClient::call`].
    pub async fn get_service_nodes(
        &self,
        node: Option<&ServiceNode>,
        fields: &[&str],
    ) -> Result<ServiceNodes> {
        let build = |_| Ok(GetServiceNodes::new(fields));
        match node {
            Some(node) => {
                let target = Target::Node(None, node.clone());
                self.run(target, build, |_| Ok(())).await
            }
            None => self.run(Target::Pool, build, |_| Ok(())).await,
        }
    }

    /// A `batch` of the requests `build` makes (1 to 20, all run) to one member of
    /// `account`'s swarm. Subresults are the caller's to parse, each with its request's
    /// `Call::parse_reply`.
    ///
    /// # Errors
    ///
    /// As [`SwarmClient::call`]; [`Error::BatchSize`] for 0 or more than 20 requests.
    pub async fn batch<F>(&self, account: &Account, build: F) -> Result<BatchResult>
    where
        F: Fn(u64) -> Result<Vec<Request>>,
    {
        self.call(account, |now_ms| Batch::batch(build(now_ms)?))
            .await
    }

    /// Like [`SwarmClient::batch`], as a `sequence`: run in order, stopping after the
    /// first failure.
    ///
    /// # Errors
    ///
    /// As [`SwarmClient::batch`].
    pub async fn sequence<F>(&self, account: &Account, build: F) -> Result<BatchResult>
    where
        F: Fn(u64) -> Result<Vec<Request>>,
    {
        self.call(account, |now_ms| Batch::sequence(build(now_ms)?))
            .await
    }
}

/// A retrieve, after `last_hash` when given.
fn retrieve_request(
    auth: Auth<'_>,
    namespace: i16,
    last_hash: Option<&str>,
    now_ms: u64,
) -> Result<Retrieve> {
    let retrieve = Retrieve::new(auth, namespace, now_ms)?;
    Ok(match last_hash {
        Some(hash) => retrieve.last_hash(hash),
        None => retrieve,
    })
}
