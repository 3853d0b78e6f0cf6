//! Settings for a local network and starting it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use rustls::pki_types::CertificateDer;
use session_crypto::Ed25519Seed;
use session_identity::Keypair;
use tokio::net::TcpListener;

use crate::clock::system_now_ms;
use crate::error::{Error, Result};
use crate::file_server::{FileServer, NowMs};
use crate::http::{Clients, TlsIdentity, serve};
use crate::localnet::{FileServerInfo, LocalNet, SeedEndpoint};
use crate::network::{Network, NetworkConfig};
use crate::node::Node;
use crate::running_node::RunningNode;
use crate::seed::SeedHandler;
use crate::sogs::{PreparedSogs, SogsOptions};
use crate::storage::{MemoryStorage, SqliteStorage, Storage};
use crate::swarm_space::spread_swarm_ids;

/// The file in a data directory that keeps the network's key seed, so a restarted network
/// has the same nodes (and their SQLite files make sense).
const SEED_FILE: &str = "localnet-seed";

/// How to start a [`LocalNet`]: `LocalNet::builder().nodes(12).swarms(4).start().await`.
#[derive(Debug, Clone)]
pub struct LocalNetBuilder {
    nodes: usize,
    swarms: usize,
    port_base: Option<u16>,
    data_dir: Option<PathBuf>,
    seed: Option<[u8; 32]>,
    config: NetworkConfig,
    sweep_interval: Duration,
    server_roots: Vec<Vec<u8>>,
    sogs: SogsOptions,
}

impl Default for LocalNetBuilder {
    fn default() -> Self {
        Self {
            nodes: 12,
            swarms: 4,
            port_base: None,
            data_dir: None,
            seed: None,
            config: NetworkConfig::default(),
            sweep_interval: Duration::from_secs(10),
            server_roots: Vec::new(),
            sogs: SogsOptions::default(),
        }
    }
}

impl LocalNet {
    /// A builder with the defaults: 12 nodes in 4 swarms on ports the OS picks, messages in
    /// memory, fresh random keys.
    pub fn builder() -> LocalNetBuilder {
        LocalNetBuilder::default()
    }
}

impl LocalNetBuilder {
    /// How many storage nodes (default 12).
    pub const fn nodes(mut self, nodes: usize) -> Self {
        self.nodes = nodes;
        self
    }

    /// How many swarms the nodes are spread over (default 4); at most one per node.
    pub const fn swarms(mut self, swarms: usize) -> Self {
        self.swarms = swarms;
        self
    }

    /// Fixed ports: the seed endpoint on `port_base`, node `i` on `port_base + 1 + i`, the
    /// file server after the last node and the SOGS double after it. Without it the OS picks
    /// free ports.
    pub const fn port_base(mut self, port_base: u16) -> Self {
        self.port_base = Some(port_base);
        self
    }

    /// Keeps messages in SQLite files under `dir` (one per node) and the network's key seed
    /// beside them, so a network started again on the same directory has the same nodes and
    /// messages.
    pub fn data_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.data_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Derives every key from `seed`, for a network that is the same on every run (a seed
    /// stored in the data directory takes precedence).
    pub const fn seed(mut self, seed: [u8; 32]) -> Self {
        self.seed = Some(seed);
        self
    }

    /// How long a node waits for each swarm member's share of a recursive request
    /// (default 5 s, as the real nodes).
    pub const fn peer_timeout(mut self, timeout: Duration) -> Self {
        self.config.peer_timeout = timeout;
        self
    }

    /// How long a relay waits for the next node before answering 504 (default 30 s).
    pub const fn relay_timeout(mut self, timeout: Duration) -> Self {
        self.config.relay_timeout = timeout;
        self
    }

    /// How long a final hop waits for the server it proxies to (default 25 s).
    pub const fn proxy_timeout(mut self, timeout: Duration) -> Self {
        self.config.proxy_timeout = timeout;
        self
    }

    /// Whether direct `/storage_rpc/v1` requests are rate limited per client IP (600 at
    /// once, 300 a second) as on the real nodes; on by default. Every local client is
    /// 127.0.0.1, so load tests that skip the onion turn it off. Onion requests are never
    /// limited, as on the real network.
    pub const fn rate_limit(mut self, enabled: bool) -> Self {
        self.config.rate_limit = enabled;
        self
    }

    /// How often expired messages and files are swept (default 10 s, as the real nodes).
    pub const fn sweep_interval(mut self, interval: Duration) -> Self {
        self.sweep_interval = interval;
        self
    }

    /// Trusts `certificate_der` for HTTPS servers that nodes proxy v4 onions to (a community
    /// server double on loopback, say). Nodes verify those servers as the real ones do, and
    /// loopback has no public CAs; plain-HTTP servers, like the file server, need nothing.
    pub fn trust_server_certificate(mut self, certificate_der: impl Into<Vec<u8>>) -> Self {
        self.server_roots.push(certificate_der.into());
        self
    }

    /// How the community server double that every network runs behaves (by default
    /// pysogs' defaults over plain HTTP, with one room `lobby`). With TLS, the nodes trust
    /// its certificate.
    pub fn sogs(mut self, options: SogsOptions) -> Self {
        self.sogs = options;
        self
    }

    fn check(&self) -> Result<()> {
        if self.nodes == 0 {
            return Err(Error::Config("a network needs at least one node"));
        }
        if self.swarms == 0 || self.swarms > self.nodes {
            return Err(Error::Config(
                "swarms must be between 1 and the number of nodes",
            ));
        }
        if let Some(base) = self.port_base {
            let last = usize::from(base) + self.nodes + 2;
            if base == 0 || last > usize::from(u16::MAX) {
                return Err(Error::Config(
                    "the ports from port_base do not fit in 1..=65535",
                ));
            }
        }
        if self.sweep_interval.is_zero() {
            return Err(Error::Config("the sweep interval must be positive"));
        }
        Ok(())
    }

    /// The port for listener `slot` (0 = seed, 1..=N = nodes, N+1 = file server, N+2 = SOGS).
    fn port(&self, slot: usize) -> u16 {
        self.port_base
            .and_then(|base| u16::try_from(usize::from(base) + slot).ok())
            .unwrap_or(0)
    }

    fn key_seed(&self) -> Result<[u8; 32]> {
        let Some(dir) = &self.data_dir else {
            return Ok(self.seed.unwrap_or_else(random_seed));
        };
        std::fs::create_dir_all(dir)?;
        let path = dir.join(SEED_FILE);
        if let Ok(text) = std::fs::read_to_string(&path) {
            let mut seed = [0u8; 32];
            hex::decode_to_slice(text.trim(), &mut seed)
                .map_err(|_| Error::Config("the data directory's seed file is corrupt"))?;
            return Ok(seed);
        }
        let seed = self.seed.unwrap_or_else(random_seed);
        std::fs::write(&path, hex::encode(seed))?;
        Ok(seed)
    }

    fn storage(&self, index: usize) -> Result<Arc<dyn Storage>> {
        Ok(match &self.data_dir {
            Some(dir) => Arc::new(SqliteStorage::open(
                dir.join(format!("node-{index}.sqlite")),
            )?),
            None => Arc::new(MemoryStorage::new()),
        })
    }

    /// Starts the seed endpoint, the nodes, the file server and the SOGS double, and returns
    /// once all of them accept connections.
    pub async fn start(self) -> Result<LocalNet> {
        self.check()?;
        let mut rng = ChaCha20Rng::from_seed(self.key_seed()?);
        let swarm_ids = spread_swarm_ids(self.swarms, rng.next_u64());

        let mut listeners = Vec::with_capacity(self.nodes);
        let mut nodes = Vec::with_capacity(self.nodes);
        for index in 0..self.nodes {
            let listener = TcpListener::bind(("127.0.0.1", self.port(index + 1))).await?;
            let port = listener.local_addr()?.port();
            let keypair =
                Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes(random_bytes(&mut rng)));
            let swarm_id = swarm_ids[index % swarm_ids.len()];
            let node = Node::new(
                index,
                keypair,
                swarm_id,
                port,
                self.storage(index)?,
                random_bytes(&mut rng),
            );
            listeners.push(listener);
            nodes.push(Arc::new(node));
        }
        let network = Arc::new(Network::new(nodes.clone(), self.config.clone()));

        let file_seed = Ed25519Seed::from_bytes(random_bytes(&mut rng));
        let clock: NowMs = Arc::new(system_now_ms);
        let file_server = Arc::new(match &self.data_dir {
            Some(dir) => FileServer::persistent(&file_seed, &dir.join("files"), clock)?,
            None => FileServer::new(&file_seed, clock),
        });
        let file_listener = TcpListener::bind(("127.0.0.1", self.port(self.nodes + 1))).await?;
        let file_port = file_listener.local_addr()?.port();
        let file_server_info = FileServerInfo {
            url: format!("http://127.0.0.1:{file_port}"),
            port: file_port,
            x25519: file_server.x25519_public(),
            ed25519: file_server.ed25519_public(),
        };

        // Drawn after every other key, so the rest of a seeded network stays as it was.
        let sogs = PreparedSogs::new(&self.sogs, random_bytes(&mut rng))?;
        let sogs_listener = TcpListener::bind(("127.0.0.1", self.port(self.nodes + 2))).await?;

        let roots: Vec<CertificateDer<'static>> = self
            .server_roots
            .iter()
            .cloned()
            .chain(sogs.cert_der())
            .map(CertificateDer::from)
            .collect();
        let clients = Arc::new(Clients::new(&roots)?);
        let mut running = Vec::with_capacity(nodes.len());
        for (node, listener) in nodes.into_iter().zip(listeners) {
            let node = Arc::new(RunningNode::new(
                node,
                TlsIdentity::generate()?,
                clients.clone(),
            ));
            node.start_on(&network, listener).await;
            running.push(node);
        }

        let seed_tls = TlsIdentity::generate()?;
        let seed_listener = TcpListener::bind(("127.0.0.1", self.port(0))).await?;
        let seed = SeedEndpoint {
            url: format!("https://127.0.0.1:{}", seed_listener.local_addr()?.port()),
            cert_pem: seed_tls.cert_pem().to_owned(),
            cert_der: seed_tls.cert_der().to_vec(),
        };
        let seed_task = serve(
            seed_listener,
            Some(seed_tls.acceptor().clone()),
            Arc::new(SeedHandler::new(network.clone())),
        );
        let file_task = serve(file_listener, None, file_server.clone());
        let (sogs_info, sogs_admin, sogs_task) = sogs.serve(sogs_listener)?;

        let sweeper = tokio::spawn(sweep(
            network.clone(),
            file_server.clone(),
            self.sweep_interval,
        ));
        Ok(LocalNet {
            network,
            nodes: running,
            seed,
            file_server: file_server_info,
            files: file_server.clone(),
            sogs: sogs_info,
            sogs_admin,
            services: vec![seed_task, file_task, sogs_task],
            sweeper,
        })
    }
}

/// Deletes expired messages and files every `interval`, as the real node's 10 s timer does.
async fn sweep(network: Arc<Network>, file_server: Arc<FileServer>, interval: Duration) {
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        for node in network.nodes() {
            if let Err(error) = node.storage().sweep_expired(node.clock().now_ms()) {
                tracing::warn!(node = node.index(), %error, "expiry sweep failed");
            }
        }
        file_server.sweep(system_now_ms());
    }
}

fn random_bytes(rng: &mut ChaCha20Rng) -> [u8; 32] {
    let mut bytes = [0u8; 32];
    rng.fill_bytes(&mut bytes);
    bytes
}

fn random_seed() -> [u8; 32] {
    let mut seed = [0u8; 32];
    // Without OS randomness a test network can still run: the seed only names test keys.
    if getrandom::fill(&mut seed).is_err() {
        seed[..16].copy_from_slice(&system_now_ms().to_le_bytes().repeat(2));
    }
    seed
}
