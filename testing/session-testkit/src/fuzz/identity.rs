//! The identity layer's decoders: recovery phrases, Session IDs, seeds and sealed boxes.

use session_crypto::sealed_box::{self, OVERHEAD};
use session_identity::mnemonic::{self, WORD_COUNT};
use session_identity::{RECOVERY_SEED_LEN, Seed, SessionId};

use super::sealed_box_recipient;

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
