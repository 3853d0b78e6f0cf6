//! One storage node's state: its keys, swarm, port, messages, clock and faults. The HTTPS
//! listener that serves it lives in `http`; the network it belongs to in `network`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use session_identity::Keypair;

use crate::clock::Clock;
use crate::faults::Faults;
use crate::storage::Storage;

/// The version the nodes report (`info`, `get_stats`, the `Server` header).
pub(crate) const VERSION: [u16; 3] = [2, 8, 0];

/// The hard fork the nodes report in every `hf` field.
pub(crate) const HARDFORK: [u16; 2] = [19, 4];

/// A storage node.
#[derive(Debug)]
pub(crate) struct Node {
    index: usize,
    keypair: Keypair,
    swarm_id: u64,
    https_port: u16,
    storage: Arc<dyn Storage>,
    clock: Clock,
    faults: Faults,
    running: AtomicBool,
}

impl Node {
    /// A node that is not yet serving.
    pub(crate) fn new(
        index: usize,
        keypair: Keypair,
        swarm_id: u64,
        https_port: u16,
        storage: Arc<dyn Storage>,
        fault_seed: [u8; 32],
    ) -> Self {
        Self {
            index,
            keypair,
            swarm_id,
            https_port,
            storage,
            clock: Clock::default(),
            faults: Faults::new(fault_seed),
            running: AtomicBool::new(false),
        }
    }

    /// Its position in the network's node list.
    pub(crate) const fn index(&self) -> usize {
        self.index
    }

    /// Its Ed25519 and X25519 keys.
    pub(crate) const fn keypair(&self) -> &Keypair {
        &self.keypair
    }

    /// Its Ed25519 public key, which names it.
    pub(crate) fn ed25519(&self) -> [u8; 32] {
        *self.keypair.ed25519_public()
    }

    /// Its X25519 public key, which onion layers are encrypted to.
    pub(crate) fn x25519(&self) -> [u8; 32] {
        *self.keypair.x25519_public()
    }

    /// The legacy service-node key. Nodes registered since the Ed25519 switch use their
    /// Ed25519 key as the legacy key, and so do ours.
    pub(crate) fn legacy_pubkey(&self) -> [u8; 32] {
        self.ed25519()
    }

    /// Its swarm.
    pub(crate) const fn swarm_id(&self) -> u64 {
        self.swarm_id
    }

    /// The port of its HTTPS listener.
    pub(crate) const fn https_port(&self) -> u16 {
        self.https_port
    }

    /// Its message store.
    pub(crate) fn storage(&self) -> &dyn Storage {
        self.storage.as_ref()
    }

    /// Its clock (with any injected skew).
    pub(crate) const fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Its drop and delay knobs.
    pub(crate) const fn faults(&self) -> &Faults {
        &self.faults
    }

    /// Whether it is serving (stopped nodes neither answer clients nor take replicated
    /// requests from their swarm).
    pub(crate) fn is_running(&self) -> bool {
        self.running.load(Ordering::Acquire)
    }

    /// Marks it serving or stopped.
    pub(crate) fn set_running(&self, running: bool) {
        self.running.store(running, Ordering::Release);
    }
}
