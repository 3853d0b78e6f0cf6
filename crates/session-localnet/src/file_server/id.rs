//! File ids: the real server names a file by a salted hash of its bytes, so the same upload
//! always gets the same id (and a second upload only refreshes the first).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE;

/// The salt of the id hash (BLAKE2b's salt parameter is exactly 16 bytes).
const ID_SALT: &[u8; 16] = b"SessionFileSvr\0\0";

/// How long an id is: 33 hash bytes are 44 base64 characters with no padding.
pub(crate) const ID_LEN: usize = 44;

/// The id of a file with these bytes: URL-safe base64 of its 33-byte salted BLAKE2b.
pub(crate) fn file_id(data: &[u8]) -> String {
    // 33 bytes and a 16-byte salt are within BLAKE2b's limits, so this cannot fail; an empty
    // id would only ever answer 404.
    session_crypto::blake2b::hash_with::<33>(&[], ID_SALT, &[], &[data])
        .map(|digest| URL_SAFE.encode(digest))
        .unwrap_or_default()
}

/// Whether `id` looks like one [`file_id`] makes, so that it is safe as a file name.
pub(crate) fn is_file_id(id: &str) -> bool {
    id.len() == ID_LEN
        && id
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_44_url_safe_characters_and_content_addressed() {
        let id = file_id(b"hello");
        assert_eq!(id.len(), ID_LEN);
        assert!(is_file_id(&id));
        assert_eq!(id, file_id(b"hello"));
        assert_ne!(id, file_id(b"hello!"));
    }

    #[test]
    fn matches_the_python_servers_ids() {
        // hashlib: urlsafe_b64encode(blake2b(b"hello", digest_size=33,
        // salt=b"SessionFileSvr\0\0").digest())
        assert_eq!(
            file_id(b"hello"),
            "tKO2VVg1JPHwgZuvqK_7bDHJeSr4UJ_8i13ETlwAn0jB"
        );
    }

    #[test]
    fn rejects_path_like_ids() {
        assert!(!is_file_id("../../etc/passwd"));
        assert!(!is_file_id(&"a".repeat(43)));
        assert!(!is_file_id(&format!("{}/", "a".repeat(43))));
        assert!(is_file_id(&"-".repeat(44)));
    }
}
