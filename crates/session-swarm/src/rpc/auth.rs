//! Who signs a request, and the authentication parameters each kind of signer sends.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};
use session_identity::Keypair;

use crate::rpc::account::Account;
use crate::rpc::subaccount_token::SubaccountToken;

/// The prefix of Session IDs, whose key is X25519 and whose signatures need `pubkey_ed25519`.
const SESSION_ID_PREFIX: u8 = 0x05;

/// The key that signs requests for an account, and how the server is told about it.
/// `Debug` shows public keys only (the keypair's own `Debug` hides its secrets).
#[derive(Clone, Debug)]
pub struct Signer {
    account: Account,
    kind: Kind,
}

/// A subaccount key that signs without being an ordinary Ed25519 key pair: a closed-group
/// member's blinded key (`k·a`, from the admin's 100-byte auth data), whose secret scalar
/// has no seed. `Debug` must not show secrets.
pub trait SubaccountKey: Send + Sync + core::fmt::Debug {
    /// The Ed25519 signature over `message` that verifies with the token's key.
    fn sign(&self, message: &[u8]) -> [u8; 64];
}

/// The three ways the server accepts a signature.
#[derive(Clone, Debug)]
enum Kind {
    /// A `05` account: its Ed25519 key signs; the server needs `pubkey_ed25519` to find it.
    User(Keypair),
    /// An Ed25519 account (`03` group admin, other prefixes): the account key signs.
    Ed25519(Keypair),
    /// A delegate: the token's key signs, the owner's token signature vouches for it.
    Subaccount {
        token: SubaccountToken,
        token_signature: [u8; 64],
        key: Keypair,
        owner_ed25519: Option<[u8; 32]>,
    },
    /// A delegate whose key signs through [`SubaccountKey`] (a group member).
    Delegated {
        token: SubaccountToken,
        token_signature: [u8; 64],
        key: Arc<dyn SubaccountKey>,
    },
}

impl Signer {
    /// A Session account (`05` ID): signs with its Ed25519 key and sends `pubkey_ed25519`.
    pub fn user(keypair: Keypair) -> Self {
        Self {
            account: Account::from(keypair.session_id()),
            kind: Kind::User(keypair),
        }
    }

    /// A closed group's admin: signs with the group's Ed25519 key for its `03` account.
    pub fn group_admin(group: Keypair) -> Self {
        Self::ed25519_account(0x03, group)
    }

    /// An Ed25519 account with `prefix` (`03` or any other), signed by its key. Prefix `05`
    /// gives [`Signer::user`]: a `05` account's key is X25519, so the server could never
    /// verify it as an Ed25519 account.
    pub fn ed25519_account(prefix: u8, keypair: Keypair) -> Self {
        if prefix == SESSION_ID_PREFIX {
            return Self::user(keypair);
        }
        Self {
            account: Account::new(prefix, keypair.ed25519_public()),
            kind: Kind::Ed25519(keypair),
        }
    }

    /// A subaccount of `account`: `key` is the subaccount's own Ed25519 keypair (the
    /// token's key), `token_signature` the owner's signature over the 36 token bytes.
    pub fn subaccount(
        account: Account,
        token: SubaccountToken,
        token_signature: [u8; 64],
        key: Keypair,
    ) -> Self {
        Self {
            account,
            kind: Kind::Subaccount {
                token,
                token_signature,
                key,
                owner_ed25519: None,
            },
        }
    }

    /// A subaccount whose key signs through `key` rather than a key pair: a closed-group
    /// member signing for the group's `03` account with the blinded key of its auth data.
    pub fn subaccount_with(
        account: Account,
        token: SubaccountToken,
        token_signature: [u8; 64],
        key: Arc<dyn SubaccountKey>,
    ) -> Self {
        Self {
            account,
            kind: Kind::Delegated {
                token,
                token_signature,
                key,
            },
        }
    }

    /// For a subaccount of a `05` account: the owner's Ed25519 key, which the server needs
    /// (as `pubkey_ed25519`) to check the token signature. Ignored for other signers.
    #[must_use]
    pub fn with_owner_ed25519(mut self, owner: [u8; 32]) -> Self {
        if let Kind::Subaccount { owner_ed25519, .. } = &mut self.kind {
            *owner_ed25519 = Some(owner);
        }
        self
    }

    /// The account the requests are for.
    pub const fn account(&self) -> &Account {
        &self.account
    }

    /// Whether this is a subaccount (which may not revoke or unrevoke subaccounts).
    pub const fn is_subaccount(&self) -> bool {
        matches!(self.kind, Kind::Subaccount { .. } | Kind::Delegated { .. })
    }

    /// The signature over `message` by the key the server will verify it with.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        match &self.kind {
            Kind::User(keypair) | Kind::Ed25519(keypair) => keypair.sign(message),
            Kind::Subaccount { key, .. } => key.sign(message),
            Kind::Delegated { key, .. } => key.sign(message),
        }
    }

    /// Adds `pubkey`, `signature` and the signer's other authentication fields
    /// (`pubkey_ed25519`, `subaccount`, `subaccount_sig`) for `message` to `params`.
    pub fn authenticate(&self, params: &mut Map<String, Value>, message: &[u8]) {
        params.insert("pubkey".to_owned(), self.account.to_hex().into());
        params.insert(
            "signature".to_owned(),
            STANDARD.encode(self.sign(message)).into(),
        );
        match &self.kind {
            Kind::User(keypair) => {
                params.insert(
                    "pubkey_ed25519".to_owned(),
                    hex::encode(keypair.ed25519_public()).into(),
                );
            }
            Kind::Ed25519(_) => {}
            Kind::Subaccount {
                token,
                token_signature,
                owner_ed25519,
                ..
            } => {
                params.insert(
                    "subaccount".to_owned(),
                    STANDARD.encode(token.as_bytes()).into(),
                );
                params.insert(
                    "subaccount_sig".to_owned(),
                    STANDARD.encode(token_signature).into(),
                );
                if let Some(owner) = owner_ed25519
                    && self.account.prefix() == SESSION_ID_PREFIX
                {
                    params.insert("pubkey_ed25519".to_owned(), hex::encode(owner).into());
                }
            }
            Kind::Delegated {
                token,
                token_signature,
                ..
            } => {
                params.insert(
                    "subaccount".to_owned(),
                    STANDARD.encode(token.as_bytes()).into(),
                );
                params.insert(
                    "subaccount_sig".to_owned(),
                    STANDARD.encode(token_signature).into(),
                );
            }
        }
    }
}

/// Whether a request is signed, and for which account.
#[derive(Clone, Copy, Debug)]
pub enum Auth<'a> {
    /// No signature: stores to public inboxes (`ns % 10 == 0`), retrieves from `-10` and
    /// public outboxes.
    Anonymous(Account),
    /// Signed by `signer` for its account.
    Signed(&'a Signer),
}

impl Auth<'_> {
    /// The account the request is for.
    pub const fn account(&self) -> &Account {
        match self {
            Self::Anonymous(account) => account,
            Self::Signed(signer) => signer.account(),
        }
    }
}
