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
//! ```
//! session_testkit::fuzz::session_id_parse(
//!     b"054830367d369d94605247999a375dbd0a0f65fdec5de1535612bcb6d4de452c69",
//! );
//! session_testkit::fuzz::sealed_box_open(b"too short");
//! session_testkit::fuzz::bt_decode(b"d1:ai1ee");
//! ```

use session_crypto::X25519Secret;
use session_crypto::sealed_box::{self, OVERHEAD};
use session_identity::mnemonic::{self, WORD_COUNT};
use session_identity::{RECOVERY_SEED_LEN, Seed, SessionId};

/// A fuzz target body: takes the fuzzer's bytes and panics only on a bug.
pub type Target = fn(&[u8]);

/// Every target, by the name of its `fuzz/fuzz_targets/<name>.rs` and corpus directory.
pub const TARGETS: [(&str, Target); 5] = [
    ("mnemonic_decode", mnemonic_decode),
    ("session_id_parse", session_id_parse),
    ("seed_from_hex", seed_from_hex),
    ("sealed_box_open", sealed_box_open),
    ("bt_decode", bt_decode),
];

/// The secret key of the recipient that [`sealed_box_open`] opens with. It is public on
/// purpose: corpus files that are valid sealed boxes are sealed to its public key, so the
/// fuzzer starts from inputs that reach the decryption itself.
pub const SEALED_BOX_SECRET: [u8; 32] = *b"session-fuzz sealed box key 0001";

/// The fixed recipient of [`sealed_box_open`], from [`SEALED_BOX_SECRET`].
pub fn sealed_box_recipient() -> X25519Secret {
    X25519Secret::from_bytes(SEALED_BOX_SECRET)
}

/// `mnemonic::decode` on the bytes read as UTF-8 (invalid sequences replaced).
///
/// If a phrase decodes, the canonical phrase of its seed must decode to the same seed and
/// consist of the same words as far as decoding can tell (the same lower-case 3-letter
/// prefixes), and `Seed::from_mnemonic` must agree.
pub fn mnemonic_decode(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(seed) = mnemonic::decode(&text) else {
        assert!(
            Seed::from_mnemonic(&text).is_err(),
            "from_mnemonic disagrees"
        );
        return;
    };
    let phrase = mnemonic::encode(&seed);
    let again = mnemonic::decode(phrase.as_str()).expect("a canonical phrase must decode");
    assert_eq!(*again, *seed, "re-encoded phrase decodes to another seed");

    let given: Vec<String> = text.split_whitespace().map(prefix).collect();
    let canonical: Vec<String> = phrase.words().map(prefix).collect();
    assert_eq!(given.len(), WORD_COUNT);
    assert_eq!(
        given, canonical,
        "decoding accepted other words than its seed's"
    );

    let from_phrase = Seed::from_mnemonic(&text).expect("from_mnemonic disagrees");
    assert_eq!(from_phrase.recovery_bytes(), Some(&*seed));
}

/// The first three characters of a word, lower-cased: what identifies it in the list.
fn prefix(word: &str) -> String {
    word.to_lowercase().chars().take(3).collect()
}

/// `SessionId::from_bytes` on the bytes, and `SessionId::parse_hex` (with `FromStr` and
/// `TryFrom<&str>`) on them if they are UTF-8.
///
/// A successful parse must write back to the input: the same 33 bytes, or the input hex in
/// lower case. Text that is 66 hex digits must parse exactly as its decoded bytes do.
pub fn session_id_parse(data: &[u8]) {
    if let Ok(id) = SessionId::from_bytes(data) {
        assert_eq!(id.to_bytes().as_slice(), data, "bytes do not round-trip");
        assert_eq!(SessionId::parse_hex(&id.to_string()), Ok(id));
    }
    if let Ok(id) = SessionId::try_from(data) {
        assert_eq!(
            SessionId::from_bytes(data),
            Ok(id),
            "TryFrom<&[u8]> disagrees"
        );
    }

    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    let parsed = SessionId::parse_hex(text);
    assert_eq!(text.parse::<SessionId>(), parsed, "FromStr disagrees");
    assert_eq!(SessionId::try_from(text), parsed, "TryFrom<&str> disagrees");
    if let Ok(id) = parsed {
        assert_eq!(
            id.to_string(),
            text.to_ascii_lowercase(),
            "text does not round-trip"
        );
        assert_eq!(SessionId::from_bytes(&id.to_bytes()), Ok(id));
    }
    if text.len() == 66
        && let Ok(bytes) = hex::decode(text)
    {
        assert_eq!(
            parsed,
            SessionId::from_bytes(&bytes),
            "hex and bytes forms disagree"
        );
    }
}

/// `Seed::from_hex` on the bytes read as UTF-8 (invalid sequences replaced), and
/// `Seed::from_slice` on the bytes.
///
/// An accepted seed must hold exactly the bytes given: 16 bytes are a recovery seed whose
/// phrase restores it, 32 an Ed25519 seed (whose libsodium 64-byte secret key is accepted
/// too), 64 a seed and its own public key. Other lengths must be refused.
pub fn seed_from_hex(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(seed) = Seed::from_hex(&text) {
        let bytes = hex::decode(text.trim()).expect("from_hex accepted text that is not hex");
        check_seed(&seed, &bytes);
    }
    match Seed::from_slice(data) {
        Ok(seed) => check_seed(&seed, data),
        Err(_) => assert!(
            data.len() != RECOVERY_SEED_LEN && data.len() != 32,
            "from_slice refused {} bytes",
            data.len()
        ),
    }
}

/// Checks that `seed` is what `bytes` describe (see [`seed_from_hex`]).
fn check_seed(seed: &Seed, bytes: &[u8]) {
    match bytes.len() {
        RECOVERY_SEED_LEN => {
            assert_eq!(seed.recovery_bytes().map(|b| b.as_slice()), Some(bytes));
            assert_eq!(&seed.ed25519_seed().expose_secret()[..16], bytes);
            assert_eq!(seed.ed25519_seed().expose_secret()[16..], [0; 16]);
            let phrase = seed.mnemonic().expect("a 16-byte seed has a phrase");
            let restored = Seed::from_mnemonic(phrase.as_str()).expect("its phrase decodes");
            assert!(restored == *seed, "phrase does not restore the seed");
        }
        32 => {
            assert!(seed.recovery_bytes().is_none() && seed.mnemonic().is_none());
            assert_eq!(seed.ed25519_seed().expose_secret().as_slice(), bytes);
            let secret_key = seed.keypair().libsodium_secret_key();
            let from_key = Seed::from_slice(secret_key.as_slice())
                .expect("the seed's own libsodium secret key is accepted");
            assert!(from_key == *seed, "secret key gives another seed");
        }
        64 => {
            assert!(seed.recovery_bytes().is_none());
            assert_eq!(seed.ed25519_seed().expose_secret().as_slice(), &bytes[..32]);
            assert_eq!(seed.keypair().ed25519_public().as_slice(), &bytes[32..]);
        }
        n => panic!("a seed of {n} bytes was accepted"),
    }
}

/// `sealed_box::open` of the bytes with [`sealed_box_recipient`]: never panics, refuses
/// inputs shorter than the overhead as too short, and returns exactly the rest of the
/// bytes' length when the tag verifies.
pub fn sealed_box_open(data: &[u8]) {
    let recipient = sealed_box_recipient();
    match sealed_box::open(&recipient, data) {
        Ok(plaintext) => assert_eq!(plaintext.len() + OVERHEAD, data.len()),
        Err(session_crypto::Error::CiphertextTooShort { minimum, found }) => {
            assert_eq!((minimum, found), (OVERHEAD, data.len()));
            assert!(data.len() < OVERHEAD);
        }
        Err(e) => {
            assert_eq!(e, session_crypto::Error::DecryptionFailed);
            assert!(data.len() >= OVERHEAD);
        }
    }
}

/// `session_bt::decode` (and `decode_prefix`) on the bytes.
///
/// An accepted document is canonical: rebuilding it from the tree gives back exactly the
/// input, the root's raw span is the whole input, and every nested value's and key's span
/// sits at its recorded offset. A refused one reports an offset inside the input (or just
/// past it), and a prefix decode agrees with the full decode up to trailing bytes.
pub fn bt_decode(data: &[u8]) {
    match session_bt::decode(data) {
        Ok(value) => {
            let mut again = Vec::with_capacity(data.len());
            session_bt::write_value(&mut again, &value);
            assert_eq!(again, data, "accepted input is not canonical");
            assert_eq!(value.raw(), data);
            check_spans(&value, data);
        }
        Err(e) => {
            assert!(e.offset() <= data.len(), "error offset past the input");
            if let Ok((value, used)) =
                session_bt::decode_prefix(data, &session_bt::Limits::default())
            {
                assert_eq!(e.kind(), session_bt::DecodeErrorKind::TrailingBytes);
                assert_eq!((e.offset(), value.raw().len()), (used, used));
            }
        }
    }
}

/// Checks that `value` and everything in it sit at their offsets in `input`.
fn check_spans(value: &session_bt::Value<'_>, input: &[u8]) {
    let start = value.offset();
    assert_eq!(
        input.get(start..start + value.raw().len()),
        Some(value.raw())
    );
    match value.kind() {
        session_bt::Kind::List(items) => items.iter().for_each(|v| check_spans(v, input)),
        session_bt::Kind::Dict(dict) => {
            for entry in dict.entries() {
                let prefix = format!("{}:", entry.key().len());
                let key_at = &input[entry.key_offset()..];
                assert!(key_at.starts_with(prefix.as_bytes()));
                assert!(key_at[prefix.len()..].starts_with(entry.key()));
                check_spans(entry.value(), input);
            }
        }
        _ => {}
    }
}
