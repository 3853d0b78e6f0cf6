//! File URLs as the clients write them: `http://filev2.getsession.org/file/<id>`, with an
//! optional fragment `#p=<server Ed25519 hex>&d` (`p` only for non-default servers, `d`
//! for deterministic encryption). Sans-IO.

use crate::files::error::FileError;
use crate::files::server::FileServer;

/// The longest file id accepted (real ids are 44 characters, legacy ones short numbers).
const MAX_ID_LEN: usize = 128;

/// A file URL (or bare id), taken apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileLocation {
    /// `scheme://host[:port]`, or `None` for a bare id (meaning the client's own server).
    pub server_url: Option<String>,
    /// The file id.
    pub id: String,
    /// The server's Ed25519 key from the fragment's `p`, if any.
    pub server_ed25519: Option<[u8; 32]>,
    /// The fragment's `d`: the file uses deterministic encryption.
    pub deterministic: bool,
}

impl FileLocation {
    /// Reads a file URL (`http(s)://host[:port]/file/<id>[#fragment]`) or a bare id.
    ///
    /// # Errors
    ///
    /// [`FileError::InvalidUrl`] when it is neither, or the id has characters ids never
    /// have (so it cannot reach another endpoint), or `p` is not 32 bytes of hex.
    pub fn parse(url_or_id: &str) -> Result<Self, FileError> {
        let (without_fragment, fragment) = match url_or_id.split_once('#') {
            Some((rest, fragment)) => (rest, Some(fragment)),
            None => (url_or_id, None),
        };
        let (server_url, id) = match without_fragment.split_once("://") {
            None => (None, without_fragment),
            Some((scheme, rest)) => {
                if scheme != "http" && scheme != "https" {
                    return Err(FileError::InvalidUrl("expected http or https".into()));
                }
                let (authority, path) = rest
                    .split_once('/')
                    .ok_or_else(|| FileError::InvalidUrl("no path".into()))?;
                let path = path.split('?').next().unwrap_or_default();
                let id = path
                    .strip_prefix("file/")
                    .ok_or_else(|| FileError::InvalidUrl("the path is not /file/<id>".into()))?;
                if authority.is_empty() {
                    return Err(FileError::InvalidUrl("no host".into()));
                }
                (Some(format!("{scheme}://{authority}")), id)
            }
        };
        if !is_file_id(id) {
            return Err(FileError::InvalidUrl("not a file id".into()));
        }
        let mut location = Self {
            server_url,
            id: id.to_owned(),
            server_ed25519: None,
            deterministic: false,
        };
        for item in fragment.unwrap_or_default().split('&') {
            if item == "d" {
                location.deterministic = true;
            } else if let Some(key) = item.strip_prefix("p=") {
                let key = hex::decode(key)
                    .ok()
                    .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
                    .ok_or_else(|| FileError::InvalidUrl("p is not a 32-byte hex key".into()))?;
                location.server_ed25519 = Some(key);
            }
        }
        Ok(location)
    }
}

/// Whether `id` looks like a file id: URL-safe base64 or digits, nothing that could walk
/// to another endpoint.
pub(crate) fn is_file_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The URL of file `id` on `server`, as the clients write it: `p` names the server's key
/// unless it is Session's own, `d` marks deterministic encryption.
pub fn file_url(server: &FileServer, id: &str, deterministic: bool) -> String {
    let mut url = format!("{}/file/{id}", server.url());
    let key = server
        .ed25519()
        .filter(|_| !server.is_default())
        .map(hex::encode);
    match (key, deterministic) {
        (Some(key), true) => url.push_str(&format!("#p={key}&d")),
        (Some(key), false) => url.push_str(&format!("#p={key}")),
        (None, true) => url.push_str("#d"),
        (None, false) => {}
    }
    url
}

/// `AttachmentPointer.id` (`deprecatedId`) for a file id: desktop takes the id if it is a
/// number, else 0.
pub fn legacy_id(id: &str) -> u64 {
    id.parse().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls_and_ids() {
        let id = "tKO2VVg1JPHwgZuvqK_7bDHJeSr4UJ_8i13ETlwAn0jB";
        let url = format!("http://filev2.getsession.org/file/{id}");
        let location = FileLocation::parse(&url).unwrap();
        assert_eq!(
            location.server_url.as_deref(),
            Some("http://filev2.getsession.org")
        );
        assert_eq!(location.id, id);
        assert!(!location.deterministic);

        let location = FileLocation::parse(&format!("{url}#p={}&d", "ab".repeat(32))).unwrap();
        assert_eq!(location.server_ed25519, Some([0xab; 32]));
        assert!(location.deterministic);

        let bare = FileLocation::parse(id).unwrap();
        assert_eq!(bare.server_url, None);
        assert_eq!(bare.id, id);

        for bad in [
            "",
            "http://host/other/x",
            "http://host/file/../info",
            "http://host/file/a/extend",
            "ftp://host/file/a",
            "http:///file/a",
            "http://host/file/a#p=zz",
            "a b",
        ] {
            assert!(FileLocation::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn builds_urls_as_desktop() {
        assert_eq!(
            file_url(&FileServer::SESSION, "abc", false),
            "http://filev2.getsession.org/file/abc"
        );
        let other = FileServer::new("http://127.0.0.1:9", [1; 32])
            .unwrap()
            .with_ed25519([2; 32]);
        let url = file_url(&other, "abc", true);
        assert_eq!(
            url,
            format!("http://127.0.0.1:9/file/abc#p={}&d", "02".repeat(32))
        );
        let back = FileLocation::parse(&url).unwrap();
        assert_eq!(back.server_ed25519, Some([2; 32]));
        assert_eq!(legacy_id("123"), 123);
        assert_eq!(legacy_id("abc"), 0);
    }
}
