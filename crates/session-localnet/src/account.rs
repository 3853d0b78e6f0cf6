//! The 33-byte account a storage request is for: a prefix byte and a 32-byte key.

use core::fmt;

/// An account on the swarms: `05` Session IDs (the key is X25519), `03` groups (Ed25519),
/// and any other prefix (Ed25519), as the storage server accepts them.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId([u8; 33]);

impl AccountId {
    /// From the 33 raw bytes.
    pub const fn from_bytes(bytes: [u8; 33]) -> Self {
        Self(bytes)
    }

    /// Parses 66 hex digits; `None` for anything else.
    pub fn from_hex(text: &str) -> Option<Self> {
        let mut bytes = [0u8; 33];
        hex::decode_to_slice(text, &mut bytes).ok()?;
        Some(Self(bytes))
    }

    /// The prefix byte (`0x05`, `0x03`, ...).
    pub const fn prefix(&self) -> u8 {
        self.0[0]
    }

    /// The 32 bytes after the prefix.
    pub fn key(&self) -> [u8; 32] {
        let mut key = [0u8; 32];
        key.copy_from_slice(&self.0[1..]);
        key
    }

    /// All 33 bytes.
    pub const fn as_bytes(&self) -> &[u8; 33] {
        &self.0
    }

    /// The 66 lowercase hex digits servers sign and answer with.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccountId({})", self.to_hex())
    }
}
