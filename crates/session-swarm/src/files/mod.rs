//! Files on a file server (Session's `filev2`, or any like it), reached with v4 requests
//! through the [`SwarmClient`](crate::client::SwarmClient)'s onion paths: raw uploads,
//! downloads and expiry extensions, encrypted attachments with their `AttachmentPointer`,
//! and profile pictures.
//!
//! ```no_run
//! use session_protocol::attachment::Padding;
//! use session_swarm::client::{ClientOptions, SwarmClient};
//! use session_swarm::files::{FileClient, FileServer, progress};
//! use session_swarm::net::Network;
//!
//! # async fn demo() -> Result<(), session_swarm::files::FileError> {
//! let swarm = SwarmClient::connect(Network::Mainnet, ClientOptions::default()).await?;
//! let files = FileClient::new(swarm, FileServer::SESSION)?;
//! let sent = files
//!     .upload_attachment(b"holiday photo", Some("image/jpeg"), Padding::Desktop, progress::ignore)
//!     .await?;
//! // `sent.pointer` goes into the message; the recipient does:
//! let photo = files
//!     .download_attachment(&sent.pointer, |p| println!("{:?} {}/{}", p.phase, p.done, p.total))
//!     .await?;
//! assert_eq!(photo, b"holiday photo");
//! # Ok(())
//! # }
//! ```
//!
//! Progress is reported per phase (encrypting, uploading, uploaded, downloading,
//! downloaded, decrypting, decrypted), not per byte: an onion request moves its whole body
//! at once.

mod attachment;
mod avatar;
mod client;
mod error;
pub mod progress;
pub(crate) mod reply;
mod server;
mod url;

pub use attachment::UploadedAttachment;
pub use client::{DEFAULT_TIMEOUT, FileClient, MAX_UPLOAD};
pub use error::FileError;
pub use progress::{Phase, Progress};
pub use reply::{ExtendedFile, UploadedFile};
pub use server::FileServer;
pub use url::{FileLocation, file_url, legacy_id};
