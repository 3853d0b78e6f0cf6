//! Known-answer vectors from libsession-util's group tests, asserted byte for byte. Each test
//! prints how many cases of its file ran.

// Tests: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use session_crypto::{Ed25519Seed, ed25519};
use session_groups::subaccount::{self, AuthData, SubaccountFlags};
use session_groups::{GroupIdentity, GroupKeys, LoadOutcome, SubaccountError};
use session_identity::{Keypair, SessionId};
use session_testkit::{VectorFile, hex_array, hex_field, str_field};

fn keypair(seed: [u8; 32]) -> Keypair {
    Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes(seed))
}

#[test]
fn libsession_group_keys_subaccounts() {
    let file = VectorFile::load("libsession/group_keys.json");
    let mut ran = 0;
    for case in file.cases_of_kind("swarm_subaccount_sign") {
        let group =
            GroupIdentity::from_seed(&Ed25519Seed::from_bytes(hex_array(case, "group_seed_hex")));
        assert_eq!(
            group.public_key(),
            &hex_array::<32>(case, "group_ed25519_pubkey_hex")
        );
        assert_eq!(group.id().to_string(), str_field(case, "group_id"));
        let admin = keypair(hex_array(case, "admin_seed_hex"));
        assert_eq!(
            admin.session_id().to_string(),
            str_field(case, "admin_session_id")
        );
        let member = keypair(hex_array(case, "member_seed_hex"));
        let member_id: SessionId = str_field(case, "member_session_id").parse().unwrap();
        assert_eq!(member.session_id(), member_id);

        let args = &case["make_subaccount_args"];
        let flags = SubaccountFlags::new(
            args["write"].as_bool().unwrap(),
            args["del"].as_bool().unwrap(),
        );
        let admin_keys = GroupKeys::new_admin(admin, group.keypair().clone()).unwrap();
        let auth = admin_keys.make_subaccount(&member_id, flags).unwrap();
        assert_eq!(
            hex::encode(auth.as_bytes()),
            str_field(case, "auth_data_hex_reconstructed")
        );

        let message = str_field(case, "message_to_sign_utf8").as_bytes();
        let member_keys = GroupKeys::new_member(member.clone(), *group.public_key()).unwrap();
        let signed = member_keys.sign_as_subaccount(&auth, message).unwrap();
        let [sub, sub_sig, sig] = signed.to_base64();
        assert_eq!(sub, str_field(case, "expected_subaccount_b64"));
        assert_eq!(sub_sig, str_field(case, "expected_subaccount_sig_b64"));
        assert_eq!(sig, str_field(case, "expected_signature_b64"));
        assert_eq!(
            admin_keys.subaccount_token(&member_id, flags).unwrap(),
            signed.subaccount
        );

        // Check 1: the signature verifies as plain Ed25519 under the token's key.
        let token = STANDARD.decode(&sub).unwrap();
        let kt: [u8; 32] = token[4..].try_into().unwrap();
        ed25519::verify(&signed.signature, &kt, message).unwrap();

        // Check 2: the auth data verifies, and any single flipped bit breaks it except the top
        // bit of k (byte 35, bit 7), which the blinded multiplication ignores.
        member_keys
            .verify_subaccount(&auth, SubaccountFlags::MEMBER)
            .unwrap();
        let bytes = hex_field(case, "auth_data_hex_reconstructed");
        for byte in 0..100 {
            for bit in 0..8 {
                let mut flipped = bytes.clone();
                flipped[byte] ^= 1 << bit;
                let flipped = AuthData::from_slice(&flipped).unwrap();
                let result =
                    subaccount::verify(&group.id(), &member, &flipped, SubaccountFlags::MEMBER);
                if (byte, bit) == (35, 7) {
                    assert_eq!(result, Ok(()));
                } else {
                    assert!(
                        result.is_err(),
                        "bit {bit} of byte {byte} flipped still verifies"
                    );
                }
            }
        }
        assert_eq!(
            member_keys.verify_subaccount(&auth, SubaccountFlags::DELETE),
            Err(SubaccountError::MissingFlags { missing: 0x04 })
        );
        ran += 1;
    }
    file.report("swarm_subaccount_sign", ran);
}

#[test]
fn libsession_keys_group_ids_and_group_test_members() {
    let file = VectorFile::load("libsession/keys.json");
    let mut ran = 0;
    for case in file.cases_of_kind("group_id_from_seed") {
        let group =
            GroupIdentity::from_seed(&Ed25519Seed::from_bytes(hex_array(case, "group_seed_hex")));
        assert_eq!(
            group.public_key(),
            &hex_array::<32>(case, "expected_group_ed25519_pubkey_hex")
        );
        assert_eq!(group.id().to_string(), str_field(case, "expected_group_id"));
        ran += 1;
    }
    file.report("group_id_from_seed", ran);

    // The members of libsession's group-key tests: their IDs are pinned, and a group keyed
    // for all of them gives each the same key.
    let members: Vec<(Keypair, SessionId)> = file
        .cases_of_kind("session_id_from_seed")
        .filter(|c| str_field(c, "source_test") == "tests/test_group_keys.cpp")
        .map(|c| {
            let kp = keypair(hex_array(c, "seed_hex"));
            let id: SessionId = str_field(c, "expected_session_id").parse().unwrap();
            assert_eq!(kp.session_id(), id);
            (kp, id)
        })
        .collect();
    let group = GroupIdentity::from_seed(&Ed25519Seed::from_bytes([7; 32]));
    let ids: Vec<SessionId> = members.iter().map(|(_, id)| *id).collect();
    let mut admin = GroupKeys::new_admin(members[0].0.clone(), group.keypair().clone()).unwrap();
    let rekey = admin.rekey(&ids).unwrap();
    for (kp, _) in &members {
        let mut keys = GroupKeys::new_member(kp.clone(), *group.public_key()).unwrap();
        assert_eq!(
            keys.load_key_message("h", &rekey.message, 1).unwrap(),
            LoadOutcome::Added
        );
        assert_eq!(keys.encryption_key().unwrap(), &rekey.key);
    }
    file.report(
        "session_id_from_seed (test_group_keys members)",
        members.len(),
    );
}
