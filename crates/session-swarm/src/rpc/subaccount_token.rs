//! Subaccount tokens: what an account owner hands a delegate (storage server §5.2).

use core::fmt;

/// The access a subaccount token grants, as its flags byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct SubaccountFlags(pub u8);

impl SubaccountFlags {
    /// May `retrieve`, `get_expiries`, monitor.
    pub const READ: Self = Self(0x01);
    /// May `store` and `expire` (extend).
    pub const WRITE: Self = Self(0x02);
    /// May delete, shorten expiries and store to public outboxes.
    pub const DELETE: Self = Self(0x04);
    /// The token is valid whatever the account's prefix.
    pub const ANY_PREFIX: Self = Self(0x08);

    /// Whether every flag of `other` is set here.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }
}

impl core::ops::BitOr for SubaccountFlags {
    type Output = Self;

    fn bitor(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }
}

/// A 36-byte subaccount token: `[prefix][flags][0][0][32-byte subaccount Ed25519 key]`.
/// Public: it travels in every request the subaccount signs.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SubaccountToken([u8; 36]);

impl SubaccountToken {
    /// The token for `subaccount_ed25519` on accounts with prefix `prefix`.
    pub fn new(prefix: u8, flags: SubaccountFlags, subaccount_ed25519: &[u8; 32]) -> Self {
        let mut bytes = [0u8; 36];
        bytes[0] = prefix;
        bytes[1] = flags.0;
        bytes[4..].copy_from_slice(subaccount_ed25519);
        Self(bytes)
    }

    /// From the 36 raw bytes (as libsession's `swarm_subaccount_token` gives them).
    pub const fn from_bytes(bytes: [u8; 36]) -> Self {
        Self(bytes)
    }

    /// The 36 raw bytes: what the owner signs, and what revocation strings embed.
    pub const fn as_bytes(&self) -> &[u8; 36] {
        &self.0
    }

    /// The account prefix the token is for.
    pub const fn prefix(&self) -> u8 {
        self.0[0]
    }

    /// The access it grants.
    pub const fn flags(&self) -> SubaccountFlags {
        SubaccountFlags(self.0[1])
    }

    /// The subaccount's Ed25519 key, which signs its requests.
    pub fn subaccount_ed25519(&self) -> [u8; 32] {
        let mut key = [0u8; 32];
        key.copy_from_slice(&self.0[4..]);
        key
    }
}

impl fmt::Debug for SubaccountToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SubaccountToken({})", hex::encode(self.0))
    }
}
