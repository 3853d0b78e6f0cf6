//! Setting a client up: network, account, store and settings, then one `connect`.

use std::path::Path;

use session_identity::{Keypair, Seed};
use session_swarm::client::{ClientOptions, SwarmClient};
use session_swarm::messaging::{Messenger, MessengerOptions};
use session_swarm::net::Network;

use crate::client::handle::Client;
use crate::client::storage::Storage;
use crate::error::{Error, Result};

/// Builds a [`Client`]: [`Client::builder`], then the account, then
/// [`connect`](ClientBuilder::connect). Defaults: mainnet, an in-memory store, the
/// official clients' settings.
pub struct ClientBuilder {
    network: Network,
    /// A bad phrase is kept until `connect` so that the builder chains without `?`.
    account: Option<Result<Keypair>>,
    storage: Storage,
    client_options: ClientOptions,
    messenger_options: MessengerOptions,
}

// Without the account: its Debug is redacted anyway, but whether one is set is what helps.
impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("network", &self.network)
            .field("account_set", &self.account.is_some())
            .field("storage", &self.storage)
            .field("client_options", &self.client_options)
            .field("messenger_options", &self.messenger_options)
            .finish()
    }
}

impl Client {
    /// Starts building a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder {
            network: Network::Mainnet,
            account: None,
            storage: Storage::Memory,
            client_options: ClientOptions::default(),
            messenger_options: MessengerOptions::default(),
        }
    }
}

impl ClientBuilder {
    /// The network to join (mainnet unless set).
    pub fn network(mut self, network: Network) -> Self {
        self.network = network;
        self
    }

    /// A local network ([`localnet::LocalNet`](crate::localnet::LocalNet)): its seed with
    /// the seed's pinned certificate, paths over nodes that all share 127.0.0.1 (the /24
    /// rule the real network needs cannot hold there), and short timeouts and poll
    /// intervals fit for loopback. Set options after this call to override them.
    #[cfg(feature = "localnet")]
    pub fn localnet(mut self, net: &session_localnet::LocalNet) -> Self {
        use std::time::Duration;

        use session_swarm::net::{SeedConfig, SeedNode};

        self.network = Network::Custom {
            seeds: vec![SeedNode {
                url: net.seed_url().to_owned(),
                cert_der: Some(net.seed_cert_der().to_vec()),
            }],
        };
        self.client_options.onion.ignore_subnets = true;
        self.client_options.seed = SeedConfig::once(Duration::from_secs(5));
        self.client_options.request_timeout = Duration::from_secs(3);
        self.client_options.backoff_base = Duration::from_millis(50);
        self.client_options.backoff_max = Duration::from_millis(200);
        self.messenger_options.poll_interval = Duration::from_millis(100);
        self
    }

    /// The account, from its 13-word recovery phrase. A phrase that does not decode is
    /// reported by [`connect`](Self::connect).
    pub fn mnemonic(mut self, phrase: &str) -> Self {
        self.account = Some(
            Seed::from_mnemonic(phrase)
                .map(|seed| seed.keypair())
                .map_err(Error::from),
        );
        self
    }

    /// The account, from its seed.
    pub fn seed(mut self, seed: &Seed) -> Self {
        self.account = Some(Ok(seed.keypair()));
        self
    }

    /// The account, from its key pair.
    pub fn keypair(mut self, keypair: Keypair) -> Self {
        self.account = Some(Ok(keypair));
        self
    }

    /// Where delivered messages are remembered (in memory unless set).
    pub fn store(mut self, storage: Storage) -> Self {
        self.storage = storage;
        self
    }

    /// Remember delivered messages in the SQLite file at `path` (created if missing), so
    /// that a restarted client does not receive them again.
    pub fn store_path(self, path: impl AsRef<Path>) -> Self {
        self.store(Storage::Sqlite(path.as_ref().to_path_buf()))
    }

    /// The swarm client's settings: transport, onion paths, timeouts, retries.
    pub fn client_options(mut self, options: ClientOptions) -> Self {
        self.client_options = options;
        self
    }

    /// The messenger's settings: poll interval, namespaces, sync copies, confirmations.
    pub fn messenger_options(mut self, options: MessengerOptions) -> Self {
        self.messenger_options = options;
        self
    }

    /// Opens the store, bootstraps from the network's seeds (and, by default, builds the
    /// onion paths), and returns the connected client.
    ///
    /// # Errors
    ///
    /// [`Error::NoAccount`] without an account, [`Error::Identity`] for a recovery phrase
    /// that does not decode, [`Error::Store`] when the store does not open, and
    /// [`Error::Swarm`] when no seed or node answers.
    pub async fn connect(self) -> Result<Client> {
        let keypair = self.account.ok_or(Error::NoAccount)??;
        // Opening a SQLite file blocks briefly; it happens once, before any traffic.
        let store = self.storage.open()?;
        let swarm = SwarmClient::connect(self.network, self.client_options).await?;
        Ok(Client::from(Messenger::new(
            swarm,
            keypair,
            store,
            self.messenger_options,
        )))
    }
}
