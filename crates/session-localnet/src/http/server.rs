//! A generic HTTP/1.1 listener, with or without TLS: accepts connections, reads each request
//! body under the size limit, and hands complete requests to a [`Handler`].
//!
//! The accept loop owns every connection task, so stopping it (or dropping the
//! [`ServerTask`]) closes the listener and all open connections at once, as a node that is
//! switched off.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{CONNECTION, CONTENT_LENGTH, HeaderValue};
use hyper::http::request::Parts;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;

use super::body::{BodyError, collect_limited};
use super::reply::text_reply;

/// The largest request body accepted (the storage server's `MAX_REQUEST_BODY_SIZE`).
pub(crate) const MAX_BODY_SIZE: usize = 10 * 1024 * 1024;

/// How long a client may take to finish its TLS handshake before the connection is closed.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// What a handler decides from a request's head, before its body is read.
#[derive(Debug)]
pub(crate) enum Early {
    /// Read the body and call [`Handler::handle`].
    Continue,
    /// Answer now; the body is not read.
    Answer(Response<Bytes>),
    /// Close the connection without answering.
    Close,
}

/// Serves requests on a listener.
///
/// A handler that only needs whole requests implements [`Handler::handle`]:
///
/// ```text
/// impl Handler for FileServer {
///     async fn handle(&self, request: Request<Bytes>, _peer: SocketAddr) -> Option<Response<Bytes>> {
///         Some(FileServer::handle(self, request).await)
///     }
/// }
/// ```
pub(crate) trait Handler: Send + Sync + 'static {
    /// Looks at the head of a request before its body is read: the storage server answers
    /// unknown routes, pings and rate-limited clients without reading the body, and checks
    /// the size limit only for requests it will read.
    fn early(&self, head: &Parts, peer: SocketAddr) -> impl Future<Output = Early> + Send {
        let _ = (head, peer);
        async { Early::Continue }
    }

    /// Answers a complete request; `None` closes the connection without an answer.
    fn handle(
        &self,
        request: Request<Bytes>,
        peer: SocketAddr,
    ) -> impl Future<Output = Option<Response<Bytes>>> + Send;

    /// The answer to a body over [`MAX_BODY_SIZE`].
    fn too_large(&self) -> Response<Bytes> {
        text_reply(413, "Request body too large")
    }
}

/// A running listener. Dropping it, or [`ServerTask::stop`], closes the listener and every
/// connection it accepted.
#[derive(Debug)]
pub(crate) struct ServerTask {
    accept: Option<JoinHandle<()>>,
}

impl ServerTask {
    /// Closes the listener and all connections, and returns once they are closed (so the
    /// port can be bound again).
    pub(crate) async fn stop(mut self) {
        if let Some(accept) = self.accept.take() {
            accept.abort();
            // A cancelled task reports `JoinError::Cancelled`; that is the expected outcome.
            let _ = accept.await;
        }
    }
}

impl Drop for ServerTask {
    fn drop(&mut self) {
        if let Some(accept) = &self.accept {
            accept.abort();
        }
    }
}

/// Serves `handler` on `listener`, over TLS when `tls` is given. Must be called inside a
/// Tokio runtime.
pub(crate) fn serve<H: Handler>(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    handler: Arc<H>,
) -> ServerTask {
    let accept = tokio::spawn(accept_loop(listener, tls, handler));
    ServerTask {
        accept: Some(accept),
    }
}

async fn accept_loop<H: Handler>(listener: TcpListener, tls: Option<TlsAcceptor>, handler: Arc<H>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    connections.spawn(connection(stream, peer, tls.clone(), handler.clone()));
                }
                Err(error) => {
                    // Out of descriptors and the like: wait a little instead of spinning.
                    tracing::debug!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            // Reap finished connections so the set does not grow without bound.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn connection<H: Handler>(
    stream: TcpStream,
    peer: SocketAddr,
    tls: Option<TlsAcceptor>,
    handler: Arc<H>,
) {
    // Responses are small and often follow each other on one connection.
    let _ = stream.set_nodelay(true);
    match tls {
        None => serve_http1(stream, peer, handler).await,
        Some(acceptor) => {
            match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                Ok(Ok(stream)) => serve_http1(stream, peer, handler).await,
                Ok(Err(error)) => tracing::debug!(%peer, %error, "TLS handshake failed"),
                Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
            }
        }
    }
}

/// The error a service returns to make hyper close the connection without an answer.
#[derive(Debug)]
struct CloseWithoutAnswer;

impl std::fmt::Display for CloseWithoutAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("request dropped without an answer")
    }
}

impl std::error::Error for CloseWithoutAnswer {}

async fn serve_http1<S, H>(stream: S, peer: SocketAddr, handler: Arc<H>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    H: Handler,
{
    let service = hyper::service::service_fn(move |request: Request<Incoming>| {
        let handler = handler.clone();
        async move {
            match answer(handler.as_ref(), request, peer).await {
                Some(response) => Ok::<_, CloseWithoutAnswer>(response.map(Full::new)),
                None => Err(CloseWithoutAnswer),
            }
        }
    });
    let result = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .keep_alive(true)
        .serve_connection(TokioIo::new(stream), service)
        .await;
    if let Err(error) = result {
        tracing::debug!(%peer, %error, "connection ended");
    }
}

/// One request, from head to answer; `None` to close without answering.
async fn answer<H: Handler>(
    handler: &H,
    request: Request<Incoming>,
    peer: SocketAddr,
) -> Option<Response<Bytes>> {
    let (head, body) = request.into_parts();
    match handler.early(&head, peer).await {
        Early::Continue => {}
        Early::Answer(response) => return Some(response),
        Early::Close => return None,
    }
    if let Some(length) = head.headers.get(CONTENT_LENGTH) {
        let length = length
            .to_str()
            .ok()
            .and_then(|text| text.parse::<u64>().ok());
        match length {
            None => return Some(closing(text_reply(400, "invalid Content-Length"))),
            Some(length) if length > MAX_BODY_SIZE as u64 => {
                return Some(closing(handler.too_large()));
            }
            Some(_) => {}
        }
    }
    let body = match collect_limited(body, MAX_BODY_SIZE).await {
        Ok(body) => body,
        Err(BodyError::TooLarge) => return Some(closing(handler.too_large())),
        Err(BodyError::Broken) => return None,
    };
    handler.handle(Request::from_parts(head, body), peer).await
}

/// Marks `response` as the last on its connection (the rest of the body is not read).
fn closing(mut response: Response<Bytes>) -> Response<Bytes> {
    response
        .headers_mut()
        .insert(CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Lets a plain function serve as a handler (tests, small servers).
impl<F, Fut> Handler for F
where
    F: Fn(Request<Bytes>, SocketAddr) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Option<Response<Bytes>>> + Send,
{
    fn handle(
        &self,
        request: Request<Bytes>,
        peer: SocketAddr,
    ) -> impl Future<Output = Option<Response<Bytes>>> + Send {
        self(request, peer)
    }
}
