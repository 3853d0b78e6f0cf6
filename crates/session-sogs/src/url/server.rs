//! A community server: its canonical base URL and the X25519 key requests are signed for
//! and onion requests are encrypted to.

use std::fmt;

use session_onion::ServerDestination;

use crate::error::{Error, Result};

/// A community server. Keys here are public; `Debug` shows them.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Server {
    /// `scheme://host[:port]`, lower-case, default port dropped, no trailing slash.
    base_url: String,
    /// The server's X25519 key.
    pubkey: [u8; 32],
}

impl Server {
    /// A server at `base_url` (`http(s)://host[:port]`, a trailing `/` allowed, no path)
    /// with X25519 key `pubkey`. The URL is canonicalised as libsession does: scheme and
    /// host lower-case, the scheme's default port dropped.
    ///
    /// # Errors
    ///
    /// [`Error::Url`] for anything else.
    pub fn new(base_url: &str, pubkey: [u8; 32]) -> Result<Self> {
        let base_url = canonical_base_url(base_url.strip_suffix('/').unwrap_or(base_url))?;
        Ok(Self { base_url, pubkey })
    }

    /// The canonical base URL, `scheme://host[:port]`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The server's X25519 public key.
    pub fn pubkey(&self) -> &[u8; 32] {
        &self.pubkey
    }

    /// Whether the base URL is `https`.
    pub fn is_https(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    /// Where onion requests to this server go.
    ///
    /// # Errors
    ///
    /// [`Error::Url`] if the URL cannot be an onion destination.
    pub fn destination(&self) -> Result<ServerDestination> {
        ServerDestination::from_url(&self.base_url, self.pubkey)
            .map_err(|e| Error::Url(e.to_string()))
    }
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server")
            .field("base_url", &self.base_url)
            .field("pubkey", &hex::encode(self.pubkey))
            .finish()
    }
}

impl fmt::Display for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base_url)
    }
}

/// `scheme://host[:port]` canonicalised, from a URL with nothing after the authority.
fn canonical_base_url(url: &str) -> Result<String> {
    let bad = |why: &str| Error::Url(why.to_owned());
    let (scheme, authority) = url
        .split_once("://")
        .ok_or_else(|| bad("expected scheme://host"))?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => "80",
        "https" => "443",
        _ => return Err(bad("the scheme must be http or https")),
    };
    if authority.is_empty() || authority.contains(['/', '?', '#', '@', ' ']) {
        return Err(bad("expected scheme://host[:port] with no path"));
    }
    let authority = authority.to_ascii_lowercase();
    // An IPv6 literal keeps its colons inside brackets; the port follows the last one.
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => (host, Some(port)),
        _ => (authority.as_str(), None),
    };
    if !is_host(host) {
        return Err(bad(
            "the host must be a name, an IPv4 address or a bracketed IPv6 address",
        ));
    }
    let port = match port {
        None => None,
        Some(port) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => Some(
            port.parse::<u16>()
                .map_err(|_| bad("invalid port"))?
                .to_string(),
        ),
        Some(_) => return Err(bad("invalid port")),
    };
    match port {
        Some(port) if port != default_port => Ok(format!("{scheme}://{host}:{port}")),
        _ => Ok(format!("{scheme}://{host}")),
    }
}

/// Whether `host` (lower-cased) is a DNS name or IPv4 address (letters, digits, `.`, `-`,
/// `_`) or an IPv6 literal in brackets: anything else could not be parsed back from the
/// canonical URL, or reach a different host than it names.
fn is_host(host: &str) -> bool {
    match host
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
    {
        Some(ipv6) => {
            ipv6.contains(':')
                && ipv6
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        }
        None => {
            !host.is_empty()
                && host
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b".-_".contains(&b))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_canonical() {
        for (given, want) in [
            ("HTTPS://Example.COM:443/", "https://example.com"),
            ("http://example.com:80", "http://example.com"),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
            ("https://example.com:80", "https://example.com:80"),
            ("http://example.com:0080", "http://example.com"),
            ("http://[::1]:8080", "http://[::1]:8080"),
        ] {
            assert_eq!(Server::new(given, [0; 32]).unwrap().base_url(), want);
        }
        for bad in [
            "ftp://x",
            "example.com",
            "http://",
            "http://x/y",
            "http://x:99999",
            "http://x?y",
            "http://exa\u{1}\0:ple.com:80",
            "http://x:+80",
            "http://x:",
            "http://[zz]",
            "http://a:b:80",
        ] {
            assert!(Server::new(bad, [0; 32]).is_err(), "{bad}");
        }
    }
}
