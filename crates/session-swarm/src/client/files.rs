//! v4 requests to HTTP servers (the file server, community servers) over the client's
//! transport: through an onion path, or, in direct mode, as a plain HTTP request that shows
//! our address to the server (diagnostics only, like direct storage RPCs; http:// servers
//! only).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use session_onion::{Scheme, ServerDestination, ServerRequest, ServerResponse};

use crate::client::carrier::Carrier;
use crate::client::engine::SwarmClient;
use crate::client::retry::Penalty;
use crate::error::{Error, Result};

/// How long a direct connection to a server may take to establish.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl SwarmClient {
    /// Sends one v4 request to `server` and returns its answer, whatever status the server
    /// chose (a 404 is an answer, not an error).
    ///
    /// Over onion paths this has the storage RPCs' path handling: a path that fails is
    /// struck and the request retried on another (up to [`crate::net::OnionConfig::max_attempts`]),
    /// nodes path selection drops leave the pool, and when no path can be built the pool is
    /// refreshed and the request tried once more. The server's own answers are never
    /// retried here. `timeout` bounds each send, retries on other paths included.
    ///
    /// # Errors
    ///
    /// [`Error::NoPath`], [`Error::Onion`], [`Error::Timeout`] or [`Error::Transport`] when
    /// the server could not be reached; [`Error::OnionBuild`] when the request is too large
    /// to wrap; [`Error::Config`] for an https server in direct mode (direct requests trust
    /// no certificate authority, so they go to http:// servers only).
    pub async fn send_to_server(
        &self,
        server: &ServerDestination,
        request: &ServerRequest,
        timeout: Duration,
    ) -> Result<ServerResponse> {
        match &self.inner.carrier {
            Carrier::Onion(onion) => {
                self.ensure_pool().await?;
                let mut answer = onion.send_to_server(server, request, timeout).await;
                if matches!(answer, Err(Error::NoPath)) && onion.needs_pool_refresh() {
                    self.ensure_pool().await?;
                    answer = onion.send_to_server(server, request, timeout).await;
                }
                for dropped in onion.take_dropped_nodes() {
                    self.penalize(&dropped, Penalty::Drop(dropped));
                }
                answer
            }
            Carrier::Direct(_) => send_direct(server, request, timeout).await,
        }
    }
}

/// The request as plain HTTP(S) straight to the server.
async fn send_direct(
    server: &ServerDestination,
    request: &ServerRequest,
    timeout: Duration,
) -> Result<ServerResponse> {
    let scheme = match server.scheme() {
        Scheme::Http => "http",
        // The workspace carries no web PKI roots, and trusting any certificate would let
        // anyone on the way read the request: over HTTPS, use onion paths.
        Scheme::Https => {
            return Err(Error::Config(
                "direct mode reaches only http:// servers; use onion paths for https".into(),
            ));
        }
    };
    // reqwest needs a TLS setup even for plain HTTP; trusting no root keeps it closed.
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| Error::Config(format!("TLS: {e}")))?
    .with_root_certificates(rustls::RootCertStore::empty())
    .with_no_client_auth();
    let client = reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(CONNECT_TIMEOUT)
        .build()
        .map_err(|e| Error::Config(format!("HTTP client: {e}")))?;
    let endpoint = if request.endpoint.starts_with('/') {
        request.endpoint.clone()
    } else {
        format!("/{}", request.endpoint)
    };
    let url = format!("{scheme}://{}:{}{endpoint}", server.host(), server.port());
    let method = reqwest::Method::from_bytes(request.method.as_bytes())
        .map_err(|_| Error::InvalidRequest(format!("HTTP method {:?}", request.method)))?;
    let mut builder = client.request(method, url).timeout(timeout);
    for (name, value) in &request.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    if let Some(body) = &request.body {
        builder = builder.body(body.clone());
    }
    let limit_ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
    let failed = |e: reqwest::Error| {
        if e.is_timeout() {
            Error::Timeout { limit_ms }
        } else {
            // Without the URL: it may carry a file id.
            Error::Transport(e.without_url().to_string())
        }
    };
    let response = builder.send().await.map_err(failed)?;
    let status = response.status().as_u16();
    let headers: BTreeMap<String, String> = response
        .headers()
        .iter()
        .filter_map(|(name, value)| {
            value
                .to_str()
                .ok()
                .map(|value| (name.as_str().to_owned(), value.to_owned()))
        })
        .collect();
    let body = response.bytes().await.map_err(failed)?.to_vec();
    Ok(ServerResponse {
        status,
        headers,
        body,
    })
}
