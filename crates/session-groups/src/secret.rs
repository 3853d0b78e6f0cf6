//! Group encryption keys and the keyed hashes of the group seed they derive from.

use session_crypto::{Ed25519Seed, blake2b};
use zeroize::Zeroizing;

/// A 32-byte group encryption key (XChaCha20-Poly1305): wiped on drop, redacted in `Debug`,
/// compared in constant time.
pub type GroupKey = session_crypto::SymmetricKey;

/// `BLAKE2b-32(key = domain, message = seed)`: libsession's `seed_hash`, from which the admin
/// key, `H2` and the subaccount mask come.
pub(crate) fn seed_hash<const K: usize>(
    domain: &[u8; K],
    seed: &Ed25519Seed,
) -> Zeroizing<[u8; 32]> {
    Zeroizing::new(blake2b::hash_keyed::<32, K>(
        domain,
        &[seed.expose_secret()],
    ))
}
