//! Runs the built `session-cli` binary on the `group` commands: rekeys against the library,
//! loading keys as member and admin, decryption (and its refusal without the key),
//! subaccounts and request signatures.

// Tests: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::{fails, field, keys, ok};
use serde_json::{Value, json};
use session::crypto::Ed25519Seed;
use session::groups::subaccount::{self, AuthData, SubaccountFlags};
use session::groups::{GroupIdentity, GroupKeys};
use session::{Keypair, SessionId};

const GROUP_SEED: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const ALICE_SEED: &str = "fecd9a6034bc9aba273925dee7062b123334587c3c6257341afae2d7fe85e122";
const BOB_SEED: &str = "1111111111111111111111111111111111111111111111111111111111111111";
const CAROL_SEED: &str = "2222222222222222222222222222222222222222222222222222222222222222";
const T0: i64 = 1_700_000_000_000;

fn keypair(hex_seed: &str) -> Keypair {
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(hex_seed, &mut bytes).unwrap();
    Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes(bytes))
}

fn group() -> GroupIdentity {
    GroupIdentity::from_seed(&keypair(GROUP_SEED).ed25519_seed())
}

fn id(hex_seed: &str) -> String {
    keypair(hex_seed).session_id().to_string()
}

fn rekey(members: &[&str], generation: &str) -> serde_json::Map<String, Value> {
    let ids: Vec<String> = members.iter().map(|s| id(s)).collect();
    let mut args = vec![
        "group",
        "rekey",
        "--group-seed",
        GROUP_SEED,
        "--generation",
        generation,
    ];
    for member in &ids {
        args.extend_from_slice(&["--member", member]);
    }
    ok(&args)
}

#[test]
fn rekey_matches_the_library_and_is_deterministic() {
    let out = rekey(&[ALICE_SEED, BOB_SEED], "0");
    assert_eq!(
        keys(&out),
        ["group_id", "group_key_hex", "key_message_base64"]
    );
    assert_eq!(field(&out, "group_id"), group().id().to_string());
    let mut admin = GroupKeys::new_admin(keypair(ALICE_SEED), group().keypair().clone()).unwrap();
    let made = admin
        .rekey(&[
            keypair(BOB_SEED).session_id(),
            keypair(ALICE_SEED).session_id(),
        ])
        .unwrap();
    assert_eq!(
        field(&out, "key_message_base64"),
        STANDARD.encode(&made.message)
    );
    assert_eq!(
        field(&out, "group_key_hex"),
        hex::encode(made.key.expose_secret())
    );
    // Same input (in any order): same output.
    assert_eq!(rekey(&[BOB_SEED, ALICE_SEED], "0"), out);
    assert_ne!(
        rekey(&[ALICE_SEED, BOB_SEED], "1")["group_key_hex"],
        out["group_key_hex"]
    );
}

#[test]
fn members_and_admins_load_keys_and_decrypt() {
    let gen0 = rekey(&[ALICE_SEED, BOB_SEED], "0");
    let gen1 = rekey(&[ALICE_SEED], "1");
    let m0 = format!("{}:hash0:{T0}", field(&gen0, "key_message_base64"));
    let m1 = format!("{}:hash1:{}", field(&gen1, "key_message_base64"), T0 + 1000);
    let group_id = group().id().to_string();
    let load = |seed: &str| {
        ok(&[
            "group",
            "load-keys",
            "--seed",
            seed,
            "--group-id",
            &group_id,
            "--key-message-base64",
            &m0,
            "--key-message-base64",
            &m1,
        ])
    };
    let (k0, k1) = (field(&gen0, "group_key_hex"), field(&gen1, "group_key_hex"));
    assert_eq!(
        load(ALICE_SEED),
        serde_json::from_value::<serde_json::Map<String, Value>>(json!({"keys_hex": [k1, k0]}))
            .unwrap()
    );
    assert_eq!(
        load(BOB_SEED)["keys_hex"],
        json!([k0]),
        "Bob was removed at generation 1"
    );
    assert_eq!(
        load(CAROL_SEED)["keys_hex"],
        json!([]),
        "Carol was never a member"
    );
    assert_eq!(
        load(GROUP_SEED)["keys_hex"],
        json!([k1, k0]),
        "the group seed reads as admin"
    );

    // A message under generation 1, from Alice: Alice and the admin read it, Bob cannot.
    let mut sender = GroupKeys::new_member(keypair(ALICE_SEED), *group().public_key()).unwrap();
    sender
        .load_key_message(
            "hash0",
            &STANDARD.decode(field(&gen0, "key_message_base64")).unwrap(),
            T0,
        )
        .unwrap();
    sender
        .load_key_message(
            "hash1",
            &STANDARD.decode(field(&gen1, "key_message_base64")).unwrap(),
            T0 + 1000,
        )
        .unwrap();
    let mut rng = getrandom::rand_core::UnwrapErr(getrandom::SysRng);
    let ciphertext = STANDARD.encode(
        sender
            .encrypt_message(&mut rng, b"group hello", true, 256)
            .unwrap(),
    );
    let decrypt = |seed: &str| {
        vec![
            "group".to_owned(),
            "decrypt".into(),
            "--seed".into(),
            seed.into(),
            "--group-id".into(),
            group_id.clone(),
            "--key-message-base64".into(),
            m0.clone(),
            "--key-message-base64".into(),
            m1.clone(),
            "--data-base64".into(),
            ciphertext.clone(),
        ]
    };
    for reader in [ALICE_SEED, GROUP_SEED] {
        let args = decrypt(reader);
        let out = ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(
            out,
            serde_json::from_value::<serde_json::Map<String, Value>>(json!({
                "sender": id(ALICE_SEED),
                "plaintext_hex": hex::encode(b"group hello"),
            }))
            .unwrap()
        );
    }
    let args = decrypt(BOB_SEED);
    let message = fails(
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
        1,
        &[BOB_SEED],
    );
    assert_eq!(message, "no group key decrypts this message (tried 1)");
}

#[test]
fn bad_key_messages_and_ids_are_refused() {
    let gen0 = rekey(&[ALICE_SEED], "0");
    let group_id = group().id().to_string();
    let mut data = STANDARD.decode(field(&gen0, "key_message_base64")).unwrap();
    let last = data.len() - 2;
    data[last] ^= 1;
    let tampered = format!("{}:h:{T0}", STANDARD.encode(&data));
    let message = fails(
        &[
            "group",
            "load-keys",
            "--seed",
            ALICE_SEED,
            "--group-id",
            &group_id,
            "--key-message-base64",
            &tampered,
        ],
        1,
        &[ALICE_SEED],
    );
    assert!(
        message.starts_with("--key-message-base64 #1: "),
        "{message}"
    );
    for bad in ["nocolons", "AAAA:h:notanumber", "AAAA::5"] {
        let message = fails(
            &[
                "group",
                "load-keys",
                "--seed",
                ALICE_SEED,
                "--group-id",
                &group_id,
                "--key-message-base64",
                bad,
            ],
            1,
            &[ALICE_SEED],
        );
        assert!(
            message.starts_with("--key-message-base64 #1 must be <base64>:<hash>:<timestamp_ms>"),
            "{message}"
        );
    }
    let message = fails(
        &[
            "group",
            "load-keys",
            "--seed",
            ALICE_SEED,
            "--group-id",
            &id(BOB_SEED),
            "--key-message-base64",
            "AAAA:h:1",
        ],
        1,
        &[ALICE_SEED],
    );
    assert_eq!(message, "--group-id must be a 03 ID, got prefix 05");
    fails(
        &[
            "group",
            "rekey",
            "--group-seed",
            GROUP_SEED,
            "--member",
            &group_id,
            "--generation",
            "0",
        ],
        1,
        &[GROUP_SEED],
    );
    fails(
        &[
            "group",
            "rekey",
            "--group-seed",
            GROUP_SEED,
            "--member",
            &id(ALICE_SEED),
            "--generation",
            "-1",
        ],
        2,
        &[GROUP_SEED],
    );
    let message = fails(
        &[
            "group",
            "rekey",
            "--group-seed",
            "abcd",
            "--member",
            &id(ALICE_SEED),
            "--generation",
            "0",
        ],
        1,
        &["abcd"],
    );
    assert_eq!(message, "--group-seed must be 32 bytes of hex, got 2 bytes");
}

#[test]
fn subaccounts_and_request_signatures() {
    let alice = keypair(ALICE_SEED);
    let member = alice.session_id();
    let group = group();
    for (extra, flags) in [
        (None, SubaccountFlags::MEMBER),
        (Some("--delete"), SubaccountFlags::new(true, true)),
    ] {
        let member_id = member.to_string();
        let mut args = vec![
            "group",
            "subaccount",
            "--group-seed",
            GROUP_SEED,
            "--member",
            &member_id,
        ];
        args.extend(extra);
        let out = ok(&args);
        assert_eq!(keys(&out), ["auth_data_hex", "token_hex"]);
        let auth = subaccount::make_auth_data(group.keypair(), &member, flags).unwrap();
        let token = subaccount::make_token(group.keypair(), &member, flags).unwrap();
        assert_eq!(field(&out, "auth_data_hex"), hex::encode(auth.as_bytes()));
        assert_eq!(field(&out, "token_hex"), hex::encode(token.0));
        assert_eq!(
            &field(&out, "token_hex")[..8],
            format!("03{:02x}0000", flags.0)
        );
    }

    let auth =
        subaccount::make_auth_data(group.keypair(), &member, SubaccountFlags::MEMBER).unwrap();
    let auth_hex = hex::encode(auth.as_bytes());
    let message = b"retrieve111700000000000";
    let out = ok(&[
        "group",
        "sign-request",
        "--seed",
        ALICE_SEED,
        "--auth-data-hex",
        &auth_hex,
        "--message-hex",
        &hex::encode(message),
    ]);
    assert_eq!(keys(&out), ["signature", "subaccount", "subaccount_sig"]);
    let expected = subaccount::sign(
        &alice,
        &AuthData::from_slice(auth.as_bytes()).unwrap(),
        message,
    )
    .unwrap();
    let [subaccount, subaccount_sig, signature] = expected.to_base64();
    assert_eq!(field(&out, "subaccount"), subaccount);
    assert_eq!(field(&out, "subaccount_sig"), subaccount_sig);
    assert_eq!(field(&out, "signature"), signature);
    // The signature verifies with the subaccount key, as the storage server checks it.
    let sig: [u8; 64] = STANDARD
        .decode(field(&out, "signature"))
        .unwrap()
        .try_into()
        .unwrap();
    session::crypto::ed25519::verify(&sig, &expected.subaccount.signing_key(), message).unwrap();

    let message = fails(
        &[
            "group",
            "sign-request",
            "--seed",
            ALICE_SEED,
            "--auth-data-hex",
            "00",
            "--message-hex",
            "00",
        ],
        1,
        &[ALICE_SEED],
    );
    assert_eq!(
        message,
        "--auth-data-hex must be 100 bytes of hex, got 1 bytes"
    );
    let _: SessionId = member;
}
