//! The transport a client was built with, and the onion-only duties around it (paths,
//! nodes struck out by path selection).

use std::sync::Arc;
use std::time::Duration;

use crate::client::options::TransportKind;
use crate::error::Result;
use crate::net::{
    DirectTransport, OnionConfig, OnionTransport, ServiceNode, SharedClock, Transport,
};

/// Onion or direct; both feed every answer's `t` to the client's clock.
#[derive(Debug)]
pub(crate) enum Carrier {
    /// Through onion paths (boxed: its path state is large beside a direct client).
    Onion(Box<OnionTransport>),
    /// Straight to the node.
    Direct(DirectTransport),
}

impl Carrier {
    /// The transport `kind`, updating `clock` from every answer.
    pub(crate) fn new(
        kind: TransportKind,
        onion: &OnionConfig,
        clock: Arc<SharedClock>,
    ) -> Result<Self> {
        Ok(match kind {
            TransportKind::Onion => Self::Onion(Box::new(
                OnionTransport::new(onion.clone())?.with_clock(clock),
            )),
            TransportKind::Direct => Self::Direct(DirectTransport::new()?.with_clock(clock)),
        })
    }

    /// The transport itself.
    pub(crate) fn transport(&self) -> &dyn Transport {
        match self {
            Self::Onion(onion) => onion.as_ref(),
            Self::Direct(direct) => direct,
        }
    }

    /// Hands a new pool to path selection (nothing to do for direct requests).
    pub(crate) fn set_pool(&self, nodes: &[ServiceNode]) -> Result<()> {
        match self {
            Self::Onion(onion) => onion.set_pool(nodes),
            Self::Direct(_) => Ok(()),
        }
    }

    /// Nodes path selection struck out since the last call.
    pub(crate) fn take_dropped(&self) -> Vec<[u8; 32]> {
        match self {
            Self::Onion(onion) => onion.take_dropped_nodes(),
            Self::Direct(_) => Vec::new(),
        }
    }

    /// Whether path selection ran out of nodes.
    pub(crate) fn needs_pool_refresh(&self) -> bool {
        match self {
            Self::Onion(onion) => onion.needs_pool_refresh(),
            Self::Direct(_) => false,
        }
    }

    /// The built paths, guard first (none for direct requests).
    pub(crate) fn paths(&self) -> Vec<Vec<ServiceNode>> {
        match self {
            Self::Onion(onion) => onion.paths(),
            Self::Direct(_) => Vec::new(),
        }
    }

    /// Builds paths now (guard tests) rather than on the first request.
    pub(crate) async fn warm_up(&self, timeout: Duration) -> Result<()> {
        match self {
            Self::Onion(onion) => onion.warm_up(timeout).await,
            Self::Direct(_) => Ok(()),
        }
    }
}
