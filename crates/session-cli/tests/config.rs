//! Runs the built `session-cli` binary on `config read`: each user config's fields, merging
//! of concurrent pushes, the hash, and refusals.

// Tests: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::{fails, keys, ok};
use serde_json::{Value, json};
use session::SessionId;
use session::config::Ed25519Seed;
use session::config::user::{
    CommunityInfo, Contacts, ConvoInfoVolatile, ConvoState, GroupInfo, ProfilePic, UserGroups,
    UserProfile,
};

const SEED: &str = "fecd9a6034bc9aba273925dee7062b123334587c3c6257341afae2d7fe85e122";
const NOW_MS: i64 = 1_700_000_000_000;

fn seed() -> Ed25519Seed {
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(SEED, &mut bytes).unwrap();
    Ed25519Seed::from_bytes(bytes)
}

fn sid(byte: u8) -> SessionId {
    let mut bytes = [byte; 33];
    bytes[0] = 0x05;
    SessionId::from_bytes(&bytes).unwrap()
}

fn read(kind: &str, pushes: &[&[u8]]) -> serde_json::Map<String, Value> {
    let encoded: Vec<String> = pushes.iter().map(|p| STANDARD.encode(p)).collect();
    let mut args = vec!["config", "read", "--kind", kind, "--seed", SEED];
    for data in &encoded {
        args.extend_from_slice(&["--data-base64", data]);
    }
    ok(&args)
}

#[test]
fn user_profile_fields_and_hash() {
    let mut profile = UserProfile::new(&seed());
    profile.set_name("Alice").unwrap();
    profile
        .set_profile_pic(Some(&ProfilePic {
            url: "http://example.org/a.jpg".into(),
            key: [7; 32],
        }))
        .unwrap();
    let push = profile.base_mut().push().unwrap();
    let out = read("user-profile", &[&push.messages[0]]);
    assert_eq!(keys(&out), ["config", "hash", "needs_push", "seqno"]);
    assert_eq!(out["seqno"], json!(1));
    assert_eq!(out["needs_push"], json!(false));
    assert_eq!(
        out["hash"],
        json!(hex::encode(profile.base_mut().current_hash()))
    );
    assert_eq!(
        out["config"],
        json!({
            "name": "Alice",
            "profile_pic_url": "http://example.org/a.jpg",
            "profile_pic_key": "07".repeat(32),
        })
    );

    // Without a picture the fields are null.
    let mut bare = UserProfile::new(&seed());
    bare.set_name("Bare").unwrap();
    let push = bare.base_mut().push().unwrap();
    assert_eq!(
        read("user-profile", &[&push.messages[0]])["config"],
        json!({"name": "Bare", "profile_pic_url": null, "profile_pic_key": null})
    );
}

#[test]
fn concurrent_pushes_merge_and_need_a_push() {
    let mut phone = UserProfile::new(&seed());
    phone.set_name("Phone").unwrap();
    let first = phone.base_mut().push().unwrap();
    phone
        .base_mut()
        .confirm_pushed(first.seqno, ["h1".to_owned()]);
    let mut laptop = UserProfile::new(&seed());
    laptop
        .base_mut()
        .merge(&[("h1", first.messages[0].as_slice())], 0);
    phone
        .set_profile_pic(Some(&ProfilePic {
            url: "http://example.org/p".into(),
            key: [1; 32],
        }))
        .unwrap();
    laptop.set_name("Laptop").unwrap();
    let a = phone.base_mut().push().unwrap();
    let b = laptop.base_mut().push().unwrap();
    phone
        .base_mut()
        .merge(&[("b", b.messages[0].as_slice())], 0);

    for order in [[&a, &b], [&b, &a]] {
        let out = read(
            "user-profile",
            &[
                &first.messages[0],
                &order[0].messages[0],
                &order[1].messages[0],
            ],
        );
        assert_eq!(out["seqno"], json!(3), "one above both concurrent pushes");
        assert_eq!(out["needs_push"], json!(true));
        assert_eq!(
            out["hash"],
            json!(hex::encode(phone.base_mut().current_hash()))
        );
        assert_eq!(out["config"]["name"], json!(phone.name().unwrap()));
        assert_eq!(
            out["config"]["profile_pic_url"],
            json!("http://example.org/p")
        );
    }
}

#[test]
fn contacts_fields() {
    let mut contacts = Contacts::new(&seed());
    contacts
        .update(&sid(1), |c| {
            c.name = "One".into();
            c.nickname = "Uno".into();
            c.approved = true;
            c.priority = 2;
        })
        .unwrap();
    contacts
        .update(&sid(2), |c| {
            c.approved_me = true;
            c.blocked = true;
            c.priority = -1;
        })
        .unwrap();
    let push = contacts.base_mut().push().unwrap();
    let out = read("contacts", &[&push.messages[0]]);
    assert_eq!(
        out["config"],
        json!({"contacts": [
            {"session_id": sid(1).to_string(), "name": "One", "nickname": "Uno",
             "approved": true, "approved_me": false, "blocked": false, "priority": 2},
            {"session_id": sid(2).to_string(), "name": "", "nickname": "",
             "approved": false, "approved_me": true, "blocked": true, "priority": -1},
        ]})
    );
}

#[test]
fn user_groups_fields() {
    let mut groups = UserGroups::new(&seed());
    let community = CommunityInfo::new("https://Example.org", "Lobby", [3; 32]).unwrap();
    groups.set_community(&community).unwrap();
    let group_seed = Ed25519Seed::from_bytes([4; 32]);
    let group_id = session::Keypair::from_ed25519_seed(&group_seed).group_id();
    let mut group = GroupInfo::new(group_id).unwrap();
    group.name = "Team".into();
    group.secret_key = Some(group_seed);
    groups.set_group(&group).unwrap();
    let push = groups.base_mut().push().unwrap();
    let out = read("user-groups", &[&push.messages[0]]);
    assert_eq!(
        out["config"],
        json!({
            "communities": [{"base_url": "https://example.org", "room": "Lobby",
                             "pubkey": "03".repeat(32)}],
            "groups": [{"group_id": group_id.to_string(), "name": "Team"}],
        })
    );
}

#[test]
fn convo_info_volatile_fields() {
    let mut convos = ConvoInfoVolatile::new(&seed());
    convos
        .set_one_to_one(&sid(9), ConvoState::new(NOW_MS - 5, true), NOW_MS)
        .unwrap();
    let push = convos.push(NOW_MS).unwrap();
    let out = read("convo-info-volatile", &[&push.messages[0]]);
    assert_eq!(
        out["config"],
        json!({"one_to_one": [
            {"session_id": sid(9).to_string(), "last_read": NOW_MS - 5, "unread": true},
        ]})
    );
}

#[test]
fn refusals() {
    let mut profile = UserProfile::new(&seed());
    profile.set_name("Alice").unwrap();
    let data = STANDARD.encode(&profile.base_mut().push().unwrap().messages[0]);
    let other = "11".repeat(32);
    // Another account's seed, another kind, and not base64.
    for (kind, seed, data) in [
        ("user-profile", other.as_str(), data.as_str()),
        ("contacts", SEED, data.as_str()),
        ("user-profile", SEED, "%%%"),
    ] {
        let message = fails(
            &[
                "config",
                "read",
                "--kind",
                kind,
                "--seed",
                seed,
                "--data-base64",
                data,
            ],
            1,
            &[SEED, &other],
        );
        assert!(
            message.starts_with("no --data-base64") || message.starts_with("--data-base64 #1"),
            "{message}"
        );
    }
    let message = fails(
        &[
            "config",
            "read",
            "--kind",
            "user-profile",
            "--seed",
            "abcd",
            "--data-base64",
            &data,
        ],
        1,
        &["abcd"],
    );
    assert_eq!(message, "--seed must be 32 bytes of hex, got 2 bytes");
    fails(
        &[
            "config",
            "read",
            "--kind",
            "nope",
            "--seed",
            SEED,
            "--data-base64",
            &data,
        ],
        2,
        &[SEED],
    );
    fails(
        &["config", "read", "--kind", "contacts", "--seed", SEED],
        2,
        &[SEED],
    );
}
