//! Joining the network that `send` and `receive` talk to: the seed from the command line,
//! its pinned certificate, an account and a store, all through `session::Client`; and the
//! bare swarm client whose onion paths carry community requests.

use std::path::Path;
use std::time::Duration;

use base64::Engine as _;
use session::swarm::client::{ClientOptions, SwarmClient};
use session::swarm::net::{Network, SeedConfig, SeedNode};
use session::{Client, Storage};
use tokio::runtime::Runtime;

use crate::cli::{NetworkArgs, SecretSource};
use crate::error::CliError;

/// The PEM armour around a certificate.
const PEM_BEGIN: &str = "-----BEGIN CERTIFICATE-----";
const PEM_END: &str = "-----END CERTIFICATE-----";

/// The runtime the network commands run on.
pub(crate) fn runtime() -> Result<Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| CliError::system(format!("cannot start the runtime: {error}")))
}

/// Connects `source`'s account to the network behind `network.seed_url`, remembering
/// deliveries in the SQLite file `store` (in memory without one).
pub(crate) async fn connect(
    network: &NetworkArgs,
    source: &SecretSource,
    store: Option<&Path>,
) -> Result<Client, CliError> {
    let seed = source.seed()?;
    let cert_der = match &network.seed_cert {
        Some(path) => Some(read_pem_certificate(path)?),
        None => None,
    };
    let seeds = vec![SeedNode {
        url: network.seed_url.trim().to_owned(),
        cert_der,
    }];
    let storage = match store {
        Some(path) => Storage::Sqlite(path.to_path_buf()),
        None => Storage::Memory,
    };
    Ok(Client::builder()
        .network(Network::Custom { seeds })
        .client_options(client_options(&network.seed_url))
        .seed(&seed)
        .store(storage)
        .connect()
        .await?)
}

/// A swarm client on the network behind `seed_url` (its certificate pinned from the PEM
/// file `seed_cert`), for what travels through onion paths without an account of its own
/// on the swarms (community requests).
pub(crate) async fn swarm_client(
    seed_url: &str,
    seed_cert: Option<&Path>,
) -> Result<SwarmClient, CliError> {
    let cert_der = match seed_cert {
        Some(path) => Some(read_pem_certificate(path)?),
        None => None,
    };
    let seeds = vec![SeedNode {
        url: seed_url.trim().to_owned(),
        cert_der,
    }];
    SwarmClient::connect(Network::Custom { seeds }, client_options(seed_url))
        .await
        .map_err(|error| session::Error::from(error).into())
}

/// Onion transport always. A seed on a loopback address is a local network whose nodes
/// all listen on 127.0.0.1: paths normally take each hop from a different /24 (so that one
/// operator is unlikely to hold a whole path), which can never hold there, so the rule is
/// lifted for it, and only for it. Such a network answers at once, so one seed round is
/// enough.
fn client_options(seed_url: &str) -> ClientOptions {
    let mut options = ClientOptions::default();
    if is_loopback(seed_url) {
        options.onion.ignore_subnets = true;
        options.seed = SeedConfig::once(Duration::from_secs(5));
    }
    options
}

/// Whether the URL's host is a loopback address.
fn is_loopback(url: &str) -> bool {
    let rest = url.trim();
    let rest = rest.split_once("://").map_or(rest, |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or(rest);
    let host = match authority.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or(bracketed),
        None => authority
            .rsplit_once(':')
            .map_or(authority, |(host, _)| host),
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The DER bytes of the first certificate in the PEM file at `path`.
fn read_pem_certificate(path: &Path) -> Result<Vec<u8>, CliError> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        CliError::system(format!(
            "cannot read --seed-cert {}: {error}",
            path.display()
        ))
    })?;
    pem_to_der(&text)
        .ok_or_else(|| CliError::input("--seed-cert is not a PEM certificate".to_owned()))
}

/// Decodes the first `CERTIFICATE` block of `text`.
fn pem_to_der(text: &str) -> Option<Vec<u8>> {
    let (_, after) = text.split_once(PEM_BEGIN)?;
    let (body, _) = after.split_once(PEM_END)?;
    let base64: String = body.split_whitespace().collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(base64)
        .ok()?;
    (!der.is_empty()).then_some(der)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for url in [
            "https://127.0.0.1:4443",
            "http://127.0.0.1",
            "https://localhost:1/json_rpc",
            "https://[::1]:8080",
            "127.0.0.2:80",
        ] {
            assert!(is_loopback(url), "{url}");
        }
        for url in [
            "https://seed1.getsession.org:4443",
            "http://10.0.0.1:80",
            "https://[2001:db8::1]:1",
        ] {
            assert!(!is_loopback(url), "{url}");
        }
    }

    #[test]
    fn pem_certificates() {
        let pem = "junk\n-----BEGIN CERTIFICATE-----\nAQID\nBA==\n-----END CERTIFICATE-----\n";
        assert_eq!(pem_to_der(pem), Some(vec![1, 2, 3, 4]));
        assert_eq!(pem_to_der("AQID"), None);
        assert_eq!(
            pem_to_der("-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----"),
            None
        );
    }
}
