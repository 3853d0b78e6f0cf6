//! Runs the built `session-cli` binary on `message` and `attachment` commands: round trips
//! between two accounts, determinism with `--eph-seed`, agreement with the library pipeline
//! (and, for the legacy format, with an independent implementation), and tampering.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

mod common;

use common::ok;
use serde_json::{Map, Value};
use session::Seed;
use session::protocol::envelope::{self, EnvelopeFormat};
use session::protocol::message::{Message, VisibleMessage};
use session::protocol::outgoing;

/// Alice: the libsession recovery phrase used across the CLI tests.
const ALICE_PHRASE: &str =
    "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi";
const ALICE_SEED: &str = "39038c8988db02c1af44e8c847bd9713";
const ALICE_ID: &str = "054830367d369d94605247999a375dbd0a0f65fdec5de1535612bcb6d4de452c69";
/// Bob: a 32-byte seed from libsession's blinding tests.
const BOB_SEED: &str = "fecd9a6034bc9aba273925dee7062b123334587c3c6257341afae2d7fe85e122";
const BOB_ID: &str = "05fe94b7ad4b7f1cc1bb92671f1f0d243f226e115b33770465e82b503fc3e96e1f";
/// Carol, who is sent nothing.
const CAROL_SEED: &str = "0123456789abcdef0123456789abcdef";

const TIMESTAMP: &str = "1700000000000";
const TIMESTAMP_MS: u64 = 1_700_000_000_000;
const EPH_SEED: &str = "1111111111111111111111111111111111111111111111111111111111111111";

/// `message encrypt --seed ALICE_SEED --to BOB_ID --text hello --timestamp TIMESTAMP
/// --eph-seed EPH_SEED --format legacy`, as computed by an independent implementation of
/// the legacy send path (Python: protobuf fields and padding written by hand, Ed25519 and
/// X25519 from `cryptography`, HSalsa20/XSalsa20 written from the Salsa20 specification,
/// Poly1305 from `cryptography`, nonce and hash with `hashlib.blake2b`).
const LEGACY_KNOWN_DATA: &str = concat!(
    "CAES1gIKA1BVVBIPL2FwaS92MS9tZXNzYWdlGrsCCAYogNCV/7wxQq8CekbhKf2AUEdEhDfkdE8fFXa+jESf31fgxYDT",
    "bFz8Zmg7nOpUe8V6X0gHpQsknCUpu0PeRnSo2u4OPr+nc95rsoS0C1Uqe382GttQpCPBfp673d5YK0aQ5vUrN3UbXWQA",
    "uIhxHM5W8twmFfANZqCJ8EL22vigfLoisVce99nuH/KSz79SZhsNe7B9lzU9h/yYhWFCFnXkCceBjooGV4YNQk0z5MdB",
    "zZwDts9kzyouNuIQsEoiJ3lVQ7Sh7j6UcyQVoM6N7zyvP7xQmU/JLFuq1dvTMycK4Zc3tqFHHNL2SPEd+mglw8WQsBkJ",
    "9CY/6RNyvWMNLKM6ajiO/4t2YMkTRKw9NDJ02J5i9vZRTwZELJ3MHXBgxLsmhEujo9IcLUcN8z4yO5xHBjexl1rJXIoJ",
    "IAA=",
);
const LEGACY_KNOWN_CONTENT: &str = "0a070a0568656c6c6f600068007880d095ffbc31";
const LEGACY_KNOWN_HASH: &str = "2zSbQQfIou1BQYI7bfqBXaX4c1ptFIS1iUUqAX4koZc";

fn encrypt(sender: &[&str], to: &str, text: &str, extra: &[&str]) -> Map<String, Value> {
    let mut args = vec!["message", "encrypt"];
    args.extend_from_slice(sender);
    args.extend_from_slice(&["--to", to, "--text", text, "--timestamp", TIMESTAMP]);
    args.extend_from_slice(extra);
    ok(&args)
}

fn decrypt_args<'a>(recipient: &[&'a str], data: &'a str) -> Vec<&'a str> {
    let mut args = vec!["message", "decrypt"];
    args.extend_from_slice(recipient);
    args.extend_from_slice(&["--data", data]);
    args
}

#[test]
fn encrypt_then_decrypt_between_two_accounts() {
    for format in ["current", "legacy"] {
        let sent = encrypt(
            &["--mnemonic", ALICE_PHRASE],
            BOB_ID,
            "hello Bob",
            &["--format", format],
        );
        assert_eq!(
            common::keys(&sent),
            ["content_hex", "data_base64", "envelope_hex", "hash"]
        );
        assert_eq!(common::field(&sent, "hash").len(), 43);

        let received = ok(&decrypt_args(
            &["--seed", BOB_SEED],
            common::field(&sent, "data_base64"),
        ));
        assert_eq!(
            common::keys(&received),
            [
                "content_hex",
                "format",
                "kind",
                "sender",
                "text",
                "timestamp"
            ]
        );
        assert_eq!(common::field(&received, "sender"), ALICE_ID);
        assert_eq!(received["timestamp"], Value::from(TIMESTAMP_MS));
        assert_eq!(common::field(&received, "format"), format);
        assert_eq!(common::field(&received, "kind"), "visible");
        assert_eq!(common::field(&received, "text"), "hello Bob");
        assert_eq!(
            common::field(&received, "content_hex"),
            common::field(&sent, "content_hex")
        );

        // And back, with the phrase on the receiving side.
        let reply = encrypt(
            &["--seed", BOB_SEED],
            ALICE_ID,
            "hi Alice 👋",
            &["--format", format],
        );
        let received = ok(&decrypt_args(
            &["--mnemonic", ALICE_PHRASE],
            common::field(&reply, "data_base64"),
        ));
        assert_eq!(common::field(&received, "sender"), BOB_ID);
        assert_eq!(common::field(&received, "text"), "hi Alice 👋");
    }
}

#[test]
fn eph_seed_makes_it_deterministic() {
    for format in ["current", "legacy"] {
        let extra = ["--format", format, "--eph-seed", EPH_SEED];
        let first = encrypt(&["--seed", ALICE_SEED], BOB_ID, "hello", &extra);
        let second = encrypt(&["--seed", ALICE_SEED], BOB_ID, "hello", &extra);
        assert_eq!(first, second, "{format}");
        // Without it, fresh randomness every time.
        let fresh = encrypt(
            &["--seed", ALICE_SEED],
            BOB_ID,
            "hello",
            &["--format", format],
        );
        assert_ne!(fresh["data_base64"], first["data_base64"]);
        assert_eq!(fresh["content_hex"], first["content_hex"]);
    }
    // The default format is the current one.
    assert_eq!(
        encrypt(
            &["--seed", ALICE_SEED],
            BOB_ID,
            "hello",
            &["--eph-seed", EPH_SEED]
        ),
        encrypt(
            &["--seed", ALICE_SEED],
            BOB_ID,
            "hello",
            &["--eph-seed", EPH_SEED, "--format", "current"]
        )
    );
}

#[test]
fn output_is_the_library_pipeline() {
    let alice = Seed::from_hex(ALICE_SEED).unwrap().keypair();
    let bob = BOB_ID.parse().unwrap();
    let eph_seed: [u8; 32] = hex::decode(EPH_SEED).unwrap().try_into().unwrap();
    // The decoy rule the README documents.
    let decoy: [u8; 64] = session::crypto::blake2b::hash_keyed::<64, 24>(
        b"session-cli proSig decoy",
        &[eph_seed.as_slice()],
    );
    for (name, format) in [
        ("current", EnvelopeFormat::Current),
        ("legacy", EnvelopeFormat::Legacy),
    ] {
        let cli = encrypt(
            &["--seed", ALICE_SEED],
            BOB_ID,
            "hello",
            &["--format", name, "--eph-seed", EPH_SEED],
        );
        let message = Message::new(VisibleMessage::text("hello"), TIMESTAMP_MS);
        let lib = outgoing::encrypt_with_seed(
            &message,
            &alice,
            &bob,
            TIMESTAMP_MS,
            format,
            &eph_seed,
            &decoy,
        )
        .unwrap();
        assert_eq!(
            common::field(&cli, "data_base64"),
            lib.data_base64,
            "{name}"
        );
        assert_eq!(
            common::field(&cli, "content_hex"),
            hex::encode(&lib.content)
        );
        assert_eq!(
            common::field(&cli, "envelope_hex"),
            hex::encode(&lib.envelope)
        );
        assert_eq!(common::field(&cli, "hash"), lib.hash);
        // `envelope_hex` is the body of the stored WebSocketMessage.
        let stored = envelope::from_base64(common::field(&cli, "data_base64")).unwrap();
        let envelope = hex::decode(common::field(&cli, "envelope_hex")).unwrap();
        assert!(stored.ends_with(&[&envelope[..], &[0x20, 0x00]].concat()));

        if format == EnvelopeFormat::Legacy {
            assert_eq!(common::field(&cli, "data_base64"), LEGACY_KNOWN_DATA);
            assert_eq!(common::field(&cli, "content_hex"), LEGACY_KNOWN_CONTENT);
            assert_eq!(common::field(&cli, "hash"), LEGACY_KNOWN_HASH);
        }
    }
}

#[test]
fn tampered_or_misaddressed_messages_fail() {
    for format in ["current", "legacy"] {
        let sent = encrypt(
            &["--seed", ALICE_SEED],
            BOB_ID,
            "hello",
            &["--format", format, "--eph-seed", EPH_SEED],
        );
        let data = common::field(&sent, "data_base64");
        let stored = envelope::from_base64(data).unwrap();
        let envelope = hex::decode(common::field(&sent, "envelope_hex")).unwrap();
        let envelope_start = stored.len() - 2 - envelope.len();
        // Bytes of the envelope's type and timestamp, and of the sealed box: one near its
        // start, the middle of the data and its last byte (before the proSig in the current
        // format).
        let sealed_end = match format {
            "current" => stored.len() - 2 - 66,
            _ => stored.len() - 2,
        };
        for position in [
            envelope_start + 1,
            envelope_start + 4,
            envelope_start + 20,
            stored.len() / 2,
            sealed_end - 1,
        ] {
            let mut tampered = stored.clone();
            tampered[position] ^= 0x01;
            let message = common::fails(
                &decrypt_args(&["--seed", BOB_SEED], &envelope::to_base64(&tampered)),
                1,
                &[BOB_SEED, "hello"],
            );
            assert!(!message.is_empty(), "{format} byte {position}");
        }

        let message = common::fails(
            &decrypt_args(&["--seed", CAROL_SEED], data),
            1,
            &[CAROL_SEED],
        );
        assert_eq!(
            message,
            "the message is not addressed to this account, or was altered"
        );
        // The sender cannot read what it sealed to Bob either.
        common::fails(
            &decrypt_args(&["--mnemonic", ALICE_PHRASE], data),
            1,
            &["puffin"],
        );
        common::fails(&decrypt_args(&["--seed", BOB_SEED], "not base64!"), 1, &[]);
        common::fails(
            &decrypt_args(&["--seed", BOB_SEED], &data[..data.len() - 8]),
            1,
            &[],
        );
    }
}

#[test]
fn other_kinds_are_named_and_have_no_text() {
    use session::protocol::message::{ReadReceipt, TypingAction};

    let alice = Seed::from_hex(ALICE_SEED).unwrap().keypair();
    let bob = BOB_ID.parse().unwrap();
    for (message, kind) in [
        (
            Message::typing(TypingAction::Started, TIMESTAMP_MS),
            "typing",
        ),
        (
            Message::new(ReadReceipt::new(vec![TIMESTAMP_MS - 1]), TIMESTAMP_MS),
            "read_receipt",
        ),
        (
            Message::new(VisibleMessage::default(), TIMESTAMP_MS),
            "visible",
        ),
    ] {
        let sent = outgoing::encrypt_with_seed(
            &message,
            &alice,
            &bob,
            TIMESTAMP_MS,
            EnvelopeFormat::Current,
            &[1; 32],
            &[2; 64],
        )
        .unwrap();
        let received = ok(&decrypt_args(&["--seed", BOB_SEED], &sent.data_base64));
        assert_eq!(common::field(&received, "kind"), kind);
        assert!(!received.contains_key("text"), "{kind}");
        assert_eq!(common::field(&received, "sender"), ALICE_ID);
        assert_eq!(
            common::field(&received, "content_hex"),
            hex::encode(&sent.content)
        );
    }
}

#[test]
fn bad_message_arguments() {
    let base = [
        "message",
        "encrypt",
        "--seed",
        ALICE_SEED,
        "--text",
        "hello",
        "--timestamp",
        TIMESTAMP,
    ];
    let with = |extra: &[&'static str]| -> Vec<&'static str> {
        base.iter().chain(extra).copied().collect()
    };
    let blinded = "15fe94b7ad4b7f1cc1bb92671f1f0d243f226e115b33770465e82b503fc3e96e1f";
    let message = common::fails(&with(&["--to", blinded]), 1, &[ALICE_SEED]);
    assert!(message.starts_with("--to must be a 05"), "{message}");
    common::fails(&with(&["--to", "05abcd"]), 1, &[ALICE_SEED]);

    let short_seed = "1111111111111111";
    let message = common::fails(
        &with(&["--to", BOB_ID, "--eph-seed", short_seed]),
        1,
        &[ALICE_SEED, short_seed],
    );
    assert_eq!(message, "--eph-seed must be 32 bytes of hex, got 8 bytes");
    let message = common::fails(
        &with(&["--to", BOB_ID, "--eph-seed", "secretsecret"]),
        1,
        &["secretsecret"],
    );
    assert_eq!(message, "--eph-seed is not valid hex");

    common::fails(&with(&["--to", BOB_ID, "--format", "v2"]), 2, &[ALICE_SEED]);
    common::fails(&with(&["--to", BOB_ID, "--timestamp", "soon"]), 2, &[]);
    // Unquoted text spilling into stray arguments is not repeated.
    common::fails(
        &[
            "message",
            "encrypt",
            "--seed",
            ALICE_SEED,
            "--to",
            BOB_ID,
            "--timestamp",
            TIMESTAMP,
            "--text",
            "private",
            "words",
        ],
        2,
        &["private", "words"],
    );
}

/// A path in the temporary directory that no other test (or test run) uses.
fn temp_path(name: &str) -> PathBuf {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!(
        "session-cli-test-{}-{n}-{name}",
        std::process::id()
    ))
}

/// Removes the files when dropped, even if the test fails.
struct TempFiles(Vec<PathBuf>);

impl Drop for TempFiles {
    fn drop(&mut self) {
        for path in &self.0 {
            let _ = std::fs::remove_file(path);
        }
    }
}

#[test]
fn attachment_round_trip_and_tampering() {
    let plain = temp_path("plain.bin");
    let sealed = temp_path("sealed.bin");
    let opened = temp_path("opened.bin");
    let tampered = temp_path("tampered.bin");
    let _cleanup = TempFiles(vec![
        plain.clone(),
        sealed.clone(),
        opened.clone(),
        tampered.clone(),
    ]);
    let contents: Vec<u8> = (0..3000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&plain, &contents).unwrap();
    let path = |p: &PathBuf| p.to_str().unwrap().to_owned();

    let encrypted = ok(&[
        "attachment",
        "encrypt",
        "--in",
        &path(&plain),
        "--out",
        &path(&sealed),
    ]);
    assert_eq!(
        common::keys(&encrypted),
        ["digest_hex", "encrypted_size", "key_hex", "size"]
    );
    let key = common::field(&encrypted, "key_hex").to_owned();
    let digest = common::field(&encrypted, "digest_hex").to_owned();
    assert_eq!(key.len(), 128);
    assert_eq!(digest.len(), 64);
    assert_eq!(encrypted["size"], Value::from(3000));
    let blob = std::fs::read(&sealed).unwrap();
    assert_eq!(encrypted["encrypted_size"], Value::from(blob.len()));
    // IV, the plaintext padded to desktop's bucket (3000 -> 3134) and PKCS#7 (3136), MAC.
    assert_eq!(blob.len(), 16 + 3136 + 32);
    // A fresh key every time.
    let again = ok(&[
        "attachment",
        "encrypt",
        "--in",
        &path(&plain),
        "--out",
        &path(&tampered),
    ]);
    assert_ne!(again["key_hex"], encrypted["key_hex"]);

    let size = "3000";
    let decrypt = |input: &PathBuf, key: &str, digest: &str, size: &str| {
        vec![
            "attachment".to_owned(),
            "decrypt".to_owned(),
            "--in".to_owned(),
            path(input),
            "--out".to_owned(),
            path(&opened),
            "--key".to_owned(),
            key.to_owned(),
            "--digest".to_owned(),
            digest.to_owned(),
            "--size".to_owned(),
            size.to_owned(),
        ]
    };
    let args = decrypt(&sealed, &key, &digest, size);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let decrypted = ok(&args);
    assert_eq!(common::keys(&decrypted), ["digest_hex", "size"]);
    assert_eq!(decrypted["size"], Value::from(3000));
    assert_eq!(common::field(&decrypted, "digest_hex"), digest);
    assert_eq!(std::fs::read(&opened).unwrap(), contents);

    // Every region of the blob: IV, ciphertext, MAC.
    std::fs::remove_file(&opened).unwrap();
    for position in [0, 15, 16, 1000, blob.len() - 33, blob.len() - 1] {
        let mut bad = blob.clone();
        bad[position] ^= 0x80;
        std::fs::write(&tampered, &bad).unwrap();
        let args = decrypt(&tampered, &key, &digest, size);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let message = common::fails(&args, 1, &[&key]);
        assert_eq!(message, "attachment MAC mismatch", "byte {position}");
        assert!(!opened.exists(), "nothing is written on failure");
    }

    // A wrong digest, key or size.
    let mut wrong_digest = hex::decode(&digest).unwrap();
    wrong_digest[0] ^= 1;
    let mut wrong_key = hex::decode(&key).unwrap();
    wrong_key[63] ^= 1;
    for (bad_key, bad_digest, bad_size, expected) in [
        (
            key.clone(),
            hex::encode(&wrong_digest),
            size,
            "attachment digest mismatch",
        ),
        (
            hex::encode(&wrong_key),
            digest.clone(),
            size,
            "attachment MAC mismatch",
        ),
        (
            key.clone(),
            digest.clone(),
            "4000",
            "attachment size 4000 exceeds the 3134 decrypted bytes",
        ),
        (
            key.clone(),
            digest[..62].to_owned(),
            size,
            "--digest must be 32 bytes of hex, got 31 bytes",
        ),
        (
            key[..126].to_owned(),
            digest.clone(),
            size,
            "--key must be 64 bytes of hex, got 63 bytes",
        ),
    ] {
        let args = decrypt(&sealed, &bad_key, &bad_digest, bad_size);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        assert_eq!(common::fails(&args, 1, &[&key, &bad_key]), expected);
    }

    let missing = temp_path("missing.bin");
    let message = common::fails(
        &[
            "attachment",
            "encrypt",
            "--in",
            &path(&missing),
            "--out",
            &path(&sealed),
        ],
        1,
        &[],
    );
    assert!(message.starts_with("cannot read"), "{message}");
}
