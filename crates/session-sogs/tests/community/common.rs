//! What the community tests share: doubles, keys, clients.

use std::time::Duration;

use session_crypto::Ed25519Seed;
use session_identity::Keypair;
use session_localnet::{RunningSogs, SogsInfo, SogsOptions};
use session_sogs::{CommunityClient, DirectOptions, Server, Transport};

/// The deterministic test key `byte`.
pub(crate) fn keypair(byte: u8) -> Keypair {
    Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([byte; 32]))
}

/// A double with `options`, without the post rate limit unless asked.
pub(crate) async fn sogs(options: SogsOptions) -> RunningSogs {
    RunningSogs::start(options).await.unwrap()
}

/// pysogs' defaults without the rate limit.
pub(crate) fn defaults() -> SogsOptions {
    SogsOptions::default().rate_limit(false)
}

/// The double as a [`Server`].
pub(crate) fn server(info: &SogsInfo) -> Server {
    Server::new(&info.url, info.x25519).unwrap()
}

/// A direct-HTTP client of the double for key `byte`.
pub(crate) fn client(info: &SogsInfo, byte: u8) -> CommunityClient {
    let options = DirectOptions::default().with_timeout(Duration::from_secs(10));
    CommunityClient::new(server(info), keypair(byte), Transport::Direct(options)).unwrap()
}
