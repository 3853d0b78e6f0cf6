//! Which file server to use: its URL and the X25519 key onion requests are encrypted to.

use std::borrow::Cow;
use std::fmt;

use session_onion::ServerDestination;

use crate::files::error::FileError;

/// A file server: its base URL (`http(s)://host[:port]`) and keys. Keys here are public.
#[derive(Clone, PartialEq, Eq)]
pub struct FileServer {
    /// `scheme://host[:port]`, without a trailing slash.
    url: Cow<'static, str>,
    /// The key onion requests are encrypted to.
    x25519: [u8; 32],
    /// The key named in file URLs of non-default servers (`#p=`), if known.
    ed25519: Option<[u8; 32]>,
}

impl FileServer {
    /// Session's file server, `filev2.getsession.org`, reached as plain HTTP through the
    /// onion (keys from session-desktop's `FILE_SERVERS.DEFAULT`).
    pub const SESSION: Self = Self {
        url: Cow::Borrowed("http://filev2.getsession.org"),
        x25519: [
            0x09, 0x32, 0x47, 0x94, 0xaa, 0x9c, 0x11, 0x94, 0x81, 0x89, 0x76, 0x2d, 0x19, 0x8c,
            0x61, 0x81, 0x48, 0xe9, 0x13, 0x6a, 0xc9, 0x58, 0x20, 0x68, 0x18, 0x06, 0x61, 0x20,
            0x89, 0x27, 0xef, 0x34,
        ],
        ed25519: Some([
            0xb8, 0xee, 0xf9, 0x82, 0x14, 0x45, 0xae, 0x16, 0xe2, 0xe9, 0x7e, 0xf8, 0xaa, 0x6f,
            0xe7, 0x82, 0xfd, 0x11, 0xad, 0x52, 0x53, 0xcd, 0x67, 0x23, 0xb2, 0x81, 0x34, 0x1d,
            0xba, 0x22, 0xe3, 0x71,
        ]),
    };

    /// A server at `url` (`http(s)://host[:port]`; a path is refused) with X25519 key
    /// `x25519`.
    ///
    /// # Errors
    ///
    /// [`FileError::InvalidServer`] for a URL that is not `http(s)://host[:port]`.
    pub fn new(url: &str, x25519: [u8; 32]) -> Result<Self, FileError> {
        let url = url.trim_end_matches('/');
        ServerDestination::from_url(url, x25519)
            .map_err(|e| FileError::InvalidServer(e.to_string()))?;
        let authority = url.split_once("://").map_or("", |(_, rest)| rest);
        if authority.contains(['/', '?', '#']) {
            return Err(FileError::InvalidServer(
                "the URL must be scheme://host[:port] only".into(),
            ));
        }
        Ok(Self {
            url: Cow::Owned(url.to_owned()),
            x25519,
            ed25519: None,
        })
    }

    /// A server known by its Ed25519 key, the X25519 key derived from it (as desktop does
    /// for a test server, so the two cannot disagree).
    ///
    /// # Errors
    ///
    /// As [`FileServer::new`], and [`FileError::InvalidServer`] for a key that is not a
    /// valid Ed25519 point.
    pub fn from_ed25519(url: &str, ed25519: [u8; 32]) -> Result<Self, FileError> {
        let x25519 = session_crypto::convert::ed25519_pk_to_x25519(&ed25519)
            .map_err(|_| FileError::InvalidServer("not an Ed25519 public key".into()))?;
        Ok(Self::new(url, x25519)?.with_ed25519(ed25519))
    }

    /// The server with its Ed25519 key known, so file URLs on it carry `#p=<key>`.
    #[must_use]
    pub fn with_ed25519(mut self, ed25519: [u8; 32]) -> Self {
        self.ed25519 = Some(ed25519);
        self
    }

    /// `scheme://host[:port]`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The X25519 key.
    pub const fn x25519(&self) -> &[u8; 32] {
        &self.x25519
    }

    /// The Ed25519 key, if known.
    pub const fn ed25519(&self) -> Option<&[u8; 32]> {
        self.ed25519.as_ref()
    }

    /// Whether this is Session's own file server (whose file URLs name no key).
    pub fn is_default(&self) -> bool {
        self.x25519 == Self::SESSION.x25519
    }

    /// Where onion requests to this server go.
    ///
    /// # Errors
    ///
    /// [`FileError::InvalidServer`] if the URL does not parse (only a hand-built constant
    /// could get here).
    pub fn destination(&self) -> Result<ServerDestination, FileError> {
        ServerDestination::from_url(&self.url, self.x25519)
            .map_err(|e| FileError::InvalidServer(e.to_string()))
    }
}

impl fmt::Debug for FileServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileServer")
            .field("url", &self.url)
            .field("x25519", &hex::encode(self.x25519))
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_server_keys_agree() {
        let server = FileServer::SESSION;
        assert!(server.destination().is_ok());
        let derived = server
            .ed25519()
            .map(session_crypto::convert::ed25519_pk_to_x25519);
        assert!(matches!(derived, Some(Ok(x)) if &x == server.x25519()));
        assert!(server.is_default());
    }

    #[test]
    fn urls() {
        assert_eq!(
            FileServer::new("http://127.0.0.1:8080/", [1; 32])
                .map(|s| s.url().to_owned())
                .ok(),
            Some("http://127.0.0.1:8080".to_owned())
        );
        assert!(FileServer::new("http://host/file", [1; 32]).is_err());
        assert!(FileServer::new("ftp://host", [1; 32]).is_err());
    }
}
