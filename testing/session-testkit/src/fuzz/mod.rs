//! The bodies of the fuzz targets in `fuzz/fuzz_targets/`, one function per target.
//!
//! Each target there is a one-line call into a function here, so that the same checks run
//! on stable too: `tests/fuzz_corpus.rs` replays every committed corpus file (and any saved
//! crash artifact) through [`TARGETS`] under `cargo test`.
//!
//! Every function takes arbitrary bytes and must return normally. Beyond "never panics",
//! each asserts the decoder's contract on the inputs it accepts (re-encoding round-trips,
//! lengths add up), so a wrong answer fails as loudly as a crash.
//!
//! The decryptors decrypt with fixed keys, all public on purpose ([`SEALED_BOX_SECRET`],
//! [`RECIPIENT_SEED`], [`SENDER_SEED`], [`SERVER_PUBKEY`], [`MULTI_DOMAIN`],
//! [`ATTACHMENT_KEY`], [`AVATAR_KEY`], [`PUSH_KEY`], and for onion requests
//! [`ONION_NODE_SECRET`], [`ONION_SERVER_SECRET`], [`ONION_RESPONSE_KEY`],
//! [`ONION_FALLBACK_KEY`]): the valid ciphertexts in the committed corpus are encrypted to
//! them, so the fuzzer starts from inputs that get past the MACs and reach the code behind
//! them. The 1:1 and blinded targets go on through unpadding and `Content` decoding, so a
//! valid seed exercises the whole receiving path.
//!
//! The onion targets cover `session-onion`'s parsers: [`onion_peel`] is a node opening
//! the layer addressed to it (and the inner-request parser on the raw bytes),
//! [`onion_node_response`] and [`onion_server_response`] the client reading a destination's
//! answer (and a server opening a v4 request), and [`onion_v4_decode`] the v4 request and
//! response framing.
//!
//! The seed corpus is written by an ignored test, `fuzz::seeds::write_seed_corpus`
//! (`cargo test -p session-testkit --lib -- --ignored write_seed_corpus`).
//!
//! ```
//! session_testkit::fuzz::session_id_parse(
//!     b"054830367d369d94605247999a375dbd0a0f65fdec5de1535612bcb6d4de452c69",
//! );
//! session_testkit::fuzz::sealed_box_open(b"too short");
//! session_testkit::fuzz::bt_decode(b"d1:ai1ee");
//! session_testkit::fuzz::unpad(b"hello\x80\0\0");
//! session_testkit::fuzz::content_decode(b"\x0a\x00");
//! session_testkit::fuzz::onion_v4_decode(b"l2:{}e");
//! session_testkit::fuzz::onion_node_response(b"Request time out");
//! ```

mod attachment;
mod bt;
mod direct;
mod envelope;
mod identity;
mod message;
mod multi;
mod notify;
mod onion;
#[cfg(test)]
mod seeds;

use std::sync::LazyLock;

use session_crypto::{Ed25519Seed, X25519Secret};
use session_identity::Keypair;

pub use attachment::{attachment_decrypt, attachment_deterministic_decrypt, avatar_decrypt};
pub use bt::bt_decode;
pub use direct::{blinded_decrypt, direct_decrypt};
pub use envelope::envelope_unwrap;
pub use identity::{mnemonic_decode, sealed_box_open, seed_from_hex, session_id_parse};
pub use message::{content_decode, unpad};
pub use multi::multi_decrypt;
pub use notify::{ons_decrypt, push_decrypt};
pub use onion::{
    onion_node, onion_node_response, onion_peel, onion_response_keys, onion_server,
    onion_server_response, onion_v4_decode,
};

/// A fuzz target body: takes the fuzzer's bytes and panics only on a bug.
pub type Target = fn(&[u8]);

/// Every target, by the name of its `fuzz/fuzz_targets/<name>.rs` and corpus directory.
pub const TARGETS: [(&str, Target); 20] = [
    ("mnemonic_decode", mnemonic_decode),
    ("session_id_parse", session_id_parse),
    ("seed_from_hex", seed_from_hex),
    ("sealed_box_open", sealed_box_open),
    ("bt_decode", bt_decode),
    ("envelope_unwrap", envelope_unwrap),
    ("direct_decrypt", direct_decrypt),
    ("blinded_decrypt", blinded_decrypt),
    ("unpad", unpad),
    ("content_decode", content_decode),
    ("multi_decrypt", multi_decrypt),
    ("attachment_decrypt", attachment_decrypt),
    (
        "attachment_deterministic_decrypt",
        attachment_deterministic_decrypt,
    ),
    ("avatar_decrypt", avatar_decrypt),
    ("ons_decrypt", ons_decrypt),
    ("push_decrypt", push_decrypt),
    ("onion_peel", onion_peel),
    ("onion_node_response", onion_node_response),
    ("onion_server_response", onion_server_response),
    ("onion_v4_decode", onion_v4_decode),
];

/// The secret key of the recipient that [`sealed_box_open`] opens with. It is public on
/// purpose: corpus files that are valid sealed boxes are sealed to its public key, so the
/// fuzzer starts from inputs that reach the decryption itself.
pub const SEALED_BOX_SECRET: [u8; 32] = *b"session-fuzz sealed box key 0001";

/// The fixed recipient of [`sealed_box_open`], from [`SEALED_BOX_SECRET`].
pub fn sealed_box_recipient() -> X25519Secret {
    X25519Secret::from_bytes(SEALED_BOX_SECRET)
}

/// The Ed25519 seed of the account the protocol targets decrypt as ([`recipient`]): the
/// recipient of 1:1 messages ([`direct_decrypt`], [`envelope_unwrap`]), a party to blinded
/// messages ([`blinded_decrypt`]) and a recipient of multi-encrypted data
/// ([`multi_decrypt`]).
pub const RECIPIENT_SEED: [u8; 32] = *b"session-fuzz recipient seed 0001";

/// The Ed25519 seed of the account that sent the corpus's valid messages ([`sender`]), and
/// the seed of its deterministic attachments. Targets use it to check that decryption
/// inverts encryption: a message from this sender must re-encrypt to the input.
pub const SENDER_SEED: [u8; 32] = *b"session-fuzz sender seed    0001";

/// The X25519 key of the community server the blinded IDs of [`blinded_decrypt`] belong to.
pub const SERVER_PUBKEY: [u8; 32] = *b"session-fuzz community server 01";

/// The domain (BLAKE2b key) of [`multi_decrypt`]'s multi-recipient encryption.
pub const MULTI_DOMAIN: &str = "session-fuzz multi-encrypt";

/// The 64-byte key (AES-256 key, then HMAC-SHA256 key) [`attachment_decrypt`] decrypts
/// with.
pub const ATTACHMENT_KEY: [u8; 64] =
    *b"session-fuzz attachment AES key1session-fuzz attachment MAC key1";

/// The profile key [`avatar_decrypt`] decrypts with.
pub const AVATAR_KEY: [u8; 32] = *b"session-fuzz profile key    0001";

/// The device's notification key [`push_decrypt`] decrypts with.
pub const PUSH_KEY: [u8; 32] = *b"session-fuzz notification key 01";

/// The X25519 secret of the service node [`onion_peel`] peels onions as ([`onion_node`]).
pub const ONION_NODE_SECRET: [u8; 32] = *b"session-fuzz onion node key 0001";

/// The X25519 secret of the server [`onion_server_response`] opens v4 requests as
/// ([`onion_server`]).
pub const ONION_SERVER_SECRET: [u8; 32] = *b"session-fuzz onion server key 01";

/// The channel key, as AES-GCM and as XChaCha20, that [`onion_node_response`] and
/// [`onion_server_response`] open destinations' answers with ([`onion_response_keys`]).
pub const ONION_RESPONSE_KEY: [u8; 32] = *b"session-fuzz onion response key1";

/// The AES-GCM fallback of the XChaCha20 response key: what an older server that answers
/// in AES-GCM whatever was asked encrypts with.
pub const ONION_FALLBACK_KEY: [u8; 32] = *b"session-fuzz onion fallback key1";

/// The key pair of [`RECIPIENT_SEED`], derived once.
pub fn recipient() -> &'static Keypair {
    static KEYPAIR: LazyLock<Keypair> =
        LazyLock::new(|| Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes(RECIPIENT_SEED)));
    &KEYPAIR
}

/// The key pair of [`SENDER_SEED`], derived once.
pub fn sender() -> &'static Keypair {
    static KEYPAIR: LazyLock<Keypair> =
        LazyLock::new(|| Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes(SENDER_SEED)));
    &KEYPAIR
}
