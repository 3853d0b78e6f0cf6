//! How requests reach the server: onion v4 through a [`SwarmClient`]'s paths, or direct
//! HTTP(S) (the server sees our address). Both carry the same signed request.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use session_onion::{ServerDestination, ServerRequest};
use session_swarm::client::SwarmClient;

use crate::error::{Error, Result};
use crate::response::Response;
use crate::url::Server;

/// How long one request may take by default (a file through three relays is slow).
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Settings of direct HTTP(S).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct DirectOptions {
    /// Root certificates (DER) trusted besides the web PKI roots: for a server with a
    /// private CA or a self-signed certificate.
    pub extra_roots_der: Vec<Vec<u8>>,
    /// Per request.
    pub timeout: Duration,
}

impl Default for DirectOptions {
    fn default() -> Self {
        Self {
            extra_roots_der: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
        }
    }
}

impl DirectOptions {
    /// Also trust `der` as a root.
    #[must_use]
    pub fn with_root(mut self, der: Vec<u8>) -> Self {
        self.extra_roots_der.push(der);
        self
    }

    /// Another timeout.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// The way in.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Transport {
    /// Onion requests (v4) through the swarm client's paths; signatures use its
    /// network-adjusted clock. The default of the apps.
    Onion(SwarmClient),
    /// Plain HTTP(S) to the server; signatures use the system clock.
    Direct(DirectOptions),
}

/// A transport, set up for one server.
#[derive(Clone)]
#[expect(
    clippy::large_enum_variant,
    reason = "one per client, built once and never moved in a loop"
)]
pub(crate) enum Carrier {
    Onion {
        swarm: SwarmClient,
        destination: ServerDestination,
        timeout: Duration,
    },
    Direct {
        http: reqwest::Client,
        base_url: String,
        timeout: Duration,
    },
}

impl core::fmt::Debug for Carrier {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Onion { .. } => "Onion",
            Self::Direct { .. } => "Direct",
        })
    }
}

impl Carrier {
    pub(crate) fn new(server: &Server, transport: Transport) -> Result<Self> {
        match transport {
            Transport::Onion(swarm) => Ok(Self::Onion {
                swarm,
                destination: server.destination()?,
                timeout: DEFAULT_TIMEOUT,
            }),
            Transport::Direct(options) => Ok(Self::Direct {
                http: http_client(&options)?,
                base_url: server.base_url().to_owned(),
                timeout: options.timeout,
            }),
        }
    }

    /// Unix seconds for `X-SOGS-Timestamp`.
    pub(crate) fn now_s(&self) -> u64 {
        match self {
            Self::Onion { swarm, .. } => swarm.now_ms() / 1000,
            Self::Direct { .. } => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        }
    }

    /// Unix milliseconds, for message timestamps.
    pub(crate) fn now_ms(&self) -> u64 {
        match self {
            Self::Onion { swarm, .. } => swarm.now_ms(),
            Self::Direct { .. } => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
        }
    }

    pub(crate) async fn send(&self, request: &ServerRequest) -> Result<Response> {
        match self {
            Self::Onion {
                swarm,
                destination,
                timeout,
            } => Ok(swarm
                .send_to_server(destination, request, *timeout)
                .await?
                .into()),
            Self::Direct {
                http,
                base_url,
                timeout,
            } => send_direct(http, base_url, request, *timeout).await,
        }
    }
}

/// reqwest with rustls (ring), trusting the web PKI roots and the caller's.
fn http_client(options: &DirectOptions) -> Result<reqwest::Client> {
    let mut roots = rustls::RootCertStore::empty();
    roots.add_parsable_certificates(webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter().cloned());
    for der in &options.extra_roots_der {
        roots
            .add(rustls::pki_types::CertificateDer::from(der.clone()))
            .map_err(|e| Error::Http(format!("extra root certificate: {e}")))?;
    }
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| Error::Http(format!("TLS: {e}")))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| Error::Http(format!("HTTP client: {e}")))
}

async fn send_direct(
    http: &reqwest::Client,
    base_url: &str,
    request: &ServerRequest,
    timeout: Duration,
) -> Result<Response> {
    let method = reqwest::Method::from_bytes(request.method.as_bytes())
        .map_err(|_| Error::InvalidRequest("HTTP method".into()))?;
    let mut builder = http
        .request(method, format!("{base_url}{}", request.endpoint))
        .timeout(timeout);
    for (name, value) in &request.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    if let Some(body) = &request.body {
        builder = builder.body(body.clone());
    }
    // Without the URL: it may carry ids.
    let failed = |e: reqwest::Error| Error::Http(e.without_url().to_string());
    let response = builder.send().await.map_err(failed)?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .filter_map(|(name, value)| {
            value
                .to_str()
                .ok()
                .map(|v| (name.as_str().to_ascii_lowercase(), v.to_owned()))
        })
        .collect();
    let body = response.bytes().await.map_err(failed)?.to_vec();
    Ok(Response {
        status,
        headers,
        body,
    })
}
