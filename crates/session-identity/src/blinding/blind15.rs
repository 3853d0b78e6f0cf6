//! 15-blinding: `k = BLAKE2b-512(server_pk) mod L`, blinded key `kA`.

use curve25519_dalek::Scalar;
use session_crypto::{blake2b, xed25519};

use crate::error::{Result, require_prefix};
use crate::keypair::Keypair;
use crate::session_id::{IdPrefix, SessionId};

use super::scalar::{blind_point, blinded_public, flip_sign};

/// The blinding factor `k` for a server's X25519 public key.
pub fn factor(server_pk: &[u8; 32]) -> Scalar {
    let wide = blake2b::hash::<64>(&[server_pk]);
    Scalar::from_bytes_mod_order_wide(&wide)
}

/// The two `15` IDs someone else's `05` Session ID may have on this server.
///
/// An X25519 key has lost the sign of its Ed25519 key, so the blinded key is `k·P` or
/// `-k·P` (the same bytes with the top bit flipped); the first candidate is `k·P` with `P`
/// the sign-0 point, as libsession returns them.
pub fn ids_for_session_id(session_id: &SessionId, server_pk: &[u8; 32]) -> Result<[SessionId; 2]> {
    require_prefix(session_id, IdPrefix::Standard)?;
    let point = xed25519::public_key(session_id.key_bytes())?;
    let blinded = blind_point(&factor(server_pk), &point)?;
    Ok([
        SessionId::new(IdPrefix::Blinded15, blinded),
        SessionId::new(IdPrefix::Blinded15, flip_sign(blinded)),
    ])
}

/// The one `15` ID of a known Ed25519 public key (its sign is known, so no ambiguity).
pub fn id_for_ed25519(ed25519_pk: &[u8; 32], server_pk: &[u8; 32]) -> Result<SessionId> {
    let blinded = blind_point(&factor(server_pk), ed25519_pk)?;
    Ok(SessionId::new(IdPrefix::Blinded15, blinded))
}

/// This account's `15` ID on the server: `(k·a)·B`, the key of its blinded key pair.
pub fn id(keypair: &Keypair, server_pk: &[u8; 32]) -> SessionId {
    let public = blinded_public(&factor(server_pk), &keypair.signing_scalar());
    SessionId::new(IdPrefix::Blinded15, public)
}
