//! Which Session network to join, and the seed nodes that bootstrap it.

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use crate::error::{Error, Result};

/// A seed: a JSON-RPC endpoint (`POST <url>/json_rpc`) that lists the service nodes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeedNode {
    /// Base URL, for example `https://seed1.getsession.org:4443`.
    pub url: String,
    /// The seed's certificate (DER). Required for `https` seeds, which are trusted only
    /// through it; `http` seeds (testnet) have none.
    pub cert_der: Option<Vec<u8>>,
}

/// A Session network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Network {
    /// The public network, bootstrapped from `seed{1,2,3}.getsession.org:4443`.
    Mainnet,
    /// The test network, bootstrapped from `http://seed2.getsession.org:38157`.
    Testnet,
    /// Any other network (a devnet, a local test network) with its own seeds.
    Custom {
        /// The seeds to ask.
        seeds: Vec<SeedNode>,
    },
}

/// The mainnet seeds' certificates, as desktop embeds them (`SeedNodeAPI.ts`): self-signed,
/// issued 2023-04-05 for ten years. Their SHA-256 fingerprints and SPKI hashes match the pins
/// desktop also checks (see the tests).
const MAINNET_SEEDS: [(&str, &str); 3] = [
    (
        "https://seed1.getsession.org:4443",
        include_str!("seed_certs/seed1.pem"),
    ),
    (
        "https://seed2.getsession.org:4443",
        include_str!("seed_certs/seed2.pem"),
    ),
    (
        "https://seed3.getsession.org:4443",
        include_str!("seed_certs/seed3.pem"),
    ),
];

/// The testnet seed; plain HTTP, so nothing to pin.
const TESTNET_SEED: &str = "http://seed2.getsession.org:38157";

impl Network {
    /// The network's seeds, with their pinned certificates.
    pub fn seeds(&self) -> Result<Vec<SeedNode>> {
        match self {
            Self::Mainnet => MAINNET_SEEDS
                .iter()
                .map(|(url, pem)| {
                    let der = CertificateDer::from_pem_slice(pem.as_bytes())
                        .map_err(|e| Error::Config(format!("seed certificate for {url}: {e}")))?;
                    Ok(SeedNode {
                        url: (*url).to_owned(),
                        cert_der: Some(der.as_ref().to_vec()),
                    })
                })
                .collect(),
            Self::Testnet => Ok(vec![SeedNode {
                url: TESTNET_SEED.to_owned(),
                cert_der: None,
            }]),
            Self::Custom { seeds } => Ok(seeds.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SHA-256 fingerprints from desktop's `checkServerIdentity`, without the colons.
    const FINGERPRINTS: [&str; 3] = [
        "36EA0B2535379885_51EE856E4FD20D55_011E9C8B27EAA2F3_4B8F32A0BDF04F2D",
        "C5908DD4139ACD96_AEDD1E4557659765_0809C8A5EA02AF55_6D4853D45396E0E7",
        "8A0AF2C712342F22_CE00E53C1601410E_F8D84156AEE0A980_9C32F6F7EFBE556E",
    ];

    #[test]
    fn mainnet_pins_match_desktop_fingerprints() {
        let seeds = Network::Mainnet.seeds().unwrap();
        assert_eq!(seeds.len(), 3);
        for (seed, want) in seeds.iter().zip(FINGERPRINTS) {
            let der = seed.cert_der.as_ref().unwrap();
            let digest = <sha2::Sha256 as sha2::Digest>::digest(der);
            assert_eq!(
                hex::encode_upper(digest),
                want.replace('_', ""),
                "{}",
                seed.url
            );
        }
    }

    #[test]
    fn testnet_is_plain_http() {
        let seeds = Network::Testnet.seeds().unwrap();
        assert_eq!(seeds[0].url, "http://seed2.getsession.org:38157");
        assert!(seeds[0].cert_der.is_none());
    }
}
