//! Replays the committed corpus of this crate's fuzz targets (`fuzz/corpus/groups_*`, and
//! any crash cargo-fuzz saved in `fuzz/artifacts/`) on stable, and writes the seed corpus
//! (`cargo test -p session-groups --test fuzz_corpus -- --ignored write_seed_corpus`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use session_testkit::corpus;

use rand::SeedableRng;
use session_crypto::Ed25519Seed;
use session_groups::control::{GroupUpdate, InfoChange, InfoChangeKind, Invite};
use session_groups::fuzzing::{self, CONFIG_KEY};
use session_groups::subaccount::{SubaccountFlags, make_auth_data};
use session_groups::{Group, GroupInfo, GroupKey, GroupKeys, GroupMembers, Member, message};
use session_identity::Keypair;

const TARGETS: [(&str, corpus::Target); 10] = [
    (
        "groups_key_message_member",
        fuzzing::load_key_message_as_member,
    ),
    (
        "groups_key_message_admin",
        fuzzing::load_key_message_as_admin,
    ),
    ("groups_keys_dump", fuzzing::load_keys_dump),
    ("groups_message_decrypt", fuzzing::decrypt_group_message),
    ("groups_control_message", fuzzing::parse_control_message),
    ("groups_legacy_decrypt", fuzzing::decrypt_legacy_message),
    ("groups_info_load", fuzzing::group_info_load),
    ("groups_members_load", fuzzing::group_members_load),
    ("groups_config_merge", fuzzing::group_config_merge),
    ("groups_state_load", fuzzing::group_state_load),
];

/// The fuzzing module's fixed keys: the user is `keypair(1)`, the group `keypair(2)`.
fn keypair(byte: u8) -> Keypair {
    Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([byte; 32]))
}

#[test]
fn corpus_replays_without_failures() {
    corpus::replay(&TARGETS);
}

/// Key messages of the group `keypair(2)` that include the user `keypair(1)`, and the
/// admin's Keys dump after them.
fn key_messages() -> (Vec<Vec<u8>>, Vec<u8>) {
    let mut admin = GroupKeys::new_admin(keypair(1), keypair(2)).unwrap();
    let members = [keypair(1).session_id(), keypair(3).session_id()];
    let first = admin.rekey(&members).unwrap().message;
    admin
        .load_key_message("h0", &first, 1_700_000_000_000)
        .unwrap();
    let second = admin.rekey(&members[..1]).unwrap().message;
    admin
        .load_key_message("h1", &second, 1_700_000_001_000)
        .unwrap();
    let supplement = admin.key_supplement(&members[1..]).unwrap();
    let dump = admin.dump().unwrap().to_vec();
    (vec![first, second, supplement], dump)
}

fn group_messages() -> Vec<Vec<u8>> {
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(3);
    let group = *keypair(2).ed25519_public();
    [(b"hi".as_slice(), false), (&[7u8; 600][..], true)]
        .into_iter()
        .map(|(text, compress)| {
            message::encrypt(
                &mut rng,
                &keypair(1),
                &group,
                &GroupKey::from_bytes([3; 32]),
                text,
                compress,
                256,
            )
            .unwrap()
        })
        .collect()
}

fn control_messages() -> Vec<Vec<u8>> {
    let group = keypair(2);
    let member = keypair(1).session_id();
    let auth = make_auth_data(&group, &member, SubaccountFlags::MEMBER).unwrap();
    [
        GroupUpdate::Invite(Invite::new(
            &group,
            "Fuzzers",
            &member,
            auth,
            1_700_000_000_000,
        )),
        GroupUpdate::InfoChange(InfoChange::new(
            &group,
            InfoChangeKind::Name("Renamed".into()),
            1_700_000_000_000,
        )),
        GroupUpdate::InviteResponse { approved: true },
        GroupUpdate::MemberLeft,
    ]
    .iter()
    .map(GroupUpdate::encode)
    .collect()
}

/// Info and Members dumps, and their pushes encrypted with [`CONFIG_KEY`].
struct Configs {
    info_dumps: Vec<Vec<u8>>,
    member_dumps: Vec<Vec<u8>>,
    pushes: Vec<Vec<u8>>,
}

fn configs() -> Configs {
    let group = keypair(2);
    let mut info = GroupInfo::new(group.ed25519_public(), Some(&group)).unwrap();
    info.base_mut().add_key(CONFIG_KEY, true);
    info.set_name("Fuzzers").unwrap();
    let mut members = GroupMembers::new(group.ed25519_public(), Some(&group)).unwrap();
    members.base_mut().add_key(CONFIG_KEY, true);
    members.set(&Member::new(keypair(1).session_id())).unwrap();
    let mut pushes = info.base_mut().push().unwrap().messages;
    pushes.extend(members.base_mut().push().unwrap().messages);
    Configs {
        info_dumps: vec![info.base_mut().dump()],
        member_dumps: vec![members.base_mut().dump()],
        pushes,
    }
}

/// A group state dump of `keypair(1)` as creator, and its pushes (which the state target
/// ingests in every namespace).
fn group_states() -> Vec<Vec<u8>> {
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(4);
    let (mut group, pushes) = Group::create(
        &mut rng,
        keypair(1),
        "Fuzzers",
        &[keypair(3).session_id()],
        1_700_000_000_000,
    )
    .unwrap();
    let mut seeds = vec![group.dump().unwrap().to_vec()];
    seeds.extend(pushes.into_iter().flat_map(|push| push.messages));
    seeds
}

fn seeds(name: &str) -> Vec<Vec<u8>> {
    let (keys, keys_dump) = key_messages();
    let Configs {
        info_dumps,
        member_dumps,
        pushes,
    } = configs();
    match name {
        "groups_key_message_member" | "groups_key_message_admin" => keys,
        "groups_keys_dump" => vec![keys_dump, b"de".to_vec()],
        "groups_message_decrypt" => group_messages(),
        "groups_control_message" => control_messages(),
        "groups_legacy_decrypt" => vec![b"garbage".to_vec(), vec![0; 64]],
        "groups_info_load" => info_dumps,
        "groups_members_load" => member_dumps,
        "groups_config_merge" => pushes,
        "groups_state_load" => group_states(),
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
