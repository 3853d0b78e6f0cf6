//! A node together with its listener, which can be stopped and started again on the same
//! port (with the same keys, certificate and messages), as a real node restarts.

use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::Mutex;

use crate::error::Result;
use crate::http::{Clients, ServerTask, TlsIdentity, serve};
use crate::network::Network;
use crate::node::Node;
use crate::node_service::NodeHandler;

/// A node and its HTTPS listener while it runs.
#[derive(Debug)]
pub(crate) struct RunningNode {
    node: Arc<Node>,
    tls: TlsIdentity,
    clients: Arc<Clients>,
    task: Mutex<Option<ServerTask>>,
}

impl RunningNode {
    /// Wraps a node that is not yet listening.
    pub(crate) fn new(node: Arc<Node>, tls: TlsIdentity, clients: Arc<Clients>) -> Self {
        Self {
            node,
            tls,
            clients,
            task: Mutex::new(None),
        }
    }

    /// The node.
    pub(crate) const fn node(&self) -> &Arc<Node> {
        &self.node
    }

    /// Its certificate.
    pub(crate) const fn tls(&self) -> &TlsIdentity {
        &self.tls
    }

    /// Serves the node on `listener` (bound to its port).
    pub(crate) async fn start_on(&self, network: &Arc<Network>, listener: TcpListener) {
        let handler = Arc::new(NodeHandler::new(
            network.clone(),
            self.node.clone(),
            self.clients.clone(),
        ));
        let task = serve(listener, Some(self.tls.acceptor().clone()), handler);
        self.node.set_running(true);
        *self.task.lock().await = Some(task);
    }

    /// Binds the node's port again and serves it; a no-op if it is running.
    pub(crate) async fn start(&self, network: &Arc<Network>) -> Result<()> {
        if self.task.lock().await.is_some() {
            return Ok(());
        }
        let listener = TcpListener::bind(("127.0.0.1", self.node.https_port())).await?;
        self.start_on(network, listener).await;
        Ok(())
    }

    /// Closes the listener and every open connection; the node stops taking its swarm's
    /// replicated requests too. Its messages stay.
    pub(crate) async fn stop(&self) {
        self.node.set_running(false);
        let task = self.task.lock().await.take();
        if let Some(task) = task {
            task.stop().await;
        }
    }
}
