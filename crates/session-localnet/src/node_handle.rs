//! What a test holds to look at one node and to inject its faults.

use std::sync::Arc;
use std::time::Duration;

use crate::error::Result;
use crate::network::Network;
use crate::running_node::RunningNode;

/// One storage node of a [`crate::LocalNet`]: its identity, and the knobs that make it
/// misbehave while the network runs.
#[derive(Debug, Clone)]
pub struct NodeHandle {
    network: Arc<Network>,
    running: Arc<RunningNode>,
}

impl NodeHandle {
    pub(crate) const fn new(network: Arc<Network>, running: Arc<RunningNode>) -> Self {
        Self { network, running }
    }

    /// Its position in [`crate::LocalNet::nodes`].
    pub fn index(&self) -> usize {
        self.running.node().index()
    }

    /// Its Ed25519 public key (what onion layers and swarm lists name it by).
    pub fn ed25519(&self) -> [u8; 32] {
        self.running.node().ed25519()
    }

    /// Its X25519 public key (what onion layers are encrypted to).
    pub fn x25519(&self) -> [u8; 32] {
        self.running.node().x25519()
    }

    /// The port of its HTTPS listener on 127.0.0.1.
    pub fn https_port(&self) -> u16 {
        self.running.node().https_port()
    }

    /// `https://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("https://127.0.0.1:{}", self.https_port())
    }

    /// Its swarm.
    pub fn swarm_id(&self) -> u64 {
        self.running.node().swarm_id()
    }

    /// Its self-signed certificate in PEM (clients do not verify it, as on the real
    /// network; it is here for tests that want to).
    pub fn cert_pem(&self) -> &str {
        self.running.tls().cert_pem()
    }

    /// Whether it is serving.
    pub fn is_running(&self) -> bool {
        self.running.node().is_running()
    }

    /// Stops it: its port closes, open connections drop, and its swarm's recursive
    /// requests report it as timed out. Its messages are kept.
    pub async fn stop(&self) {
        self.running.stop().await;
    }

    /// Starts it again on the same port with the same keys and messages.
    pub async fn restart(&self) -> Result<()> {
        self.running.start(&self.network).await
    }

    /// Drops `share` (0.0 to 1.0) of the requests it receives: the connection closes
    /// without an answer.
    pub fn drop_requests(&self, share: f64) {
        self.running.node().faults().set_drop(share);
    }

    /// Delays `share` of the requests it receives by `delay`.
    pub fn delay_requests(&self, share: f64, delay: Duration) {
        self.running.node().faults().set_delay(share, delay);
    }

    /// Sets its clock `skew_ms` milliseconds ahead (or behind, if negative) of the host's.
    pub fn skew_clock(&self, skew_ms: i64) {
        self.running.node().clock().set_skew_ms(skew_ms);
    }

    /// Removes the drop and delay faults and the clock skew.
    pub fn clear_faults(&self) {
        self.running.node().faults().clear();
        self.running.node().clock().set_skew_ms(0);
    }

    /// How many messages it stores.
    pub fn message_count(&self) -> Result<usize> {
        Ok(self.running.node().storage().message_count()?)
    }
}
