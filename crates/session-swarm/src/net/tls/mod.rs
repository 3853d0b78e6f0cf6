//! The two TLS client configurations: service nodes (any certificate) and seeds (pinned).

mod any_cert;
mod handshake;
mod pinned;

use std::sync::Arc;

use rustls::ClientConfig;
use rustls::pki_types::CertificateDer;

use crate::error::{Error, Result};

/// The ring provider: the workspace's only crypto backend (no aws-lc-rs).
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// TLS for service nodes: any certificate is accepted (snode certificates are self-signed
/// and unrelated to the node's identity), handshake signatures are verified.
pub fn snode_tls_config() -> Result<ClientConfig> {
    let provider = provider();
    Ok(ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("TLS: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(any_cert::AnyCertificate::new(provider)))
        .with_no_client_auth())
}

/// TLS for seed nodes: the server must present exactly one of `pins` (DER), for the host
/// name dialled.
pub fn seed_tls_config(pins: &[Vec<u8>]) -> Result<ClientConfig> {
    if pins.is_empty() {
        return Err(Error::Config(
            "a seed TLS config needs a pinned certificate".into(),
        ));
    }
    let pins = pins
        .iter()
        .map(|der| CertificateDer::from(der.clone()))
        .collect();
    let provider = provider();
    Ok(ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("TLS: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(pinned::PinnedCertificates::new(pins, provider)))
        .with_no_client_auth())
}
