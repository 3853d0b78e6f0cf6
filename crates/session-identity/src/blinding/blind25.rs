//! 25-blinding: `k = BLAKE2b-512(0x05 || X || server_pk) mod L`, blinded key `k·|A|`.

use curve25519_dalek::Scalar;
use session_crypto::{blake2b, xed25519};

use crate::error::{Result, require_prefix};
use crate::keypair::Keypair;
use crate::session_id::{IdPrefix, SessionId};

use super::scalar::{blind_point, blinded_public};

/// The blinding factor `k` for a Session ID's X25519 key and a server's X25519 key.
pub fn factor(x25519_pk: &[u8; 32], server_pk: &[u8; 32]) -> Scalar {
    let wide = blake2b::hash::<64>(&[&[IdPrefix::Standard.byte()], x25519_pk, server_pk]);
    Scalar::from_bytes_mod_order_wide(&wide)
}

/// The `25` ID of a `05` Session ID on the server: `k·|A|`, one unambiguous ID.
pub fn id_for_session_id(session_id: &SessionId, server_pk: &[u8; 32]) -> Result<SessionId> {
    require_prefix(session_id, IdPrefix::Standard)?;
    let x25519_pk = session_id.key_bytes();
    let abs_point = xed25519::public_key(x25519_pk)?;
    let blinded = blind_point(&factor(x25519_pk, server_pk), &abs_point)?;
    Ok(SessionId::new(IdPrefix::Blinded25, blinded))
}

/// The `25` ID of a known Ed25519 public key.
pub fn id_for_ed25519(ed25519_pk: &[u8; 32], server_pk: &[u8; 32]) -> Result<SessionId> {
    let x25519_pk = session_crypto::convert::ed25519_pk_to_x25519(ed25519_pk)?;
    id_for_session_id(&SessionId::new(IdPrefix::Standard, x25519_pk), server_pk)
}

/// The factor the account owner multiplies its scalar by: `k`, negated when the real Ed25519
/// key is negative, so that `(k'·a)·B = k·|A|`.
pub fn owner_factor(keypair: &Keypair, server_pk: &[u8; 32]) -> Scalar {
    let k = factor(keypair.x25519_public(), server_pk);
    if keypair.ed25519_public()[31] & 0x80 != 0 {
        -k
    } else {
        k
    }
}

/// This account's `25` ID on the server: the key of its blinded key pair.
pub fn id(keypair: &Keypair, server_pk: &[u8; 32]) -> SessionId {
    let public = blinded_public(&owner_factor(keypair, server_pk), &keypair.signing_scalar());
    SessionId::new(IdPrefix::Blinded25, public)
}
