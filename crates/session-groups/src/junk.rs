//! libsodium's `randombytes_buf_deterministic`: the ChaCha20 (IETF) keystream under a 32-byte
//! seed and the fixed nonce `"LibsodiumDRG"`, from block 0. Rekeys use it for junk entries so
//! that two admins produce identical messages.

use chacha20::ChaCha20;
use chacha20::cipher::{KeyIvInit, StreamCipher};

/// libsodium's fixed nonce for deterministic random bytes.
const NONCE: &[u8; 12] = b"LibsodiumDRG";

/// Fills `out` with the deterministic stream of `seed`.
pub(crate) fn fill(seed: &[u8; 32], out: &mut [u8]) {
    out.fill(0);
    let mut cipher = ChaCha20::new(seed.into(), NONCE.into());
    cipher.apply_keystream(out);
}
