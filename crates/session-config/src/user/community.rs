//! Community (SOGS) addresses as the configs key them: a canonical base URL and a lower-case
//! room token.

use crate::error::{Error, Result};

/// Longest room token.
pub const ROOM_MAX_LENGTH: usize = 64;

/// The canonical form of a community base URL: lower-case scheme and host, no default port
/// (80 for http, 443 for https), no trailing slash. A path is refused.
///
/// # Errors
///
/// [`Error::InvalidValue`] without an `http`/`https` scheme or host, or with a path.
pub fn canonical_url(url: &str) -> Result<String> {
    let url = url.trim();
    let (scheme, rest) = url
        .split_once("://")
        .ok_or(Error::InvalidValue("community URL needs a scheme"))?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => ":80",
        "https" => ":443",
        _ => {
            return Err(Error::InvalidValue(
                "community URL scheme must be http or https",
            ));
        }
    };
    let host = rest.strip_suffix('/').unwrap_or(rest).to_ascii_lowercase();
    if host.is_empty() || host.contains('/') {
        return Err(Error::InvalidValue(
            "community base URL must have a host and no path",
        ));
    }
    let host = host.strip_suffix(default_port).unwrap_or(&host);
    Ok(format!("{scheme}://{host}"))
}

/// The lower-case form of a room token, which keys it.
///
/// # Errors
///
/// [`Error::InvalidValue`] unless 1..=64 characters of `[-0-9_a-zA-Z]`.
pub fn canonical_room(room: &str) -> Result<String> {
    let valid = !room.is_empty()
        && room.len() <= ROOM_MAX_LENGTH
        && room
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !valid {
        return Err(Error::InvalidValue("invalid community room token"));
    }
    Ok(room.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms() {
        assert_eq!(
            canonical_url("HTTPS://Example.ORG:443/").unwrap(),
            "https://example.org"
        );
        assert_eq!(canonical_url("http://a.b:8080").unwrap(), "http://a.b:8080");
        assert_eq!(canonical_url("http://a.b:80").unwrap(), "http://a.b");
        assert!(canonical_url("ftp://a.b").is_err());
        assert!(canonical_url("http://a.b/room").is_err());
        assert_eq!(canonical_room("SuDoKu").unwrap(), "sudoku");
        assert!(canonical_room("no spaces").is_err());
        assert!(canonical_room(&"x".repeat(65)).is_err());
    }
}
