//! Runs the built `session-cli` binary and checks its JSON contract.

mod common;

use common::{ok, run};
use serde_json::Value;

const PUFFIN: &str =
    "puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi";
const PUFFIN_SEED: &str = "39038c8988db02c1af44e8c847bd9713";

/// A 32-byte seed and its Session ID, from libsession's blinding tests.
const SEED32: &str = "fecd9a6034bc9aba273925dee7062b123334587c3c6257341afae2d7fe85e122";
const SEED32_ID: &str = "05fe94b7ad4b7f1cc1bb92671f1f0d243f226e115b33770465e82b503fc3e96e1f";
const SERVER: &str = "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789";
const SIGN_SERVER: &str = "777def0123456789abcdef0123456789abcdef0123456789abcdef0123456789";
const BLIND15_ID: &str = "15b74ed205f1f931e1bb1291183778a9456b835937d923b0f2e248aa3a44c07844";
const BLIND15_ID_NEG: &str = "15b74ed205f1f931e1bb1291183778a9456b835937d923b0f2e248aa3a44c078c4";
const BLIND25_ID: &str = "253b991dcbba44cfdb45d5b38880d95cff723309e3ece6fd01415ad5fa1dccc7ac";

/// Runs a command that must fail and returns its error message.
fn fails(args: &[&str], secrets: &[&str]) -> String {
    common::fails_with(args, secrets).1
}

fn is_hex(text: &str, bytes: usize) -> bool {
    text.len() == 2 * bytes && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn hex_of(text: &str) -> String {
    text.bytes().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn id_new_has_every_field_and_round_trips() {
    let new = ok(&["id", "new"]);
    // A `serde_json::Map` iterates in key order.
    let keys: Vec<_> = new.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "ed25519_pubkey",
            "mnemonic",
            "seed",
            "session_id",
            "x25519_pubkey"
        ]
    );
    assert_eq!(common::field(&new, "mnemonic").split(' ').count(), 13);
    assert!(is_hex(common::field(&new, "seed"), 16));
    assert!(is_hex(common::field(&new, "ed25519_pubkey"), 32));
    assert!(is_hex(common::field(&new, "x25519_pubkey"), 32));
    let id = common::field(&new, "session_id");
    assert!(is_hex(id, 33));
    assert_eq!(id, format!("05{}", common::field(&new, "x25519_pubkey")));

    assert_eq!(
        ok(&["id", "show", "--seed", common::field(&new, "seed")]),
        new
    );
    assert_eq!(
        ok(&["id", "show", "--mnemonic", common::field(&new, "mnemonic")]),
        new
    );
    assert_ne!(ok(&["id", "new"]), new);
}

#[test]
fn id_show_from_a_phrase() {
    let shown = ok(&["id", "show", "--mnemonic", PUFFIN]);
    assert_eq!(common::field(&shown, "mnemonic"), PUFFIN);
    assert_eq!(common::field(&shown, "seed"), PUFFIN_SEED);
    assert!(common::field(&shown, "session_id").starts_with("054830367d"));
    // Upper case and extra spaces are accepted.
    let shouted = format!("  {}  ", PUFFIN.to_uppercase().replace(' ', "   "));
    assert_eq!(ok(&["id", "show", "--mnemonic", &shouted]), shown);
    assert_eq!(
        ok(&["id", "show", "--seed", &PUFFIN_SEED.to_uppercase()]),
        shown
    );
}

#[test]
fn id_show_from_a_32_byte_seed_has_no_phrase() {
    let shown = ok(&["id", "show", "--seed", SEED32]);
    assert!(!shown.contains_key("mnemonic"));
    assert_eq!(common::field(&shown, "seed"), SEED32);
    assert_eq!(common::field(&shown, "session_id"), SEED32_ID);
    // A 16-byte seed zero-padded to 32 is the same account, but has no phrase.
    let padded = format!("{PUFFIN_SEED}{}", "00".repeat(16));
    let shown = ok(&["id", "show", "--seed", &padded]);
    assert!(!shown.contains_key("mnemonic"));
    assert_eq!(common::field(&shown, "seed"), padded);
    assert!(common::field(&shown, "session_id").starts_with("054830367d"));
}

#[test]
fn id_blind_with_a_secret() {
    let blinded = ok(&["id", "blind", "--server-pubkey", SERVER, "--seed", SEED32]);
    assert_eq!(blinded.len(), 2);
    assert_eq!(common::field(&blinded, "blind15_id"), BLIND15_ID);
    assert_eq!(common::field(&blinded, "blind25_id"), BLIND25_ID);
}

#[test]
fn id_blind_with_a_session_id() {
    let blinded = ok(&[
        "id",
        "blind",
        "--server-pubkey",
        SERVER,
        "--session-id",
        SEED32_ID,
    ]);
    assert_eq!(blinded.len(), 1);
    assert_eq!(
        blinded["blind15_ids"],
        serde_json::json!([BLIND15_ID, BLIND15_ID_NEG])
    );
}

#[test]
fn id_sign_blinded() {
    let message = hex_of("omg!");
    let expected = [
        (
            "blind15",
            "946725055399376ecebb605c79f845fbf689a47f98507c2a1f239516fd9c9104e19fe533631c27ba4e7444574f0e4f0f0d422b7256ed63681a3ab2fe7e040601",
        ),
        (
            "blind25",
            "322e280fbc3547c6b6512dbea4d60563d32acaa2df10d665c40a336c99fc3b8e4b13a7109dfdeadab2ab58b2cb314eb0510b947f43e5dfb6e0ce5bf1499d240f",
        ),
    ];
    for (scheme, signature) in expected {
        let signed = ok(&[
            "id",
            "sign",
            "--scheme",
            scheme,
            "--server-pubkey",
            SIGN_SERVER,
            "--seed",
            SEED32,
            "--message-hex",
            &message,
        ]);
        assert_eq!(common::field(&signed, "signature"), signature, "{scheme}");
        assert!(is_hex(common::field(&signed, "pubkey"), 32));
        // The pubkey is the blinded key of the blinded ID on that server.
        let blinded = ok(&[
            "id",
            "blind",
            "--server-pubkey",
            SIGN_SERVER,
            "--seed",
            SEED32,
        ]);
        let id = common::field(&blinded, &format!("{scheme}_id"));
        assert_eq!(&id[2..], common::field(&signed, "pubkey"));
    }
}

#[test]
fn id_sign_ed25519() {
    let seed = "4cb76fdc6d32278e3f83dbf608360ecc6b65727934b85d2fb86862ff98c46ab7";
    let signed = ok(&[
        "id",
        "sign",
        "--scheme",
        "ed25519",
        "--seed",
        seed,
        "--message-hex",
        &hex_of("hello"),
    ]);
    assert_eq!(
        common::field(&signed, "signature"),
        "e03b6e87a53d83f202f2501e9b52193dbe4a64c6503f88244948dee5327185011574589aa7b59bc9757f9b9c31b7be9c9212b92ac7c81e029ee21c338ee12405"
    );
    let shown = ok(&["id", "show", "--seed", seed]);
    assert_eq!(
        common::field(&signed, "pubkey"),
        common::field(&shown, "ed25519_pubkey")
    );
    // An empty message is a message.
    let empty = ok(&[
        "id",
        "sign",
        "--scheme",
        "ed25519",
        "--seed",
        seed,
        "--message-hex",
        "",
    ]);
    assert!(is_hex(common::field(&empty, "signature"), 64));
}

#[test]
fn id_qr_svg_file() {
    let dir = std::env::temp_dir().join(format!("session-cli-qr-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("id.svg");
    let path_text = path.to_str().unwrap();
    let out = ok(&["id", "qr", "--seed", SEED32, "--svg", path_text]);
    assert_eq!(common::field(&out, "session_id"), SEED32_ID);
    assert_eq!(common::field(&out, "svg"), path_text);
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(svg.starts_with("<?xml") || svg.starts_with("<svg"));
    assert!(svg.contains("</svg>"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn id_qr_on_stderr() {
    let out = run(&["id", "qr", "--session-id", SEED32_ID]);
    assert!(out.status.success());
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!({ "session_id": SEED32_ID, "svg": null })
    );
    let art = String::from_utf8(out.stderr).unwrap();
    assert!(art.contains('\u{2588}'));
    assert!(art.lines().count() > 10);
    // The same code from the account's phrase.
    let from_phrase = ok(&["id", "qr", "--mnemonic", PUFFIN]);
    assert!(common::field(&from_phrase, "session_id").starts_with("054830367d"));
}

#[test]
fn bad_phrases() {
    let twelve = PUFFIN.rsplit_once(' ').unwrap().0;
    let misspelt = PUFFIN.replace("zinger", "zxnger");
    let bad_checksum = PUFFIN.replace("zinger kiwi", "zinger zinger");
    for phrase in [twelve, &misspelt, &bad_checksum] {
        let message = fails(&["id", "show", "--mnemonic", phrase], &[phrase, "zxnger"]);
        assert!(message.contains("recovery phrase"), "{message}");
        fails(&["id", "qr", "--mnemonic", phrase], &[phrase, "zxnger"]);
        fails(
            &[
                "id",
                "blind",
                "--server-pubkey",
                SERVER,
                "--mnemonic",
                phrase,
            ],
            &[phrase, "zxnger"],
        );
    }
    // Unquoted, the phrase spills into stray arguments; none is echoed.
    let mut args = vec!["id", "show", "--mnemonic"];
    args.extend(PUFFIN.split(' '));
    let message = fails(&args, &PUFFIN.split(' ').collect::<Vec<_>>());
    assert!(message.contains("quote"), "{message}");
}

#[test]
fn bad_seeds() {
    let odd = &SEED32[1..];
    let short = &SEED32[..30];
    let long = format!("{SEED32}{SEED32}");
    let not_hex = format!("zz{}", &SEED32[2..]);
    for seed in [odd, short, &long, &not_hex, ""] {
        let secrets: &[&str] = if seed.is_empty() { &[] } else { &[seed] };
        let message = fails(&["id", "show", "--seed", seed], secrets);
        assert!(message.contains("--seed"), "{message}");
        fails(
            &[
                "id",
                "sign",
                "--scheme",
                "ed25519",
                "--seed",
                seed,
                "--message-hex",
                "00",
            ],
            secrets,
        );
    }
}

#[test]
fn bad_keys_and_ids() {
    for key in [&SERVER[1..], &SERVER[2..], "", "xyz"] {
        let message = fails(
            &["id", "blind", "--server-pubkey", key, "--seed", SEED32],
            &[SEED32],
        );
        assert!(message.contains("--server-pubkey"), "{message}");
    }
    let blinded = format!("15{}", &SEED32_ID[2..]);
    let message = fails(
        &[
            "id",
            "blind",
            "--server-pubkey",
            SERVER,
            "--session-id",
            &blinded,
        ],
        &[],
    );
    assert!(message.contains("05"), "{message}");
    fails(
        &[
            "id",
            "blind",
            "--server-pubkey",
            SERVER,
            "--session-id",
            &SEED32_ID[1..],
        ],
        &[],
    );
    fails(&["id", "qr", "--session-id", &blinded], &[]);
}

#[test]
fn bad_sign_arguments() {
    let base = ["id", "sign", "--seed", SEED32, "--message-hex", "00"];
    fn with<'a>(base: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
        base.iter().chain(extra).copied().collect()
    }
    for scheme in ["blind15", "blind25"] {
        let message = fails(&with(&base, &["--scheme", scheme]), &[SEED32]);
        assert!(message.contains("--server-pubkey"), "{message}");
    }
    fails(
        &with(&base, &["--scheme", "ed25519", "--server-pubkey", SERVER]),
        &[SEED32],
    );
    fails(&with(&base, &["--scheme", "blind16"]), &[SEED32]);
    fails(
        &[
            "id",
            "sign",
            "--scheme",
            "ed25519",
            "--seed",
            SEED32,
            "--message-hex",
            "0",
        ],
        &[SEED32],
    );
}

#[test]
fn usage_errors_are_json_too() {
    for args in [
        &[][..],
        &["id"],
        &["id", "bogus"],
        &["id", "show"],
        &["id", "show", "--seed", SEED32, "--mnemonic", PUFFIN],
        &["id", "blind", "--seed", SEED32],
        &["id", "show", "--seed", SEED32, "--frobnicate"],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        fails(args, &[SEED32, PUFFIN]);
    }
}

#[test]
fn help_and_version_exit_zero() {
    for args in [&["--help"][..], &["--version"], &["id", "sign", "--help"]] {
        let out = run(args);
        assert!(out.status.success(), "{args:?}");
        assert!(!out.stdout.is_empty());
    }
}
