//! Community blinding: the IDs and signing keys a user shows a SOGS server instead of their
//! Session ID, so that servers cannot link the same user across communities.
//!
//! - [`blind15`]: `15` IDs, `k = BLAKE2b-512(server_pk)`; the one current SOGS servers use.
//! - [`blind25`]: `25` IDs, `k = BLAKE2b-512(05 || X || server_pk)`; unambiguous IDs.
//! - [`version`]: the `07` key the file server's version check takes.
//!
//! All reproduce libsession-util byte for byte (and pysogs, for blind15's other nonce).

pub mod blind15;
pub mod blind25;
mod keypair;
mod matching;
mod scalar;
pub mod version;

pub use keypair::{BlindedKeypair, Blinding};
pub use matching::session_id_matches_blinded_id;
