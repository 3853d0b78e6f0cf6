//! Revoking and restoring members' swarm access: admins send the removed (or re-added)
//! members' subaccount tokens in `revoke_subaccount` / `unrevoke_subaccount`, signed with
//! the group key over `method || timestamp || token...` (raw 36-byte tokens,
//! storage-server.md §6.12). The server keeps at most 50 revoked tokens per account and
//! takes at most 50 per `revoke`.

use session_identity::Keypair;

use crate::subaccount::SubaccountToken;

/// Most tokens one `revoke_subaccount` request may carry.
pub const MAX_REVOKE_TOKENS: usize = 50;

/// Revoke or restore.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RevocationKind {
    /// `revoke_subaccount`.
    Revoke,
    /// `unrevoke_subaccount`.
    Unrevoke,
}

impl RevocationKind {
    /// The RPC method name.
    pub const fn method(self) -> &'static str {
        match self {
            Self::Revoke => "revoke_subaccount",
            Self::Unrevoke => "unrevoke_subaccount",
        }
    }
}

/// One revocation request's tokens and signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revocation {
    /// Revoke or restore.
    pub kind: RevocationKind,
    /// The request timestamp, milliseconds.
    pub timestamp_ms: u64,
    /// The tokens.
    pub tokens: Vec<SubaccountToken>,
    /// The group's signature over [`signed_bytes`](Self::signed_bytes).
    pub signature: [u8; 64],
}

impl Revocation {
    /// Splits `tokens` into requests of at most [`MAX_REVOKE_TOKENS`] (revocations only;
    /// restorations go in one request), each signed by the group.
    pub fn build(
        group: &Keypair,
        kind: RevocationKind,
        timestamp_ms: u64,
        tokens: &[SubaccountToken],
    ) -> Vec<Self> {
        let chunk = match kind {
            RevocationKind::Revoke => MAX_REVOKE_TOKENS,
            RevocationKind::Unrevoke => tokens.len().max(1),
        };
        tokens
            .chunks(chunk)
            .map(|tokens| {
                let signed = signed_bytes(kind, timestamp_ms, tokens);
                Self {
                    kind,
                    timestamp_ms,
                    tokens: tokens.to_vec(),
                    signature: group.sign(&signed),
                }
            })
            .collect()
    }

    /// The bytes signed: `method || timestamp || token...`.
    pub fn signed_bytes(&self) -> Vec<u8> {
        signed_bytes(self.kind, self.timestamp_ms, &self.tokens)
    }
}

fn signed_bytes(kind: RevocationKind, timestamp_ms: u64, tokens: &[SubaccountToken]) -> Vec<u8> {
    let mut out = format!("{}{timestamp_ms}", kind.method()).into_bytes();
    for token in tokens {
        out.extend_from_slice(&token.0);
    }
    out
}
