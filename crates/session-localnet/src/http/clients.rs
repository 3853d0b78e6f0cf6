//! The HTTP clients a node sends onions on with: one to the next node of a path (any
//! certificate accepted, as nodes' are unverifiable), one to the servers a final hop
//! proxies to (verification on, as the real nodes' libcurl has it, against the roots the
//! test trusts — there are no public CAs on loopback). Made once per network and shared.

use std::sync::Arc;

use rustls::pki_types::CertificateDer;

use super::insecure::accept_any_config;
use super::reply::SERVER_HEADER;
use crate::error::{Error, Result};

/// The relay and proxy clients.
#[derive(Debug, Clone)]
pub(crate) struct Clients {
    relay: reqwest::Client,
    proxy: reqwest::Client,
}

fn tls_error(error: impl std::fmt::Display) -> Error {
    Error::Tls(error.to_string())
}

impl Clients {
    /// Clients whose proxy side trusts `proxy_roots` (the certificates of HTTPS servers
    /// that onions may be proxied to; plain-HTTP servers need none).
    pub(crate) fn new(proxy_roots: &[CertificateDer<'static>]) -> Result<Self> {
        let relay = reqwest::Client::builder()
            .tls_backend_preconfigured(accept_any_config().map_err(tls_error)?)
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(tls_error)?;

        let mut roots = rustls::RootCertStore::empty();
        for root in proxy_roots {
            roots.add(root.clone()).map_err(tls_error)?;
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let proxy_tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(tls_error)?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let proxy = reqwest::Client::builder()
            .tls_backend_preconfigured(proxy_tls)
            .no_proxy()
            // libcurl as the node runs it: no redirects, its own user agent.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(SERVER_HEADER)
            .build()
            .map_err(tls_error)?;
        Ok(Self { relay, proxy })
    }

    /// The client for the next node of a path.
    pub(crate) const fn relay(&self) -> &reqwest::Client {
        &self.relay
    }

    /// The client for servers a final hop proxies to.
    pub(crate) const fn proxy(&self) -> &reqwest::Client {
        &self.proxy
    }
}
