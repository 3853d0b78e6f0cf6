//! Replays the committed corpus of this crate's fuzz targets (`fuzz/corpus/config_*`, and
//! any crash cargo-fuzz saved in `fuzz/artifacts/`) on stable, and writes the seed corpus
//! (`cargo test -p session-config --test fuzz_corpus -- --ignored write_seed_corpus`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use session_testkit::corpus;

use session_config::fuzzing;
use session_config::user::{Contact, Contacts, UserProfile};
use session_config::{ConfigBase, ConfigKind, Ed25519Seed, Keypair};

const TARGETS: [(&str, corpus::Target); 5] = [
    ("config_message", fuzzing::config_message),
    ("config_merge", fuzzing::config_merge),
    ("config_decrypt_unwrap", fuzzing::decrypt_unwrap),
    ("config_multipart", fuzzing::multipart),
    ("config_user_load", fuzzing::user_config_load),
];

/// The key the pipeline targets decrypt with, and the seed the dump targets load with.
const KEY: [u8; 32] = [0x42; 32];

#[test]
fn corpus_replays_without_failures() {
    corpus::replay(&TARGETS);
}

/// The serialized messages of the libsession vectors (`config_message_serialize` cases).
fn vector_messages() -> Vec<Vec<u8>> {
    session_testkit::VectorFile::load("libsession/config_message.json")
        .cases()
        .iter()
        .filter_map(|case| case["expected_serialized_hex"].as_str())
        .map(|hex| hex::decode(hex).unwrap())
        .collect()
}

/// `pieces` joined with the `0xff 0x00` separator the multi-message targets cut at.
fn joined(pieces: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for (index, piece) in pieces.iter().enumerate() {
        if index > 0 {
            out.extend_from_slice(&[0xff, 0x00]);
        }
        out.extend_from_slice(piece);
    }
    out
}

/// Pushes of a profile encrypted with [`KEY`], as the pipeline target reads them.
fn profile_pushes() -> Vec<Vec<u8>> {
    let mut pushes = Vec::new();
    for name in ["Alice", "Bob"] {
        let mut base = ConfigBase::new(ConfigKind::USER_PROFILE);
        base.add_key(KEY, true);
        base.set(&[b"n"], Some(name.into())).unwrap();
        pushes.extend(base.push().unwrap().messages);
    }
    pushes
}

/// Dumps of user configs of the seed [`KEY`].
fn dumps() -> Vec<Vec<u8>> {
    let seed = Ed25519Seed::from_bytes(KEY);
    let mut profile = UserProfile::new(&seed);
    profile.set_name("Alice").unwrap();
    let mut contacts = Contacts::new(&seed);
    let friend = Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([7; 32])).session_id();
    let mut contact = Contact::new(friend);
    contact.name = "Friend".into();
    contact.approved = true;
    contacts.set(&contact).unwrap();
    vec![
        profile.base_mut().dump(),
        contacts.base_mut().dump(),
        b"d1:!i0e1:$0:1:(le1:)lee".to_vec(),
    ]
}

fn seeds(name: &str) -> Vec<Vec<u8>> {
    let messages = vector_messages();
    match name {
        "config_message" => {
            let mut seeds = messages;
            seeds.push(b"d1:#i0e1:&de1:<le1:=dee".to_vec());
            seeds
        }
        "config_merge" => vec![
            joined(&messages),
            joined(&messages[..2.min(messages.len())]),
        ],
        "config_decrypt_unwrap" => {
            let pushes = profile_pushes();
            vec![
                pushes[0].clone(),
                joined(&pushes),
                b"z\x28\xb5\x2f\xfd".to_vec(),
            ]
        }
        "config_multipart" => vec![
            joined(&[b"d1:#32:0123456789abcdef0123456789abcdef1:iI0e1:ni2e1:d3:abce".to_vec()]),
            b"m".to_vec(),
        ],
        "config_user_load" => dumps(),
        _ => Vec::new(),
    }
}

#[test]
#[ignore = "writes the seed corpus into fuzz/corpus"]
fn write_seed_corpus() {
    for (name, _) in TARGETS {
        corpus::write_seeds(name, &seeds(name));
    }
}
