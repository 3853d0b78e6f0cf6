//! An account's swarm: from the cache while enough of it is in the pool, otherwise asked
//! of a random pool node with `get_swarm`.

use crate::client::call::Target;
use crate::client::engine::{SwarmClient, swarm_nodes};
use crate::error::{Error, Result};
use crate::net::ServiceNode;
use crate::rpc::{Account, GetSwarm};

impl SwarmClient {
    /// The members of `account`'s swarm that requests may go to.
    pub(crate) async fn swarm_members(&self, account: &Account) -> Result<Vec<ServiceNode>> {
        let key = account.to_hex();
        let cached = {
            let state = self.state();
            state.swarms.members(&key, &state.pool)
        };
        if let Some(members) = cached {
            return Ok(members);
        }
        self.fetch_swarm(account).await
    }

    /// Asks a random pool node for `account`'s swarm and caches it.
    ///
    /// # Errors
    ///
    /// The last node's error when every attempt failed; [`Error::NoNodes`] when the
    /// answer names no usable node.
    pub(crate) async fn fetch_swarm(&self, account: &Account) -> Result<Vec<ServiceNode>> {
        // Boxed: this is itself a call, and a call may look a swarm up.
        let swarm = Box::pin(self.run(
            Target::Pool,
            |_now_ms| Ok(GetSwarm::new(account)),
            |_swarm| Ok(()),
        ))
        .await?;
        let members = swarm_nodes(&swarm);
        if members.is_empty() {
            return Err(Error::NoNodes);
        }
        self.state().swarms.set(&account.to_hex(), &members);
        self.save_swarm(account, &members);
        // All of them, even members the pool no longer has: one struck out by path
        // failures it did not cause may be the only healthy one, and a call tries each
        // member at most once before repeating any.
        tracing::debug!(members = members.len(), "swarm fetched");
        Ok(members)
    }
}
