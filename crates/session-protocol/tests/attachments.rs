//! Attachment and avatar encryption: known answers, every failure with its own error, and
//! round trips.

use proptest::prelude::*;
use rand::SeedableRng;
use session_crypto::{Ed25519Seed, SymmetricKey};
use session_protocol::attachment::deterministic::{self, Domain};
use session_protocol::attachment::{
    self, AttachmentError, AttachmentKey, Padding, avatar, cbc_hmac, padding,
};
use sha2::{Digest, Sha256};

/// session-desktop `ts/test/session/unit/crypto/LegacyAttachmentDecrypt_test.ts` (commit
/// `af6fdefd5baf3355bdf4d9b05865f80145b20a9a`): produced outside desktop, it pins the wire
/// format of the default scheme. Key `0x11 x 32 || 0x22 x 32`, IV `0x33 x 16`, plaintext
/// "legacy attachment payload" zero-padded to 541 bytes.
mod desktop_vector {
    pub(crate) const PLAINTEXT: &[u8] = b"legacy attachment payload";
    pub(crate) const PADDED_SIZE: usize = 541;
    pub(crate) const DIGEST: &str =
        "ee65e6417b452d017a4d8e2ce984883c1f7dc8d920d7551f0e2d2af7606bd9a9";
    pub(crate) const BLOB: &str = concat!(
        "333333333333333333333333333333330ee1ed4f89c70232caed52b8765365ff",
        "e904557d3c61038c97bdb5bee3189fc6f53aac97422dc92d8693c0a72b3aa362",
        "01d1bd3a6dd6164a09154ae87aa95888066a80449e211fc64a69c04b0f9ddce0",
        "2f144fbea3a731ded616d0436b2fd6ec908f89ebf85d15bad69bdaa66827f0b3",
        "484b7425d383f7136e3c911881731c043863f49f5ada6f85f8fa456efd08a2db",
        "8c7b510cb04a225035db36e21660f5274939dc09639ffd30cc36ac9fc8776761",
        "5a93ab017c028a8bdf2dd7ef48c245b846c7cd4942866d77b056a2a59924d426",
        "4d1e1d23b8c5ed598f23ada8a905c5579383581203db2c5f60c434551992162f",
        "b9f36105a91515c5472105c64f3c111a16c745bbca3e810460319b3124c430ca",
        "3d87f4fd9400502cd62d7e782ee5eebf4656f4acd84a9ae964e0f40804dea71d",
        "675eb620a2659094b52a3bdf9b36c8ac66ffcbbb129749e5394eabf4b8708249",
        "12cf7966797621b0ca073baf66d500d5589649b89d5298855471178c724907d2",
        "5e5812ea7cbf4d9fdf19319eeba03b491cf2857a388ef861ea11e83876d43751",
        "fbbc80aaf205e5d937e9dcc046f9aaf3ee56b6a627a5a474e1ac5cde5a12e52a",
        "fd23fcdadeb591aa06f374bd84edf8a5d61151df711ed8fbded86f0b23c28ef4",
        "414b99d422c4bf95f30f1f18b274c42d9e61a48f63a754d100c7bf64fc88f469",
        "407560f167919c9d5f10d5a343dff87e753ab281e57073fce95481d2b8c4da0e",
        "5f0d13c67d802c1733c232e3d520f38a4f9d5a43c6ce60843288322b883d7d24",
        "796efd75c676cb02a5b6148ea737534d",
    );

    pub(crate) fn key() -> super::AttachmentKey {
        let mut bytes = [0x11; 64];
        bytes[32..].fill(0x22);
        super::AttachmentKey::from_bytes(bytes)
    }
}

fn blob() -> Vec<u8> {
    hex::decode(desktop_vector::BLOB).expect("hex")
}

fn digest() -> Vec<u8> {
    hex::decode(desktop_vector::DIGEST).expect("hex")
}

#[test]
fn desktop_known_answer_decrypts() {
    let key = desktop_vector::key();
    let plain =
        attachment::decrypt(&blob(), &key, &digest(), desktop_vector::PLAINTEXT.len()).unwrap();
    assert_eq!(plain, desktop_vector::PLAINTEXT);

    // Asked for the padded size, the zero padding comes back too.
    let padded =
        attachment::decrypt(&blob(), &key, &digest(), desktop_vector::PADDED_SIZE).unwrap();
    assert_eq!(
        &padded[..desktop_vector::PLAINTEXT.len()],
        desktop_vector::PLAINTEXT
    );
    assert!(
        padded[desktop_vector::PLAINTEXT.len()..]
            .iter()
            .all(|&b| b == 0)
    );
    assert_eq!(padded.len(), desktop_vector::PADDED_SIZE);
    println!("vectors: session-desktop LegacyAttachmentDecrypt_test.ts [attachment]: 1 cases");
}

#[test]
fn desktop_known_answer_encrypts_byte_for_byte() {
    let sealed = attachment::encrypt_with(
        desktop_vector::key(),
        &[0x33; 16],
        desktop_vector::PLAINTEXT,
        Padding::Desktop,
    );
    assert_eq!(hex::encode(&sealed.data), desktop_vector::BLOB);
    assert_eq!(hex::encode(sealed.digest), desktop_vector::DIGEST);
    assert_eq!(sealed.size, desktop_vector::PLAINTEXT.len());
    assert_eq!(
        padding::padded_size(sealed.size),
        desktop_vector::PADDED_SIZE
    );
}

#[test]
fn tampering_any_byte_is_a_mac_error() {
    let key = desktop_vector::key();
    let original = blob();
    for index in 0..original.len() {
        for flip in [0x01, 0x80] {
            let mut tampered = original.clone();
            tampered[index] ^= flip;
            assert_eq!(
                attachment::decrypt(&tampered, &key, &digest(), 25),
                Err(AttachmentError::MacMismatch),
                "byte {index}"
            );
        }
    }
    // Truncating or extending also breaks the MAC.
    let shorter = &original[..original.len() - 1];
    assert_eq!(
        attachment::decrypt(shorter, &key, &digest(), 25),
        Err(AttachmentError::MacMismatch)
    );
    let longer = [&original[..], &[0]].concat();
    assert_eq!(
        attachment::decrypt(&longer, &key, &digest(), 25),
        Err(AttachmentError::MacMismatch)
    );
    // So does the wrong key, in either half.
    let mut bytes = *key.to_bytes();
    bytes[40] ^= 1;
    assert_eq!(
        attachment::decrypt(&original, &AttachmentKey::from_bytes(bytes), &digest(), 25),
        Err(AttachmentError::MacMismatch)
    );
}

#[test]
fn digest_failures_are_distinct() {
    let key = desktop_vector::key();
    let mut wrong = digest();
    wrong[31] ^= 1;
    assert_eq!(
        attachment::decrypt(&blob(), &key, &wrong, 25),
        Err(AttachmentError::DigestMismatch)
    );
    assert_eq!(
        attachment::decrypt(&blob(), &key, &[0; 32], 25),
        Err(AttachmentError::DigestMismatch)
    );
    assert_eq!(
        attachment::decrypt(&blob(), &key, &[], 25),
        Err(AttachmentError::MissingDigest)
    );
    assert_eq!(
        attachment::decrypt(&blob(), &key, &digest()[..16], 25),
        Err(AttachmentError::DigestLength { found: 16 })
    );
    // The MAC is checked first: a tampered blob with a wrong digest is a MAC error.
    let mut tampered = blob();
    tampered[20] ^= 1;
    assert_eq!(
        attachment::decrypt(&tampered, &key, &wrong, 25),
        Err(AttachmentError::MacMismatch)
    );
}

#[test]
fn size_truncation() {
    let key = desktop_vector::key();
    for size in [0, 1, 24, 25, 26, 540, 541] {
        let plain = attachment::decrypt(&blob(), &key, &digest(), size).unwrap();
        assert_eq!(plain.len(), size);
    }
    assert_eq!(
        attachment::decrypt(&blob(), &key, &digest(), 542),
        Err(AttachmentError::SizeMismatch {
            size: 542,
            available: 541
        })
    );
    let mut buffer = blob();
    assert_eq!(
        attachment::decrypt_in_place(&mut buffer, &key, &digest(), 542),
        Err(AttachmentError::SizeMismatch {
            size: 542,
            available: 541
        })
    );
    let mut buffer = blob();
    attachment::decrypt_in_place(&mut buffer, &key, &digest(), 25).unwrap();
    assert_eq!(buffer, desktop_vector::PLAINTEXT);
}

#[test]
fn too_short() {
    let key = desktop_vector::key();
    for len in [0, 1, 47] {
        assert_eq!(
            attachment::decrypt(&vec![0; len], &key, &digest(), 0),
            Err(AttachmentError::TooShort {
                minimum: cbc_hmac::MIN_LEN,
                found: len
            })
        );
    }
}

#[test]
fn unpadded_encryption_for_link_previews() {
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
    let sealed = attachment::encrypt(&mut rng, b"preview", Padding::None);
    assert_eq!(sealed.data.len(), 16 + 16 + 32);
    let plain = attachment::decrypt(&sealed.data, &sealed.key, &sealed.digest, 7).unwrap();
    assert_eq!(plain, b"preview");
    assert_eq!(
        Sha256::digest(&sealed.data).as_slice(),
        sealed.digest.as_slice()
    );
}

/// libsession's deterministic attachments, rebuilt independently with the system libsodium
/// 1.0.18 (through ctypes: `crypto_generichash_blake2b_salt_personal` for the key and header,
/// `crypto_secretstream_xchacha20poly1305_init_pull` + `push` for the chunks, libsession's
/// padding rule, data `i * 7 % 256` as in libsession's tests): key, size, SHA-256 of the
/// whole output, and its first 64 bytes.
const LIBSODIUM_ATTACHMENTS: [(&str, usize, Domain, &str, usize, &str, &str); 5] = [
    (
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        0,
        Domain::Attachment,
        "c811e82fa9a353e0e9814faaa362e3563af2ba3300d31d6e7ea8319b4b17b8d5",
        4096,
        "28ca9a9e248a6bb759a44e4a9921d46313fa8a7ff4887120af8f15c1fcc803b9",
        "5357aaa43118daae1b068b7b2cfea7fbf2bc32ca4d99003ec088efc0ce8e510b\
         77d4c5b4d21a53bda421b3019db744f2ffcc5585ece55d0e759c6c7442c5d5fe",
    ),
    (
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        100,
        Domain::Attachment,
        "6bc2549f32011221c4c9f3efc94c296e03da1b3a2c765ee10ee2fbe8bee4922d",
        4096,
        "f70622a96fa99f0bcd9b9a1768f2f19d5a09ce89129432800edaccbf03e457dc",
        "53399eb75287599f19e44625aa7d62558d41b273acb4757ce8664f4bc0e8c4cb\
         14871a38ffc5a1c68401857b6bec0f5512560a67ac858d7da515ce014e2bcbed",
    ),
    (
        "2123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        1000,
        Domain::ProfilePicture,
        "23e9ec57e5dbadba3820b874c7d9aa86f14fa145515828630c43cc648c46b95e",
        4096,
        "b30fbde0a836be6a7e59f529a81567025e23805c20a39cf93b2d30393f4343d7",
        "53efaecaf58270241d088fb050cf1e2eaf8f0de6bed9e518a82acb4796fc2aaf\
         340c9172bfe593cf940ad7eb03b24cc46511b19b6584d175b8a15e0f79f2d7e1",
    ),
    (
        "4123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        33333,
        Domain::Attachment,
        "a28dd7d4f0cbc1938b7324e40100f78b5b2287b462935aba044efd31322e4f94",
        36864,
        "8c4ec7c8c1795aaa0aa50b733a7e308c6ba8a6de4a201fded1436f14ce2bbd4a",
        "53a11a006e9a4a6fb01a6ff3bfa71b5c4b01c3d4a0274551683940153c5181ad\
         10ddc0e308a7a826765c4cf67318fe8ef32f04a877834f796a60d91d0fc7aaa1",
    ),
    (
        "3123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        100000,
        Domain::Attachment,
        "c7ca18a6d27092f34f4ffe9431dee23809abd2ba12203b8bb5842253264a40de",
        102400,
        "11f7797789da458d97a59f1baba5d5780260c6016924dae6954838fc94fab73c",
        "53bf42ebd4f73b92ec36d9555ff4273c8deca9a93e271a042059ae51deaacb1b\
         38c9bdaf4bcfd67f9c508e0fba730b562dc7408913b1d1e45f8944b21bb6313a",
    ),
];

fn libsession_test_data(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 256) as u8).collect()
}

fn seed(hex_seed: &str) -> Ed25519Seed {
    let bytes: [u8; 32] = hex::decode(hex_seed)
        .expect("hex")
        .try_into()
        .expect("32 bytes");
    Ed25519Seed::from_bytes(bytes)
}

#[test]
fn deterministic_matches_libsodium() {
    for (seed_hex, len, domain, key, size, sha, head) in LIBSODIUM_ATTACHMENTS {
        let data = libsession_test_data(len);
        let sealed = deterministic::encrypt(&seed(seed_hex), &data, domain).unwrap();
        assert_eq!(hex::encode(sealed.key.expose_secret()), key, "len {len}");
        assert_eq!(sealed.data.len(), size);
        assert_eq!(hex::encode(Sha256::digest(&sealed.data)), sha);
        assert_eq!(hex::encode(&sealed.data[..64]), head);
        assert_eq!(
            deterministic::decrypt(&sealed.data, &sealed.key).unwrap(),
            data
        );
    }
    println!(
        "vectors: libsodium-built libsession attachments [deterministic]: {} cases",
        LIBSODIUM_ATTACHMENTS.len()
    );
}

#[test]
fn deterministic_separation_and_tampering() {
    let data = libsession_test_data(50_000);
    let a = deterministic::encrypt(&seed(LIBSODIUM_ATTACHMENTS[0].0), &data, Domain::Attachment)
        .unwrap();
    let again =
        deterministic::encrypt(&seed(LIBSODIUM_ATTACHMENTS[0].0), &data, Domain::Attachment)
            .unwrap();
    assert_eq!((a.data.clone(), &a.key), (again.data, &again.key));
    let other_domain = deterministic::encrypt(
        &seed(LIBSODIUM_ATTACHMENTS[0].0),
        &data,
        Domain::ProfilePicture,
    )
    .unwrap();
    assert_ne!(a.key, other_domain.key);
    let mut changed = data.clone();
    changed[43_210] = 0x42;
    let other_content = deterministic::encrypt(
        &seed(LIBSODIUM_ATTACHMENTS[0].0),
        &changed,
        Domain::Attachment,
    )
    .unwrap();
    assert_eq!(a.data.len(), other_content.data.len());
    assert_ne!(a.key, other_content.key);

    assert_eq!(
        deterministic::decrypt(&a.data, &other_domain.key),
        Err(AttachmentError::ChunkAuthentication)
    );
    for index in [
        25,
        26,
        1000,
        32_809,
        32_810,
        a.data.len() / 2,
        a.data.len() - 1,
    ] {
        let mut tampered = a.data.clone();
        tampered[index] ^= 1;
        assert_eq!(
            deterministic::decrypt(&tampered, &a.key),
            Err(AttachmentError::ChunkAuthentication),
            "byte {index}"
        );
    }
    let mut header = a.data.clone();
    header[5] ^= 1;
    assert_eq!(
        deterministic::decrypt(&header, &a.key),
        Err(AttachmentError::ChunkAuthentication)
    );
    let mut format = a.data.clone();
    format[0] = b'T';
    assert_eq!(
        deterministic::decrypt(&format, &a.key),
        Err(AttachmentError::UnknownFormat(b'T'))
    );
    // Dropping whole chunks: the last one carries FINAL, so the stream is cut short.
    let cut = a.data.len() - 17 - 1000;
    assert_eq!(
        deterministic::decrypt(&a.data[..cut], &a.key),
        Err(AttachmentError::ChunkAuthentication)
    );
    let one_chunk = 25 + deterministic::ENCRYPTED_CHUNK;
    assert_eq!(
        deterministic::decrypt(&a.data[..one_chunk], &a.key),
        Err(AttachmentError::Truncated)
    );
    let appended = [&a.data[..], &[0; 40]].concat();
    assert_eq!(
        deterministic::decrypt(&appended, &a.key),
        Err(AttachmentError::ChunkAuthentication)
    );
    assert_eq!(
        deterministic::decrypt(&a.data[..42], &a.key),
        Err(AttachmentError::TooShort {
            minimum: 43,
            found: 42
        })
    );
}

#[test]
fn avatars() {
    let key = avatar::profile_key(&[0x44; 32]).unwrap();
    let sealed = avatar::encrypt_with_iv(&key, &[0x55; 12], b"avatar").unwrap();
    assert_eq!(&sealed[..12], &[0x55; 12]);
    assert_eq!(sealed.len(), 12 + 6 + 16);
    assert_eq!(avatar::decrypt(&key, &sealed).unwrap(), b"avatar");
    let wrong = SymmetricKey::from_bytes([0x45; 32]);
    assert_eq!(
        avatar::decrypt(&wrong, &sealed),
        Err(AttachmentError::AvatarAuthentication)
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn default_scheme_round_trips(
        plaintext in proptest::collection::vec(any::<u8>(), 0..3000),
        seed in any::<u64>(),
        padded in any::<bool>(),
    ) {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(seed);
        let padding = if padded { Padding::Desktop } else { Padding::None };
        let sealed = attachment::encrypt(&mut rng, &plaintext, padding);
        prop_assert_eq!(sealed.size, plaintext.len());
        let plain = attachment::decrypt(&sealed.data, &sealed.key, &sealed.digest, sealed.size);
        prop_assert_eq!(plain.unwrap(), plaintext.clone());
        let mut buffer = sealed.data.clone();
        attachment::decrypt_in_place(&mut buffer, &sealed.key, &sealed.digest, sealed.size)
            .unwrap();
        prop_assert_eq!(&buffer, &plaintext);
        let index = seed as usize % sealed.data.len();
        let mut tampered = sealed.data.clone();
        tampered[index] ^= 1 << (seed % 8);
        prop_assert_eq!(
            attachment::decrypt(&tampered, &sealed.key, &sealed.digest, sealed.size),
            Err(AttachmentError::MacMismatch)
        );
    }

    #[test]
    fn deterministic_round_trips(
        plaintext in proptest::collection::vec(any::<u8>(), 0..70_000),
        seed_bytes in any::<[u8; 32]>(),
    ) {
        let seed = Ed25519Seed::from_bytes(seed_bytes);
        let sealed = deterministic::encrypt(&seed, &plaintext, Domain::Attachment).unwrap();
        prop_assert_eq!(sealed.data.len(), deterministic::encrypted_size(plaintext.len()));
        prop_assert!(
            deterministic::decrypted_max_size(sealed.data.len()).unwrap() >= plaintext.len()
        );
        prop_assert_eq!(deterministic::decrypt(&sealed.data, &sealed.key).unwrap(), plaintext);
    }

    #[test]
    fn avatar_round_trips(
        plaintext in proptest::collection::vec(any::<u8>(), 1..2000),
        key in any::<[u8; 32]>(),
        seed in any::<u64>(),
    ) {
        let key = SymmetricKey::from_bytes(key);
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(seed);
        let sealed = avatar::encrypt(&mut rng, &key, &plaintext).unwrap();
        prop_assert_eq!(avatar::decrypt(&key, &sealed).unwrap(), plaintext);
    }
}
