//! X-SOGS request signing, sans IO: keys, nonce and timestamp in, the four headers out
//! (`sogs.md` §4).
//!
//! The signed message is
//! `server_pk || nonce || timestamp (ASCII) || METHOD || percent-decoded path
//! [|| '?' || raw query] [|| BLAKE2b-512(body)]`: the query only when non-empty, the body
//! hash only when there is a body.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use session_crypto::blake2b;
use session_identity::blinding::{BlindedKeypair, Blinding};
use session_identity::{Keypair, SessionId};

use crate::percent;

/// Header names, as pysogs reads them.
pub const PUBKEY_HEADER: &str = "X-SOGS-Pubkey";
/// The timestamp header.
pub const TIMESTAMP_HEADER: &str = "X-SOGS-Timestamp";
/// The nonce header.
pub const NONCE_HEADER: &str = "X-SOGS-Nonce";
/// The signature header.
pub const SIGNATURE_HEADER: &str = "X-SOGS-Signature";

/// Which identity requests show the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthMode {
    /// `00` and the Ed25519 key: servers that do not require blinding.
    Unblinded,
    /// `15` blinding (servers listing `blind`).
    Blind15,
    /// `25` blinding (servers listing `blind25`).
    Blind25,
}

impl AuthMode {
    /// The mode a server's capabilities call for: `blind25` over `blind` over none.
    pub fn for_capabilities<S: AsRef<str>>(capabilities: &[S]) -> Self {
        let has = |name: &str| capabilities.iter().any(|c| c.as_ref() == name);
        if has("blind25") {
            Self::Blind25
        } else if has("blind") {
            Self::Blind15
        } else {
            Self::Unblinded
        }
    }

    /// Whether this mode uses a blinded id.
    pub fn is_blinded(self) -> bool {
        !matches!(self, Self::Unblinded)
    }
}

/// The key requests are signed with: a blinded key pair for the server, or the account's
/// own Ed25519 key. `Debug` shows the id only.
#[derive(Clone)]
pub enum AuthKey {
    /// A `15` or `25` key pair.
    Blinded(BlindedKeypair),
    /// The account's Ed25519 key (`00`).
    Unblinded(Box<Keypair>),
}

impl AuthKey {
    /// The key of `keypair` for the server with X25519 key `server_pk` in `mode`.
    pub fn new(keypair: &Keypair, server_pk: &[u8; 32], mode: AuthMode) -> Self {
        match mode {
            AuthMode::Unblinded => Self::Unblinded(Box::new(keypair.clone())),
            AuthMode::Blind15 => Self::Blinded(BlindedKeypair::blind15(keypair, server_pk)),
            AuthMode::Blind25 => Self::Blinded(BlindedKeypair::blind25(keypair, server_pk)),
        }
    }

    /// The id sent in `X-SOGS-Pubkey`: `15`/`25` and the blinded key, or `00` and the
    /// Ed25519 key.
    pub fn session_id(&self) -> SessionId {
        match self {
            Self::Blinded(key) => key.session_id(),
            Self::Unblinded(key) => key.unblinded_id(),
        }
    }

    /// Which mode the key is for.
    pub fn mode(&self) -> AuthMode {
        match self {
            Self::Blinded(key) if key.blinding() == Blinding::Blind25 => AuthMode::Blind25,
            Self::Blinded(_) => AuthMode::Blind15,
            Self::Unblinded(_) => AuthMode::Unblinded,
        }
    }

    /// Signs `message` (blinded signature, or plain Ed25519 for `00`).
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        match self {
            Self::Blinded(key) => key.sign(message),
            Self::Unblinded(key) => key.sign(message),
        }
    }
}

impl core::fmt::Debug for AuthKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AuthKey")
            .field("id", &self.session_id())
            .finish_non_exhaustive()
    }
}

/// The four `X-SOGS-*` headers of one request. Nothing here is secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthHeaders {
    /// `X-SOGS-Pubkey`: 66 hex digits.
    pub pubkey: String,
    /// `X-SOGS-Timestamp`: unix seconds.
    pub timestamp: String,
    /// `X-SOGS-Nonce`: 16 bytes, base64.
    pub nonce: String,
    /// `X-SOGS-Signature`: 64 bytes, base64.
    pub signature: String,
}

impl AuthHeaders {
    /// The headers as `(name, value)` pairs.
    pub fn pairs(&self) -> [(&'static str, &str); 4] {
        [
            (PUBKEY_HEADER, &self.pubkey),
            (TIMESTAMP_HEADER, &self.timestamp),
            (NONCE_HEADER, &self.nonce),
            (SIGNATURE_HEADER, &self.signature),
        ]
    }
}

/// The bytes the signature covers, for a request to `endpoint` (`/path[?query]`, the path
/// percent-encoded as sent) with `body` (empty: no body).
pub fn signed_message(
    server_pk: &[u8; 32],
    nonce: &[u8; 16],
    timestamp: &str,
    method: &str,
    endpoint: &str,
    body: &[u8],
) -> Vec<u8> {
    let (path, query) = match endpoint.split_once('?') {
        Some((path, query)) => (path, query),
        None => (endpoint, ""),
    };
    let mut message = Vec::with_capacity(128 + endpoint.len());
    message.extend_from_slice(server_pk);
    message.extend_from_slice(nonce);
    message.extend_from_slice(timestamp.as_bytes());
    message.extend_from_slice(method.as_bytes());
    message.extend_from_slice(&percent::decode(path));
    if !query.is_empty() {
        message.push(b'?');
        message.extend_from_slice(query.as_bytes());
    }
    if !body.is_empty() {
        message.extend_from_slice(&blake2b::hash::<64>(&[body]));
    }
    message
}

/// Signs a request: `timestamp` in unix seconds, `nonce` fresh random bytes (never reuse
/// one: the server answers 425), `endpoint` the path and query as sent.
pub fn sign_request(
    key: &AuthKey,
    server_pk: &[u8; 32],
    nonce: &[u8; 16],
    timestamp: u64,
    method: &str,
    endpoint: &str,
    body: &[u8],
) -> AuthHeaders {
    let timestamp = timestamp.to_string();
    let message = signed_message(server_pk, nonce, &timestamp, method, endpoint, body);
    AuthHeaders {
        pubkey: key.session_id().to_string(),
        nonce: STANDARD.encode(nonce),
        signature: STANDARD.encode(key.sign(&message)),
        timestamp,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use session_crypto::Ed25519Seed;

    fn keypair() -> Keypair {
        Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([3; 32]))
    }

    #[test]
    fn signed_message_layout() {
        let pk = [1u8; 32];
        let nonce = [2u8; 16];
        let plain = signed_message(
            &pk,
            &nonce,
            "123",
            "GET",
            "/room/r/reaction/5/%F0%9F%91%8D",
            b"",
        );
        let mut want = [pk.as_slice(), &nonce, b"123GET/room/r/reaction/5/"].concat();
        want.extend_from_slice("👍".as_bytes());
        assert_eq!(plain, want);

        // The query stays encoded; no '?' for an empty query.
        let query = signed_message(&pk, &nonce, "1", "GET", "/a%20b?x=%20", b"");
        assert!(query.ends_with(b"GET/a b?x=%20"));
        let bare = signed_message(&pk, &nonce, "1", "GET", "/a?", b"");
        assert!(bare.ends_with(b"GET/a"));

        // A body adds its 64-byte hash.
        let body = signed_message(&pk, &nonce, "1", "POST", "/x", b"{}");
        assert_eq!(body.len(), 32 + 16 + 1 + 4 + 2 + 64);
        assert!(body.ends_with(&blake2b::hash::<64>(&[b"{}"])));
    }

    #[test]
    fn signatures_verify_with_the_header_key() {
        let server = [9u8; 32];
        for mode in [AuthMode::Unblinded, AuthMode::Blind15, AuthMode::Blind25] {
            let key = AuthKey::new(&keypair(), &server, mode);
            assert_eq!(key.mode(), mode);
            let headers = sign_request(&key, &server, &[4; 16], 1_700_000_000, "POST", "/x", b"b");
            let id = SessionId::parse_hex(&headers.pubkey).unwrap();
            let signature: [u8; 64] = STANDARD
                .decode(&headers.signature)
                .unwrap()
                .try_into()
                .unwrap();
            let message = signed_message(&server, &[4; 16], "1700000000", "POST", "/x", b"b");
            session_crypto::ed25519::verify(&signature, id.key_bytes(), &message).unwrap();
            assert_eq!(headers.nonce.len(), 24);
            assert!(!format!("{key:?}").contains("secret"));
        }
    }

    #[test]
    fn mode_follows_capabilities() {
        assert_eq!(AuthMode::for_capabilities(&["sogs"]), AuthMode::Unblinded);
        assert_eq!(
            AuthMode::for_capabilities(&["blind", "sogs"]),
            AuthMode::Blind15
        );
        assert_eq!(
            AuthMode::for_capabilities(&["blind", "blind25"]),
            AuthMode::Blind25
        );
    }
}
