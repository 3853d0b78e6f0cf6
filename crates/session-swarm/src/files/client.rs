//! The file server's raw calls through a [`SwarmClient`]'s transport: upload, download,
//! extend. The bytes go as given; encryption is the callers' (see the attachment and
//! avatar calls).

use std::time::Duration;

use session_onion::{ServerDestination, ServerRequest};
use session_protocol::attachment::padding::MAX_ATTACHMENT_SIZE;

use crate::client::SwarmClient;
use crate::files::error::FileError;
use crate::files::progress::{Phase, Progress};
use crate::files::reply::{self, ExtendedFile, UploadedFile};
use crate::files::server::FileServer;
use crate::files::url::{FileLocation, file_url};

/// How long a transfer may take, path retries included: a 10 MB body through three relays
/// takes far longer than a storage RPC.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The largest file the server takes (and an onion request carries), bytes.
pub const MAX_UPLOAD: usize = MAX_ATTACHMENT_SIZE;

/// Uploads to and downloads from one file server over a [`SwarmClient`]'s transport
/// (onion paths, unless the client is in direct mode). Cheap to clone.
#[derive(Clone, Debug)]
pub struct FileClient {
    /// The transport.
    swarm: SwarmClient,
    /// Where uploads go.
    server: FileServer,
    /// `server` as an onion destination.
    destination: ServerDestination,
    /// Per transfer.
    timeout: Duration,
}

impl FileClient {
    /// A client for `server` over `swarm`'s transport.
    ///
    /// # Errors
    ///
    /// [`FileError::InvalidServer`] if the server's URL cannot be a destination.
    pub fn new(swarm: SwarmClient, server: FileServer) -> Result<Self, FileError> {
        Ok(Self {
            destination: server.destination()?,
            swarm,
            server,
            timeout: DEFAULT_TIMEOUT,
        })
    }

    /// The client with another per-transfer timeout.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The server uploads go to.
    pub fn server(&self) -> &FileServer {
        &self.server
    }

    /// The swarm client whose transport carries the requests.
    pub fn swarm(&self) -> &SwarmClient {
        &self.swarm
    }

    /// Uploads `data` as it is (`POST /file`). Reports [`Phase::Uploading`] before and
    /// [`Phase::Uploaded`] after.
    ///
    /// # Errors
    ///
    /// [`FileError::Empty`] / [`FileError::TooLarge`] before anything is sent; the
    /// transport's errors as [`FileError::Network`]; the server's refusals as
    /// [`FileError::Status`]; [`FileError::Malformed`] for an answer without an id.
    pub async fn upload(
        &self,
        data: &[u8],
        mut progress: impl FnMut(Progress) + Send,
    ) -> Result<UploadedFile, FileError> {
        self.upload_file(data, false, &mut progress).await
    }

    /// [`FileClient::upload`], with the URL marked deterministic (`d`) if asked.
    pub(crate) async fn upload_file(
        &self,
        data: &[u8],
        deterministic: bool,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<UploadedFile, FileError> {
        if data.is_empty() {
            return Err(FileError::Empty);
        }
        if data.len() > MAX_UPLOAD {
            return Err(FileError::TooLarge {
                size: data.len(),
                max: MAX_UPLOAD,
            });
        }
        progress(Progress::new(Phase::Uploading, 0, data.len()));
        let request = ServerRequest::new("POST", "/file")
            .with_header("Content-Type", "application/octet-stream")
            .with_body(data);
        let response = self
            .swarm
            .send_to_server(&self.destination, &request, self.timeout)
            .await?;
        let (id, expires) = reply::uploaded(&reply::success(response)?)?;
        let file = UploadedFile {
            url: file_url(&self.server, &id, deterministic),
            id,
            expires,
        };
        tracing::debug!(id = %file.id, bytes = data.len(), "file uploaded");
        progress(Progress::new(Phase::Uploaded, data.len(), data.len()));
        Ok(file)
    }

    /// Downloads a file (`GET /file/<id>`) by URL or by id (an id means this client's
    /// server). A URL may name another server: Session's own, or any whose key its `#p=`
    /// fragment gives. Reports [`Phase::Downloading`] before and [`Phase::Downloaded`] after.
    ///
    /// # Errors
    ///
    /// [`FileError::InvalidUrl`]; [`FileError::NotFound`] for a 404 (not retried);
    /// [`FileError::Status`] / [`FileError::Network`] as for uploads.
    pub async fn download(
        &self,
        url_or_id: &str,
        mut progress: impl FnMut(Progress) + Send,
    ) -> Result<Vec<u8>, FileError> {
        let location = FileLocation::parse(url_or_id)?;
        self.download_from(&location, &mut progress).await
    }

    /// Downloads the file at a parsed location.
    pub(crate) async fn download_from(
        &self,
        location: &FileLocation,
        progress: &mut (dyn FnMut(Progress) + Send),
    ) -> Result<Vec<u8>, FileError> {
        let destination = self.destination_for(location)?;
        progress(Progress::new(Phase::Downloading, 0, 0));
        let request = ServerRequest::new("GET", format!("/file/{}", location.id));
        let response = self
            .swarm
            .send_to_server(&destination, &request, self.timeout)
            .await?;
        let data = reply::success(response)?;
        progress(Progress::new(Phase::Downloaded, data.len(), data.len()));
        Ok(data)
    }

    /// Keeps a file for the server's full lifetime again (`POST /file/<id>/extend`), as the
    /// clients do daily for avatars. The real server extends only 44-character ids.
    ///
    /// # Errors
    ///
    /// As [`FileClient::download`].
    pub async fn extend(&self, url_or_id: &str) -> Result<ExtendedFile, FileError> {
        let location = FileLocation::parse(url_or_id)?;
        let destination = self.destination_for(&location)?;
        let request = ServerRequest::new("POST", format!("/file/{}/extend", location.id));
        let response = self
            .swarm
            .send_to_server(&destination, &request, self.timeout)
            .await?;
        reply::extended(&reply::success(response)?)
    }

    /// The server a location names: ours for a bare id or our URL, Session's for its URL,
    /// else the one whose key the URL carries.
    fn destination_for(&self, location: &FileLocation) -> Result<ServerDestination, FileError> {
        let Some(url) = location.server_url.as_deref() else {
            return Ok(self.destination.clone());
        };
        if url == self.server.url() {
            return Ok(self.destination.clone());
        }
        if url == FileServer::SESSION.url() {
            return FileServer::SESSION.destination();
        }
        match location.server_ed25519 {
            Some(ed25519) => FileServer::from_ed25519(url, ed25519)?.destination(),
            None => Err(FileError::InvalidUrl(
                "the URL names an unknown server and no key for it".into(),
            )),
        }
    }
}
