//! The HTTP clients: one for service nodes (any certificate), one per pinned seed.

use std::time::Duration;

use crate::error::{Error, Result};
use crate::net::tls::{seed_tls_config, snode_tls_config};

/// How long a connection may take to establish, at most; the per-request deadline is
/// usually shorter and wins.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A client for service nodes: TLS without certificate checks (the onion layer
/// authenticates nodes), no proxy from the environment, no redirects.
pub(crate) fn snode_client() -> Result<reqwest::Client> {
    build(snode_tls_config()?)
}

/// A client that trusts only `pins` (DER certificates), for seeds.
pub(crate) fn pinned_client(pins: &[Vec<u8>]) -> Result<reqwest::Client> {
    build(seed_tls_config(pins)?)
}

/// The common settings.
fn build(tls: rustls::ClientConfig) -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(CONNECT_TIMEOUT)
        .build()
        .map_err(|e| Error::Config(format!("HTTP client: {e}")))
}

/// Maps a reqwest failure to the crate's error: timeouts are typed, the rest is a
/// transport failure (the message names the URL at most, never a body).
pub(crate) fn request_error(error: &reqwest::Error, limit: Duration) -> Error {
    if error.is_timeout() {
        Error::Timeout {
            limit_ms: u64::try_from(limit.as_millis()).unwrap_or(u64::MAX),
        }
    } else {
        Error::Transport(error.without_url_text())
    }
}

/// Text of a reqwest error without its URL's query (there is none in our URLs, but the
/// error's Display also includes the source chain, which is what helps).
trait WithoutUrlText {
    /// The error and its sources, joined.
    fn without_url_text(&self) -> String;
}

impl WithoutUrlText for reqwest::Error {
    fn without_url_text(&self) -> String {
        let mut text = self.to_string();
        let mut source = std::error::Error::source(self);
        while let Some(inner) = source {
            text.push_str(": ");
            text.push_str(&inner.to_string());
            source = inner.source();
        }
        text
    }
}
