//! The hash a storage server gives each stored message (oxen-storage-server's
//! `computeMessageHash`, mirrored by libsession's `compute_message_hash`), so a client can
//! know a message's hash before storing it: `libsession-util.md` §6.3 and §15,
//! `storage-server.md` §9.
//!
//! ```text
//! hash = base64-without-padding( BLAKE2b-256( prefix || pubkey || namespace || data ) )
//! ```
//!
//! `prefix || pubkey` are the 33 bytes of the account's ID (`05…`, `03…`), `namespace` is
//! the namespace in ASCII decimal (`-10`, `2`), left out entirely for namespace 0, and
//! `data` is the message as stored (the raw bytes, not their base64). The result is always
//! 43 characters of the standard alphabet (`+` and `/`). Timestamps and TTLs are not hashed,
//! so the same data stored twice to the same place has the same hash.
//!
//! ```
//! use session_protocol::hash::compute_message_hash;
//!
//! let account = "0518981d2822aabc9ba8dbf83f2feac4c70eb737930bc4f254fa71e01f8464a049".parse()?;
//! assert_eq!(compute_message_hash(&account, 0, b"hello").len(), 43);
//! # Ok::<(), session_identity::SessionIdError>(())
//! ```

use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, STANDARD_PAD_INDIFFERENT};
use session_crypto::blake2b;
use session_identity::SessionId;

/// Length of the hash in base64: 32 bytes, unpadded.
pub const HASH_LEN: usize = 43;

/// The storage server's hash of `data` stored for `account` in `namespace`.
pub fn compute_message_hash(account: &SessionId, namespace: i16, data: &[u8]) -> String {
    let digest = message_digest(account, namespace, data);
    STANDARD_NO_PAD.encode(digest)
}

/// [`compute_message_hash`] of data given in base64 (standard alphabet, with or without
/// padding), as messages travel in the storage API and as libsession takes them.
pub fn compute_message_hash_base64(
    account: &SessionId,
    namespace: i16,
    data_base64: &str,
) -> Result<String, HashError> {
    let data = STANDARD_PAD_INDIFFERENT
        .decode(data_base64)
        .map_err(|_| HashError::InvalidBase64)?;
    Ok(compute_message_hash(account, namespace, &data))
}

/// The 32-byte digest before base64.
fn message_digest(account: &SessionId, namespace: i16, data: &[u8]) -> [u8; 32] {
    let namespace = if namespace == 0 {
        String::new()
    } else {
        namespace.to_string()
    };
    blake2b::hash::<32>(&[&account.to_bytes(), namespace.as_bytes(), data])
}

/// Why a message hash could not be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HashError {
    /// The data is not valid base64.
    #[error("message data is not valid base64")]
    InvalidBase64,
}
