//! The 33-byte account a storage request is about.

use core::fmt;

use session_identity::SessionId;

/// An account on the swarms: a prefix byte and a 32-byte key. `05` accounts are Session IDs
/// (the key is X25519), `03` accounts are closed groups (Ed25519), any other prefix is an
/// Ed25519 account. The storage server accepts every prefix, so this is wider than
/// [`SessionId`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Account([u8; 33]);

impl Account {
    /// From the 33 raw bytes.
    pub const fn from_bytes(bytes: [u8; 33]) -> Self {
        Self(bytes)
    }

    /// From a prefix byte and a 32-byte key.
    pub fn new(prefix: u8, key: &[u8; 32]) -> Self {
        let mut bytes = [0u8; 33];
        bytes[0] = prefix;
        bytes[1..].copy_from_slice(key);
        Self(bytes)
    }

    /// Parses 66 hex digits (either case); `None` for anything else.
    pub fn from_hex(text: &str) -> Option<Self> {
        let mut bytes = [0u8; 33];
        hex::decode_to_slice(text, &mut bytes).ok()?;
        Some(Self(bytes))
    }

    /// The prefix byte (`0x05`, `0x03`, ...).
    pub const fn prefix(&self) -> u8 {
        self.0[0]
    }

    /// All 33 bytes.
    pub const fn as_bytes(&self) -> &[u8; 33] {
        &self.0
    }

    /// The 66 lowercase hex digits: what requests send as `pubkey` and what swarm members
    /// put first in the strings they sign (`PUBKEY_HEX`).
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl From<SessionId> for Account {
    fn from(id: SessionId) -> Self {
        Self(id.to_bytes())
    }
}

impl From<&SessionId> for Account {
    fn from(id: &SessionId) -> Self {
        Self(id.to_bytes())
    }
}

/// The 66 hex digits.
impl fmt::Display for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Account({})", self.to_hex())
    }
}
