//! Does a `05` Session ID belong to a blinded ID?

use crate::error::{Error, Result};
use crate::session_id::{IdPrefix, SessionId};

use super::{blind15, blind25};

/// Whether `blinded` (a `15` or `25` ID) is the blinded form of `session_id` (a `05` ID) on
/// the server with X25519 key `server_pk`: a `15` ID matches either sign candidate, a `25` ID
/// must match exactly.
///
/// Unlike libsession, both prefixes are checked fully (its check lets some malformed
/// prefixes through to the comparison).
pub fn session_id_matches_blinded_id(
    session_id: &SessionId,
    blinded: &SessionId,
    server_pk: &[u8; 32],
) -> Result<bool> {
    match blinded.prefix() {
        IdPrefix::Blinded15 => {
            Ok(blind15::ids_for_session_id(session_id, server_pk)?.contains(blinded))
        }
        IdPrefix::Blinded25 => Ok(blind25::id_for_session_id(session_id, server_pk)? == *blinded),
        found => Err(Error::WrongPrefix {
            expected: IdPrefix::Blinded15,
            found,
        }),
    }
}
