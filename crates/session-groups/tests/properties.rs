//! Properties: group messages round-trip for any plaintext and padding, and the fuzzing entry
//! points survive arbitrary and mutated input.

// Tests: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use session_crypto::Ed25519Seed;
use session_groups::{Group, GroupIdentity, GroupInfo, GroupKeys, GroupMembers, fuzzing, message};
use session_identity::Keypair;

fn keypair(byte: u8) -> Keypair {
    Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([byte; 32]))
}

/// Valid inputs for the fuzz entry points, to mutate.
fn seeds() -> Vec<Vec<u8>> {
    let group = GroupIdentity::from_seed(&Ed25519Seed::from_bytes([2; 32]));
    let mut admin = GroupKeys::new_admin(keypair(1), group.keypair().clone()).unwrap();
    let rekey = admin.rekey(&[keypair(1).session_id()]).unwrap();
    admin.load_key_message("h", &rekey.message, 1).unwrap();
    let supplement = admin.key_supplement(&[keypair(1).session_id()]).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let msg = admin
        .encrypt_message(&mut rng, b"hello", true, 256)
        .unwrap();
    vec![
        rekey.message,
        supplement,
        msg,
        admin.dump().unwrap().to_vec(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn messages_round_trip(plaintext in proptest::collection::vec(any::<u8>(), 1..3000), padding in 0usize..600, compress: bool) {
        let group = GroupIdentity::from_seed(&Ed25519Seed::from_bytes([5; 32]));
        let key = session_groups::GroupKey::from_bytes([6; 32]);
        let mut rng = ChaCha20Rng::seed_from_u64(plaintext.len() as u64);
        let sender = keypair(7);
        let ct = message::encrypt(&mut rng, &sender, group.public_key(), &key, &plaintext, compress, padding).unwrap();
        if padding > 1 {
            prop_assert_eq!(ct.len() % padding, 0);
        }
        let got = message::decrypt([&key], group.public_key(), &ct).unwrap();
        prop_assert_eq!(got.plaintext, plaintext);
        prop_assert_eq!(got.sender, sender.session_id());
    }

    #[test]
    fn fuzz_entry_points_never_panic(data in proptest::collection::vec(any::<u8>(), 0..400)) {
        fuzzing::load_key_message_as_member(&data);
        fuzzing::load_key_message_as_admin(&data);
        fuzzing::load_keys_dump(&data);
        fuzzing::decrypt_group_message(&data);
        fuzzing::parse_control_message(&data);
        fuzzing::decrypt_legacy_message(&data);
        fuzzing::group_info_load(&data);
        fuzzing::group_members_load(&data);
        fuzzing::group_config_merge(&data);
        fuzzing::group_state_load(&data);
    }

    #[test]
    fn mutated_valid_inputs_never_panic(which in 0usize..4, at in any::<usize>(), byte: u8, cut in any::<usize>()) {
        let mut data = seeds().swap_remove(which);
        let at = at % data.len();
        data[at] = byte;
        data.truncate(cut % (data.len() + 1));
        fuzzing::load_key_message_as_member(&data);
        fuzzing::load_key_message_as_admin(&data);
        fuzzing::load_keys_dump(&data);
        fuzzing::decrypt_group_message(&data);
    }

    #[test]
    fn mutated_group_configs_never_panic(which in 0usize..4, at in any::<usize>(), byte: u8, cut in any::<usize>()) {
        let mut data = config_seeds().swap_remove(which);
        let at = at % data.len();
        data[at] = byte;
        data.truncate(cut % (data.len() + 1));
        fuzzing::group_info_load(&data);
        fuzzing::group_members_load(&data);
        fuzzing::group_config_merge(&data);
        fuzzing::group_state_load(&data);
    }
}

/// Valid Info / Members pushes and dumps (keyed as the fuzzing entry points expect), and a
/// group state dump, to mutate.
fn config_seeds() -> Vec<Vec<u8>> {
    let group = keypair(2);
    let mut info = GroupInfo::new(group.ed25519_public(), Some(&group)).unwrap();
    info.base_mut().add_key(fuzzing::CONFIG_KEY, true);
    info.set_name("seed").unwrap();
    info.set_expiry_timer(60).unwrap();
    let info_push = info.base_mut().push().unwrap().messages.remove(0);
    let mut members = GroupMembers::new(group.ed25519_public(), Some(&group)).unwrap();
    members.base_mut().add_key(fuzzing::CONFIG_KEY, true);
    members
        .update(&keypair(3).session_id(), |m| m.set_invited())
        .unwrap();
    let members_push = members.base_mut().push().unwrap().messages.remove(0);
    let identity = GroupIdentity::from_seed(&Ed25519Seed::from_bytes([2; 32]));
    let mut state = Group::new_admin(keypair(1), identity).unwrap();
    let state_dump = state.dump().unwrap().to_vec();
    vec![info_push, members_push, info.base_mut().dump(), state_dump]
}
