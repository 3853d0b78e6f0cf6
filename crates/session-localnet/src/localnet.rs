//! A running local network: its seed endpoint, nodes, file server and the fault knobs that
//! act on the network as a whole. Dropping it shuts everything down.

use std::sync::Arc;

use tokio::task::JoinHandle;

use crate::account::AccountId;
use crate::file_server::FileServer;
use crate::http::ServerTask;
use crate::network::Network;
use crate::node_handle::NodeHandle;
use crate::running_node::RunningNode;
use crate::sogs::{SogsAdmin, SogsInfo};

/// The seed endpoint: where clients bootstrap their node list, and the certificate they pin.
#[derive(Debug)]
pub(crate) struct SeedEndpoint {
    pub(crate) url: String,
    pub(crate) cert_pem: String,
    pub(crate) cert_der: Vec<u8>,
}

/// The file server: its address and keys (clients encrypt v4 onions to its X25519 key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileServerInfo {
    /// `http://127.0.0.1:<port>`, reached as plain HTTP through the onion like the real one.
    pub url: String,
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// Its X25519 public key.
    pub x25519: [u8; 32],
    /// Its Ed25519 public key.
    pub ed25519: [u8; 32],
}

/// An in-process Session network on loopback. Start one with [`LocalNet::builder`].
#[derive(Debug)]
pub struct LocalNet {
    pub(crate) network: Arc<Network>,
    pub(crate) nodes: Vec<Arc<RunningNode>>,
    pub(crate) seed: SeedEndpoint,
    pub(crate) file_server: FileServerInfo,
    pub(crate) files: Arc<FileServer>,
    pub(crate) sogs: SogsInfo,
    pub(crate) sogs_admin: SogsAdmin,
    /// The seed endpoint's, the file server's and the SOGS double's listeners.
    pub(crate) services: Vec<ServerTask>,
    pub(crate) sweeper: JoinHandle<()>,
}

impl LocalNet {
    /// The seed endpoint's base URL (`https://127.0.0.1:<port>`); clients POST JSON-RPC to
    /// `<url>/json_rpc` as they do to the real seeds.
    pub fn seed_url(&self) -> &str {
        &self.seed.url
    }

    /// The seed endpoint's certificate in PEM, for clients to pin.
    pub fn seed_cert_pem(&self) -> &str {
        &self.seed.cert_pem
    }

    /// The seed endpoint's certificate in DER.
    pub fn seed_cert_der(&self) -> &[u8] {
        &self.seed.cert_der
    }

    /// Every node, in index order.
    pub fn nodes(&self) -> Vec<NodeHandle> {
        self.nodes
            .iter()
            .map(|running| NodeHandle::new(self.network.clone(), running.clone()))
            .collect()
    }

    /// Node `index`.
    pub fn node(&self, index: usize) -> Option<NodeHandle> {
        self.nodes
            .get(index)
            .map(|running| NodeHandle::new(self.network.clone(), running.clone()))
    }

    /// The node named by `ed25519`.
    pub fn node_by_ed25519(&self, ed25519: &[u8; 32]) -> Option<NodeHandle> {
        self.nodes
            .iter()
            .find(|running| &running.node().ed25519() == ed25519)
            .map(|running| NodeHandle::new(self.network.clone(), running.clone()))
    }

    /// The swarm ids, ascending.
    pub fn swarm_ids(&self) -> &[u64] {
        self.network.swarm_ids()
    }

    /// The swarm that stores `account` now.
    pub fn swarm_of(&self, account: &AccountId) -> u64 {
        self.network.swarm_of(account)
    }

    /// The nodes of the swarm that stores `account`.
    pub fn swarm_nodes(&self, account: &AccountId) -> Vec<NodeHandle> {
        let swarm = self.swarm_of(account);
        self.nodes()
            .into_iter()
            .filter(|node| node.swarm_id() == swarm)
            .collect()
    }

    /// Moves `account` to `swarm_id`: its old swarm now answers 421 with the new swarm's
    /// nodes, as after a real swarm reshuffle. Messages already stored stay where they were.
    pub fn move_account(&self, account: AccountId, swarm_id: u64) {
        self.network.move_account(account, swarm_id);
    }

    /// The file server.
    pub const fn file_server(&self) -> &FileServerInfo {
        &self.file_server
    }

    /// How many files the file server holds.
    pub fn file_count(&self) -> usize {
        self.files.file_count()
    }

    /// The community server (SOGS) double: its URL, port and X25519 key (it starts with
    /// the room `lobby`).
    pub const fn sogs(&self) -> &SogsInfo {
        &self.sogs
    }

    /// A handle on the SOGS double's state, to add rooms, moderators and bans.
    pub fn sogs_admin(&self) -> SogsAdmin {
        self.sogs_admin.clone()
    }

    /// Stops every listener and waits until their ports are closed. Dropping the network
    /// does the same without waiting.
    pub async fn shutdown(mut self) {
        self.sweeper.abort();
        for running in &self.nodes {
            running.stop().await;
        }
        for task in std::mem::take(&mut self.services) {
            task.stop().await;
        }
    }
}

impl Drop for LocalNet {
    fn drop(&mut self) {
        // The listeners abort themselves when their tasks drop; the sweeper is a bare task.
        self.sweeper.abort();
        for running in &self.nodes {
            running.node().set_running(false);
        }
    }
}
