//! Where an onion goes: service nodes (as hops or as the destination) and servers.

use session_crypto::ephemeral::PeerKey;

use crate::error::{Error, Result};

/// A service node as an onion hop or destination: the Ed25519 key that names it in routing
/// JSON and the X25519 key its layer is encrypted to (decoded once, since paths are reused).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    ed25519: [u8; 32],
    x25519: PeerKey,
}

impl Hop {
    /// A node from its two public keys (the node list gives both).
    pub fn new(ed25519: [u8; 32], x25519: [u8; 32]) -> Self {
        Self {
            ed25519,
            x25519: PeerKey::new(x25519),
        }
    }

    /// The node's Ed25519 key.
    pub const fn ed25519(&self) -> &[u8; 32] {
        &self.ed25519
    }

    /// The node's X25519 key.
    pub const fn x25519(&self) -> &[u8; 32] {
        self.x25519.as_bytes()
    }

    pub(crate) const fn peer_key(&self) -> &PeerKey {
        &self.x25519
    }
}

/// HTTP or HTTPS, as the last hop reaches a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// Plain HTTP (default port 80).
    Http,
    /// HTTPS (default port 443).
    Https,
}

impl Scheme {
    /// `"http"` or `"https"`, as the routing JSON's `protocol`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::Https => "https",
        }
    }

    /// The port a URL without one means.
    pub const fn default_port(self) -> u16 {
        match self {
            Self::Http => 80,
            Self::Https => 443,
        }
    }
}

/// A server reached through the onion (a community server, the file server): the last hop
/// POSTs to `scheme://host:port/oxen/v4/lsrpc`, and the request is encrypted to `x25519`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerDestination {
    host: String,
    port: u16,
    scheme: Scheme,
    x25519: PeerKey,
}

impl ServerDestination {
    /// A server from its parts.
    pub fn new(scheme: Scheme, host: impl Into<String>, port: u16, x25519: [u8; 32]) -> Self {
        Self {
            host: host.into(),
            port,
            scheme,
            x25519: PeerKey::new(x25519),
        }
    }

    /// A server from `http(s)://host[:port][/...]` (any path is ignored: the onion always
    /// targets the v4 endpoint).
    pub fn from_url(url: &str, x25519: [u8; 32]) -> Result<Self> {
        let (scheme, rest) = if let Some(rest) = url.strip_prefix("https://") {
            (Scheme::Https, rest)
        } else if let Some(rest) = url.strip_prefix("http://") {
            (Scheme::Http, rest)
        } else {
            return Err(Error::Url("expected an http:// or https:// URL"));
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.contains('@') {
            return Err(Error::Url("user information is not supported"));
        }
        // An IPv6 literal keeps its colons inside brackets.
        let port_separator = match authority.rfind(']') {
            Some(bracket) => authority[bracket..].find(':').map(|i| bracket + i),
            None => authority.rfind(':'),
        };
        let (host, port) = match port_separator {
            Some(colon) => (
                &authority[..colon],
                authority[colon + 1..]
                    .parse::<u16>()
                    .map_err(|_| Error::Url("port is not a number in 0..=65535"))?,
            ),
            None => (authority, scheme.default_port()),
        };
        if host.is_empty()
            || !host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._[]:".contains(&b))
        {
            return Err(Error::Url(
                "host is empty or has characters a host cannot have",
            ));
        }
        Ok(Self::new(scheme, host, port, x25519))
    }

    /// The host name or address.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The port.
    pub const fn port(&self) -> u16 {
        self.port
    }

    /// HTTP or HTTPS.
    pub const fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The server's X25519 key.
    pub const fn x25519(&self) -> &[u8; 32] {
        self.x25519.as_bytes()
    }

    pub(crate) const fn peer_key(&self) -> &PeerKey {
        &self.x25519
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_server_urls() {
        let server = ServerDestination::from_url("https://open.getsession.org", [1; 32]).unwrap();
        assert_eq!(
            (server.host(), server.port(), server.scheme()),
            ("open.getsession.org", 443, Scheme::Https)
        );
        let server =
            ServerDestination::from_url("http://127.0.0.1:8080/room?x=1", [1; 32]).unwrap();
        assert_eq!(
            (server.host(), server.port(), server.scheme()),
            ("127.0.0.1", 8080, Scheme::Http)
        );
        let server = ServerDestination::from_url("http://[::1]:81", [1; 32]).unwrap();
        assert_eq!((server.host(), server.port()), ("[::1]", 81));
        for bad in [
            "ftp://x",
            "https://",
            "https://a b",
            "http://h:99999",
            "https://u@h",
        ] {
            assert!(ServerDestination::from_url(bad, [1; 32]).is_err(), "{bad}");
        }
    }
}
