//! Room URLs: parsing every spelling libsession accepts, printing the canonical one.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::url::pubkey::decode_server_key;
use crate::url::server::Server;

/// The longest room token pysogs allows.
const ROOM_TOKEN_MAX: usize = 64;

/// A room on a community server: `{base_url}/{room}?public_key={64 hex}`.
///
/// Parsing accepts what libsession's `parse_full_url` accepts: any case in scheme and host,
/// an explicit default port, the web viewer's `/r/` before the token, and the key as hex,
/// base64 or base32z. [`Display`](fmt::Display) prints the canonical URL.
///
/// ```
/// use session_sogs::RoomUrl;
///
/// let url: RoomUrl =
///     "HTTPS://Example.com:443/r/Lobby?public_key=ASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4mrze8"
///         .parse()?;
/// assert_eq!(url.base_url(), "https://example.com");
/// assert_eq!(url.room(), "Lobby");
/// assert_eq!(url.canonical_room(), "lobby");
/// assert_eq!(
///     url.to_string(),
///     "https://example.com/Lobby?public_key=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
/// );
/// # Ok::<(), session_sogs::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RoomUrl {
    server: Server,
    room: String,
}

impl RoomUrl {
    /// Parses a room URL.
    ///
    /// # Errors
    ///
    /// [`Error::Url`] for anything that is not a room URL.
    pub fn parse(url: &str) -> Result<Self> {
        let bad = |why: &str| Error::Url(why.to_owned());
        let url = url.trim();
        let (before_query, query) = url
            .split_once('?')
            .ok_or_else(|| bad("no ?public_key= in the URL"))?;
        let key = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("public_key="))
            .ok_or_else(|| bad("no public_key in the query"))?;
        let pubkey = decode_server_key(key)?;

        let (scheme, rest) = before_query
            .split_once("://")
            .ok_or_else(|| bad("expected scheme://host/room"))?;
        let (authority, path) = rest
            .split_once('/')
            .ok_or_else(|| bad("no room in the URL"))?;
        let path = path.strip_suffix('/').unwrap_or(path);
        let room = path.strip_prefix("r/").unwrap_or(path);
        Self::new(
            Server::new(&format!("{scheme}://{authority}"), pubkey)?,
            room,
        )
    }

    /// Room `room` on `server`.
    pub(crate) fn new(server: Server, room: &str) -> Result<Self> {
        check_room_token(room)?;
        Ok(Self {
            server,
            room: room.to_owned(),
        })
    }

    /// The server's canonical base URL.
    pub fn base_url(&self) -> &str {
        self.server.base_url()
    }

    /// The room token as written (tokens are matched case-sensitively by the server).
    pub fn room(&self) -> &str {
        &self.room
    }

    /// The room token lower-cased, for comparing URLs as libsession does.
    pub fn canonical_room(&self) -> String {
        self.room.to_ascii_lowercase()
    }

    /// The server's X25519 key.
    pub fn server_pubkey(&self) -> &[u8; 32] {
        self.server.pubkey()
    }

    /// The server.
    pub fn server(&self) -> Server {
        self.server.clone()
    }
}

impl Server {
    /// The URL of room `room` on this server.
    ///
    /// # Errors
    ///
    /// [`Error::Url`] if `room` is not a room token (`[A-Za-z0-9_-]{1,64}`).
    pub fn room_url(&self, room: &str) -> Result<RoomUrl> {
        RoomUrl::new(self.clone(), room)
    }
}

impl fmt::Display for RoomUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}?public_key={}",
            self.base_url(),
            self.room,
            hex::encode(self.server_pubkey())
        )
    }
}

impl FromStr for RoomUrl {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

/// Checks a room token: pysogs' `[\w-]{1,64}` (ASCII here: tokens go into paths unescaped).
pub(crate) fn check_room_token(room: &str) -> Result<()> {
    let valid = !room.is_empty()
        && room.len() <= ROOM_TOKEN_MAX
        && room
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if valid {
        Ok(())
    } else {
        Err(Error::Url(
            "a room token is 1 to 64 letters, digits, '_' or '-'".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn round_trips_through_display() {
        let url = RoomUrl::parse(&format!("http://127.0.0.1:8080/lobby?public_key={KEY}")).unwrap();
        assert_eq!(url.to_string().parse::<RoomUrl>().unwrap(), url);
        assert_eq!(url.server().room_url("lobby").unwrap(), url);
    }

    #[test]
    fn rejects_non_room_urls() {
        for bad in [
            format!("http://host?public_key={KEY}"),
            format!("http://host/?public_key={KEY}"),
            format!("http://host/a/b?public_key={KEY}"),
            format!("http://host/room%20x?public_key={KEY}"),
            format!("http://host/{}?public_key={KEY}", "a".repeat(65)),
            "http://host/room".to_owned(),
            "http://host/room?public_key=abc".to_owned(),
            format!("ftp://host/room?public_key={KEY}"),
        ] {
            assert!(RoomUrl::parse(&bad).is_err(), "{bad}");
        }
    }
}
