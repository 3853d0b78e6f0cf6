//! A small network of nodes on loopback for the listener, onion and seed tests.

use std::sync::Arc;

use session_crypto::Ed25519Seed;
use session_identity::Keypair;
use session_onion::Hop;
use tokio::net::TcpListener;

use crate::http::{Clients, ServerTask, TlsIdentity, accept_any_config, serve};
use crate::network::{Network, NetworkConfig};
use crate::node::Node;
use crate::node_service::NodeHandler;
use crate::storage::MemoryStorage;

/// Nodes serving on 127.0.0.1, one listener each.
pub(crate) struct TestNet {
    pub(crate) network: Arc<Network>,
    pub(crate) tasks: Vec<Option<ServerTask>>,
}

impl TestNet {
    /// `count` nodes in one swarm, with the default timeouts but `relay_timeout`.
    pub(crate) async fn start(count: usize, config: NetworkConfig) -> Self {
        let mut listeners = Vec::new();
        let mut nodes = Vec::new();
        for index in 0..count {
            let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
            let port = listener.local_addr().unwrap().port();
            let keypair =
                Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([index as u8 + 1; 32]));
            let node = Arc::new(Node::new(
                index,
                keypair,
                0x1000,
                port,
                Arc::new(MemoryStorage::new()),
                [index as u8; 32],
            ));
            listeners.push(listener);
            nodes.push(node);
        }
        let network = Arc::new(Network::new(nodes, config));
        let clients = Arc::new(Clients::new(&[]).unwrap());
        let mut tasks = Vec::new();
        for (node, listener) in network.nodes().iter().zip(listeners) {
            let tls = TlsIdentity::generate().unwrap();
            let handler = Arc::new(NodeHandler::new(
                network.clone(),
                node.clone(),
                clients.clone(),
            ));
            node.set_running(true);
            tasks.push(Some(serve(listener, Some(tls.acceptor().clone()), handler)));
        }
        Self { network, tasks }
    }

    /// The node at `index`.
    pub(crate) fn node(&self, index: usize) -> &Arc<Node> {
        &self.network.nodes()[index]
    }

    /// `https://127.0.0.1:<port>` of a node, plus `path`.
    pub(crate) fn url(&self, index: usize, path: &str) -> String {
        format!("https://127.0.0.1:{}{path}", self.node(index).https_port())
    }

    /// The node as an onion hop.
    pub(crate) fn hop(&self, index: usize) -> Hop {
        let node = self.node(index);
        Hop::new(node.ed25519(), node.x25519())
    }

    /// Stops a node as a test would: marked stopped, listener and connections closed.
    pub(crate) async fn stop(&mut self, index: usize) {
        self.node(index).set_running(false);
        if let Some(task) = self.tasks[index].take() {
            task.stop().await;
        }
    }
}

/// A client that accepts the nodes' self-signed certificates.
pub(crate) fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .tls_backend_preconfigured(accept_any_config().unwrap())
        .no_proxy()
        .build()
        .unwrap()
}
