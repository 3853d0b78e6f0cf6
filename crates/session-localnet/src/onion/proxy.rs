//! A final hop's request to a server (`"host"` in its routing JSON): the layer's whole
//! plaintext POSTed to `protocol://host[:port]target`, the server's answer returned as it
//! is. The real node uses libcurl; failures are answered with curl's wording (502, or 504
//! for a timeout).

use std::time::Instant;

use bytes::Bytes;
use hyper::Response;
use hyper::header::{CONTENT_TYPE, HeaderName};
use session_onion::Scheme;

use crate::http::{Clients, text_reply};

/// Where to send the payload.
#[derive(Debug)]
pub(crate) struct ProxyRequest {
    /// Host name or address.
    pub(crate) host: String,
    /// Port.
    pub(crate) port: u16,
    /// HTTP or HTTPS.
    pub(crate) protocol: Scheme,
    /// The path (already checked by `is_allowed_target`).
    pub(crate) target: String,
    /// The bytes to POST.
    pub(crate) payload: Vec<u8>,
}

/// The URL the real node builds: the port only when it is not the scheme's default.
pub(crate) fn proxy_url(request: &ProxyRequest) -> String {
    let scheme = request.protocol.as_str();
    let mut url = format!("{scheme}://{}", request.host);
    if request.port != request.protocol.default_port() {
        url.push_str(&format!(":{}", request.port));
    }
    if !request.target.starts_with('/') {
        url.push('/');
    }
    url.push_str(&request.target);
    url
}

/// Headers of the server's answer that describe its own connection, not the body.
fn is_hop_header(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "connection" | "keep-alive" | "transfer-encoding" | "content-length" | "server" | "upgrade"
    )
}

/// POSTs the payload and returns the server's status, headers and body, or a curl-like
/// error.
pub(crate) async fn proxy(
    clients: &Clients,
    timeout: std::time::Duration,
    mut request: ProxyRequest,
) -> Response<Bytes> {
    let url = proxy_url(&request);
    let payload = std::mem::take(&mut request.payload);
    let Ok(parsed) = reqwest::Url::parse(&url) else {
        return text_reply(502, "URL using bad/illegal format or missing URL");
    };
    let started = Instant::now();
    let sent = clients
        .proxy()
        .post(parsed)
        .header(CONTENT_TYPE, "application/octet-stream")
        .timeout(timeout)
        .body(payload)
        .send()
        .await;
    let response = match sent {
        Ok(response) => response,
        Err(error) => return curl_error(&error, &request, started),
    };
    let status = response.status();
    let headers = response.headers().clone();
    let body = match response.bytes().await {
        Ok(body) => body,
        Err(error) => return curl_error(&error, &request, started),
    };
    let mut reply = Response::new(body);
    *reply.status_mut() = status;
    for (name, value) in &headers {
        if !is_hop_header(name) {
            reply.headers_mut().append(name.clone(), value.clone());
        }
    }
    if !reply.headers().contains_key(CONTENT_TYPE) {
        reply.headers_mut().insert(
            CONTENT_TYPE,
            hyper::header::HeaderValue::from_static("text/plain"),
        );
    }
    reply
}

/// libcurl's message for what went wrong, with 504 for a timeout and 502 otherwise.
fn curl_error(error: &reqwest::Error, request: &ProxyRequest, started: Instant) -> Response<Bytes> {
    let elapsed_ms = started.elapsed().as_millis();
    tracing::debug!(
        timeout = error.is_timeout(),
        connect = error.is_connect(),
        "onion proxy request failed"
    );
    if error.is_timeout() {
        return text_reply(
            504,
            format!("Operation timed out after {elapsed_ms} milliseconds with 0 bytes received"),
        );
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(cause) = source {
        if let Some(tls) = cause.downcast_ref::<rustls::Error>() {
            let message = match tls {
                rustls::Error::InvalidCertificate(_) => {
                    "SSL certificate problem: unable to get local issuer certificate"
                }
                _ => "SSL connect error",
            };
            return text_reply(502, message);
        }
        if cause.to_string().contains("dns error") {
            return text_reply(502, format!("Could not resolve host: {}", request.host));
        }
        source = cause.source();
    }
    if error.is_connect() {
        return text_reply(
            502,
            format!(
                "Failed to connect to {} port {} after {elapsed_ms} ms: Couldn't connect to server",
                request.host, request.port
            ),
        );
    }
    text_reply(502, "Failure when receiving data from the peer")
}
