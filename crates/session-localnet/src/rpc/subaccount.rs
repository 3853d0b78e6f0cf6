//! Subaccount tokens (`storage-server.md` §5.2): 36 bytes `[prefix][flags][0][0][ed25519
//! pubkey]` signed by the account owner, letting another key act on the account with the
//! permissions in `flags`.

use super::encoding;

/// Length of a token.
pub(crate) const TOKEN_LEN: usize = 36;

/// A token's raw bytes.
pub(crate) type Token = [u8; TOKEN_LEN];

/// What a request needs a subaccount to be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Access(u8);

impl Access {
    /// Nothing (revoke/unrevoke, which take no subaccount at all).
    pub(crate) const NONE: Self = Self(0);
    /// Reading messages.
    pub(crate) const READ: Self = Self(0x01);
    /// Storing messages and extending expiries.
    pub(crate) const WRITE: Self = Self(0x02);
    /// Deleting messages and shortening expiries.
    pub(crate) const DELETE: Self = Self(0x04);
    /// Acting on an account of another prefix with the same key.
    const ANY_PREFIX: u8 = 0x08;

    /// Both sets of permissions.
    pub(crate) const fn and(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }
}

/// A token and the owner's signature of it, as a request carries them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SignedToken {
    /// The 36 token bytes.
    pub(crate) token: Token,
    /// The owner's Ed25519 signature over them.
    pub(crate) signature: [u8; 64],
}

impl SignedToken {
    /// The subaccount's own Ed25519 key, which signs its requests.
    pub(crate) fn subaccount_key(&self) -> [u8; 32] {
        token_key(&self.token)
    }

    /// Whether the token grants `access`.
    pub(crate) const fn grants(&self, access: Access) -> bool {
        self.token[1] & access.0 == access.0
    }

    /// Whether the token may act on an account of `prefix` with at least `access`, and is
    /// signed by `owner_key`.
    pub(crate) fn authorises(&self, prefix: u8, access: Access, owner_key: &[u8; 32]) -> bool {
        let any_prefix = self.token[1] & Access::ANY_PREFIX != 0;
        if self.token[0] != prefix && !any_prefix {
            return false;
        }
        if !self.grants(access) {
            return false;
        }
        session_crypto::ed25519::verify(&self.signature, owner_key, &self.token).is_ok()
    }
}

/// The subaccount key inside a token.
pub(crate) fn token_key(token: &Token) -> [u8; 32] {
    let mut key = [0u8; 32];
    key.copy_from_slice(&token[4..]);
    key
}

/// Reads a token written in JSON: 48 base64 characters or 72 hex digits.
pub(crate) fn parse_token_text(text: &str) -> Option<Token> {
    if encoding::is_base64(text) && text.len() == TOKEN_LEN * 4 / 3 {
        encoding::decode_base64_array(text)
    } else if encoding::is_hex(text) && text.len() == TOKEN_LEN * 2 {
        encoding::decode_hex_array(text)
    } else {
        None
    }
}
