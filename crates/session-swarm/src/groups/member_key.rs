//! How a member signs requests to the group's swarm: as a subaccount of the `03` account,
//! with the blinded key of the auth data the admin gave it (`libsession-util.md` §12.5).

use std::sync::Arc;

use session_groups::subaccount::{self, AuthData};
use session_identity::{Keypair, SessionId};

use crate::groups::error::GroupError;
use crate::rpc::{Account, Signer, SubaccountKey, SubaccountToken};

/// The member's key pair and auth data; `Debug` names neither.
struct MemberKey {
    user: Keypair,
    auth: AuthData,
}

impl std::fmt::Debug for MemberKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemberKey")
            .field("member", &self.user.session_id())
            .finish_non_exhaustive()
    }
}

impl SubaccountKey for MemberKey {
    fn sign(&self, message: &[u8]) -> [u8; 64] {
        // `signer` checked that this key signs; a failure here cannot come from the
        // message, so an all-zero signature (which the server refuses) never goes out
        // unnoticed in practice.
        subaccount::sign(&self.user, &self.auth, message).map_or([0; 64], |s| s.signature)
    }
}

/// The signer of `user`'s requests to `group` with `auth`.
///
/// # Errors
///
/// [`GroupError::Subaccount`] when the auth data cannot blind `user`'s key.
pub(crate) fn signer(
    group: &SessionId,
    user: &Keypair,
    auth: &AuthData,
) -> Result<Signer, GroupError> {
    let probe = subaccount::sign(user, auth, b"")?;
    let token = SubaccountToken::from_bytes(probe.subaccount.0);
    let key = MemberKey {
        user: user.clone(),
        auth: auth.clone(),
    };
    Ok(Signer::subaccount_with(
        Account::from(group),
        token,
        probe.subaccount_sig,
        Arc::new(key),
    ))
}
