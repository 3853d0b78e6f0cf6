//! The owner's management RPCs, on the engine behind [`SwarmClient::call`]: deleting
//! messages, changing their expiries and revoking subaccounts. Each needs a signer (the
//! server accepts none of them anonymously) and, except `get_expiries`, answers per member
//! with signed results.

use crate::client::call::Target;
use crate::client::engine::SwarmClient;
use crate::error::{Error, Result};
use crate::rpc::{
    Bulk, BulkResult, Delete, DeleteResult, Expire, ExpireMode, ExpireResult, ExpiriesResult,
    GetExpiries, MemberOutcome, Members, NamespaceScope, Revocation, RevocationResult, Signer,
    SubaccountToken,
};

/// What the swarm-wide writes accept: a member's signed result verified, or at least no
/// member's result was forged. An answer whose only signed results fail to verify may come
/// from a lying entry node, so another member is asked; members that honestly report a
/// failure are the caller's to read.
fn vouched<T>(members: &Members<T>) -> Result<()> {
    if members.verified().next().is_some() {
        return Ok(());
    }
    let forged = members.iter().find(|member| {
        matches!(
            member.outcome,
            MemberOutcome::BadSignature | MemberOutcome::Malformed(_)
        )
    });
    match forged {
        Some(member) => Err(Error::BadMemberSignature {
            member: hex::encode(member.ed25519),
        }),
        None => Ok(()),
    }
}

impl SwarmClient {
    /// Deletes the messages `hashes` of `signer`'s account from its swarm.
    ///
    /// # Errors
    ///
    /// As [`SwarmClient::call`]; [`Error::InvalidRequest`] for no hashes;
    /// [`Error::BadMemberSignature`] when, on every attempt, no member's result verified
    /// and one was forged.
    pub async fn delete<S: AsRef<str>>(
        &self,
        signer: &Signer,
        hashes: &[S],
    ) -> Result<DeleteResult> {
        self.run(
            Target::Swarm(signer.account()),
            // The delete signature has no timestamp: a 406 cannot happen.
            |_| Delete::new(signer, hashes),
            |result: &DeleteResult| vouched(&result.members),
        )
        .await
    }

    /// Deletes every message in `scope` of `signer`'s account, signed with the network
    /// clock.
    ///
    /// # Errors
    ///
    /// As [`SwarmClient::delete`].
    pub async fn delete_all(&self, signer: &Signer, scope: NamespaceScope) -> Result<BulkResult> {
        self.run(
            Target::Swarm(signer.account()),
            |now_ms| Ok(Bulk::delete_all(signer, scope, now_ms)),
            |result: &BulkResult| vouched(&result.members),
        )
        .await
    }

    /// Deletes the messages in `scope` of `signer`'s account stored at or before
    /// `before_ms` (no later than the nodes' clock + 60 s).
    ///
    /// # Errors
    ///
    /// As [`SwarmClient::delete`].
    pub async fn delete_before(
        &self,
        signer: &Signer,
        scope: NamespaceScope,
        before_ms: u64,
    ) -> Result<BulkResult> {
        self.run(
            Target::Swarm(signer.account()),
            |_| Ok(Bulk::delete_before(signer, scope, before_ms)),
            |result: &BulkResult| vouched(&result.members),
        )
        .await
    }

    /// Sets the expiry of the messages `hashes` to `expiry_ms` (absolute, no earlier than
    /// the nodes' clock − 60 s); `mode` allows only shortening or only extending.
    ///
    /// # Errors
    ///
    /// As [`SwarmClient::delete`].
    pub async fn expire<S: AsRef<str>>(
        &self,
        signer: &Signer,
        hashes: &[S],
        expiry_ms: u64,
        mode: ExpireMode,
    ) -> Result<ExpireResult> {
        self.run(
            Target::Swarm(signer.account()),
            |_| Expire::new(signer, hashes, expiry_ms, mode),
            |result: &ExpireResult| vouched(&result.members),
        )
        .await
    }

    /// Moves every expiry in `scope` later than `expiry_ms` down to it (never extends).
    ///
    /// # Errors
    ///
    /// As [`SwarmClient::delete`].
    pub async fn expire_all(
        &self,
        signer: &Signer,
        scope: NamespaceScope,
        expiry_ms: u64,
    ) -> Result<BulkResult> {
        self.run(
            Target::Swarm(signer.account()),
            |_| Ok(Bulk::expire_all(signer, scope, expiry_ms)),
            |result: &BulkResult| vouched(&result.members),
        )
        .await
    }

    /// The current expiries of the messages `hashes` that exist, from a random member
    /// (its own answer: the server signs none), signed with the network clock.
    ///
    /// # Errors
    ///
    /// As [`SwarmClient::call`]; [`Error::InvalidRequest`] for no hashes.
    pub async fn get_expiries<S: AsRef<str>>(
        &self,
        signer: &Signer,
        hashes: &[S],
    ) -> Result<ExpiriesResult> {
        self.run(
            Target::Swarm(signer.account()),
            |now_ms| GetExpiries::new(signer, hashes, now_ms),
            |_| Ok(()),
        )
        .await
    }

    /// Revokes the subaccount `tokens` (1 to 50) of the account `owner` signs for.
    ///
    /// # Errors
    ///
    /// As [`SwarmClient::delete`]; [`Error::InvalidRequest`] for a subaccount signer, no
    /// tokens or more than 50.
    pub async fn revoke_subaccount(
        &self,
        owner: &Signer,
        tokens: &[SubaccountToken],
    ) -> Result<RevocationResult> {
        self.run(
            Target::Swarm(owner.account()),
            |now_ms| Revocation::revoke(owner, tokens, now_ms),
            |result: &RevocationResult| vouched(&result.members),
        )
        .await
    }

    /// Restores revoked subaccount `tokens` of the account `owner` signs for.
    ///
    /// # Errors
    ///
    /// As [`SwarmClient::delete`]; [`Error::InvalidRequest`] for a subaccount signer or no
    /// tokens.
    pub async fn unrevoke_subaccount(
        &self,
        owner: &Signer,
        tokens: &[SubaccountToken],
    ) -> Result<RevocationResult> {
        self.run(
            Target::Swarm(owner.account()),
            |now_ms| Revocation::unrevoke(owner, tokens, now_ms),
            |result: &RevocationResult| vouched(&result.members),
        )
        .await
    }
}
