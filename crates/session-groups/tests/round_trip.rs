//! Whole-protocol round trips: rekeys for big groups, removal, supplements, expiry, dumps,
//! tampering, control messages, kicked notices, revocations and legacy decryption.

// Tests: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use session_crypto::{Ed25519Seed, X25519Secret, ed25519};
use session_groups::constants::{KEY_EXPIRY_MS, MEMBER_KEY_MULTIPLE};
use session_groups::control::{
    DeleteMemberContent, GroupUpdate, InfoChange, InfoChangeKind, Invite, MemberChange,
    MemberChangeKind, Promote,
};
use session_groups::legacy::{self, LegacyKeypair};
use session_groups::revoke::{Revocation, RevocationKind};
use session_groups::subaccount::SubaccountFlags;
use session_groups::{
    ControlError, GroupIdentity, GroupKeys, KeysError, LoadOutcome, MessageError, kicked, message,
};
use session_identity::{IdPrefix, Keypair, SessionId};
use session_protocol::ProSignature;
use session_protocol::proto::{Envelope, envelope};

const T0: i64 = 1_700_000_000_000;

fn rng() -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(7)
}

fn user(n: u32) -> Keypair {
    let mut seed = [0u8; 32];
    seed[..4].copy_from_slice(&n.to_le_bytes());
    seed[31] = 0x55;
    Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes(seed))
}

fn group() -> GroupIdentity {
    GroupIdentity::from_seed(&Ed25519Seed::from_bytes([0x42; 32]))
}

fn member(keypair: &Keypair, group: &GroupIdentity) -> GroupKeys {
    GroupKeys::new_member(keypair.clone(), *group.public_key()).unwrap()
}

fn admin(group: &GroupIdentity) -> GroupKeys {
    GroupKeys::new_admin(user(0), group.keypair().clone()).unwrap()
}

#[test]
fn hundred_members_load_the_same_key() {
    let group = group();
    let users: Vec<Keypair> = (0..100).map(user).collect();
    let ids: Vec<SessionId> = users.iter().map(Keypair::session_id).collect();
    let mut admin = admin(&group);
    let rekey = admin.rekey(&ids).unwrap();
    assert_eq!(rekey.generation, 0);
    let decoded = session_bt::decode(&rekey.message).unwrap();
    let copies = decoded.get(b"k").unwrap().as_list().unwrap().len();
    assert_eq!(
        copies, 150,
        "100 copies padded to a multiple of {MEMBER_KEY_MULTIPLE}"
    );
    let keys: Vec<&[u8]> = decoded.as_dict().unwrap().iter().map(|(k, _)| k).collect();
    assert_eq!(keys, [&b"#"[..], b"G", b"K", b"k", b"~"]);

    // The admin encrypts with the pending key; loading its own message confirms it.
    assert_eq!(admin.pending_config(), Some(rekey.message.as_slice()));
    let mut r = rng();
    let ciphertext = admin
        .encrypt_message(&mut r, b"welcome", true, 256)
        .unwrap();
    assert_eq!(ciphertext.len() % 256, 0);
    assert_eq!(
        admin.load_key_message("h0", &rekey.message, T0).unwrap(),
        LoadOutcome::Added
    );
    assert!(admin.pending_config().is_none());

    for keypair in &users {
        let mut keys = member(keypair, &group);
        assert_eq!(
            keys.load_key_message("h0", &rekey.message, T0).unwrap(),
            LoadOutcome::Added
        );
        assert_eq!(keys.encryption_key().unwrap(), &rekey.key);
        let message = keys.decrypt_message(&ciphertext).unwrap();
        assert_eq!(message.plaintext, b"welcome");
        assert_eq!(message.sender, user(0).session_id());
        // The same message again only records its hash.
        assert_eq!(
            keys.load_key_message("h0", &rekey.message, T0).unwrap(),
            LoadOutcome::Duplicate
        );
    }
    let outsider = user(1000);
    assert_eq!(
        member(&outsider, &group)
            .load_key_message("h0", &rekey.message, T0)
            .unwrap(),
        LoadOutcome::NotForUs
    );
}

#[test]
fn rekeys_are_deterministic_across_admins() {
    let group = group();
    let ids: Vec<SessionId> = (0..5).map(|n| user(n).session_id()).collect();
    let mut reversed = ids.clone();
    reversed.reverse();
    let a = admin(&group).rekey(&ids).unwrap();
    let b = GroupKeys::new_admin(user(3), group.keypair().clone())
        .unwrap()
        .rekey(&reversed)
        .unwrap();
    assert_eq!(a.message, b.message);
    assert_eq!(a.key, b.key);
}

#[test]
fn removed_member_reads_old_messages_only() {
    let group = group();
    let (alice, bob, carol) = (user(1), user(2), user(3));
    let mut admin = admin(&group);
    let gen0 = admin
        .rekey(&[
            user(0).session_id(),
            alice.session_id(),
            bob.session_id(),
            carol.session_id(),
        ])
        .unwrap();
    admin.load_key_message("h0", &gen0.message, T0).unwrap();
    let mut carol_keys = member(&carol, &group);
    let mut bob_keys = member(&bob, &group);
    carol_keys
        .load_key_message("h0", &gen0.message, T0)
        .unwrap();
    bob_keys.load_key_message("h0", &gen0.message, T0).unwrap();
    let mut r = rng();
    let before = bob_keys
        .encrypt_message(&mut r, b"before", true, 256)
        .unwrap();

    let gen1 = admin
        .rekey(&[user(0).session_id(), alice.session_id(), bob.session_id()])
        .unwrap();
    assert_eq!(gen1.generation, 1);
    admin
        .load_key_message("h1", &gen1.message, T0 + 1000)
        .unwrap();
    assert_eq!(
        bob_keys
            .load_key_message("h1", &gen1.message, T0 + 1000)
            .unwrap(),
        LoadOutcome::Added
    );
    assert_eq!(
        carol_keys
            .load_key_message("h1", &gen1.message, T0 + 1000)
            .unwrap(),
        LoadOutcome::NotForUs
    );
    assert_eq!(bob_keys.current_generation(), 1);
    assert_eq!(carol_keys.current_generation(), 0);
    let after = bob_keys
        .encrypt_message(&mut r, b"after", true, 256)
        .unwrap();

    assert_eq!(
        carol_keys.decrypt_message(&before).unwrap().plaintext,
        b"before"
    );
    assert_eq!(
        carol_keys.decrypt_message(&after),
        Err(MessageError::NoKeyDecrypts { tried: 1 })
    );
    assert_eq!(
        bob_keys.decrypt_message(&before).unwrap().plaintext,
        b"before"
    );
    assert_eq!(
        bob_keys.decrypt_message(&after).unwrap().plaintext,
        b"after"
    );
    assert_eq!(
        admin.decrypt_message(&after).unwrap().sender,
        bob.session_id()
    );
    assert!(carol_keys.active_hashes().contains(&"h1"));
}

#[test]
fn supplement_gives_a_new_member_the_existing_keys() {
    let group = group();
    let (alice, dave) = (user(1), user(4));
    let mut admin = admin(&group);
    let gen0 = admin
        .rekey(&[user(0).session_id(), alice.session_id()])
        .unwrap();
    admin.load_key_message("h0", &gen0.message, T0).unwrap();
    let gen1 = admin
        .rekey(&[user(0).session_id(), alice.session_id()])
        .unwrap();
    admin.load_key_message("h1", &gen1.message, T0 + 5).unwrap();
    let mut r = rng();
    let old = admin
        .encrypt_message(&mut r, b"gen1 message", false, 0)
        .unwrap();

    let supplement = admin.key_supplement(&[dave.session_id()]).unwrap();
    let decoded = session_bt::decode(&supplement).unwrap();
    assert_eq!(decoded.get(b"G").and_then(|g| g.as_i64()), Some(1));
    assert_eq!(
        admin.load_key_message("hs", &supplement, T0 + 10).unwrap(),
        LoadOutcome::NotForUs
    );

    let mut dave_keys = member(&dave, &group);
    assert_eq!(
        dave_keys
            .load_key_message("hs", &supplement, T0 + 10)
            .unwrap(),
        LoadOutcome::Added
    );
    assert_eq!(dave_keys.size(), 2);
    assert_eq!(dave_keys.current_generation(), 1);
    assert_eq!(dave_keys.encryption_key().unwrap(), &gen1.key);
    assert_eq!(
        dave_keys.decrypt_message(&old).unwrap().plaintext,
        b"gen1 message"
    );
    // Alice was not in the supplement.
    assert_eq!(
        member(&alice, &group)
            .load_key_message("hs", &supplement, T0 + 10)
            .unwrap(),
        LoadOutcome::NotForUs
    );
    assert_eq!(admin.key_supplement(&[]), Err(KeysError::NoRecipients));
    assert_eq!(
        member(&dave, &group).key_supplement(&[alice.session_id()]),
        Err(KeysError::NotAdmin)
    );
}

#[test]
fn old_generations_expire_after_sixty_days_of_swarm_time() {
    let group = group();
    let mut admin = admin(&group);
    let ids = [user(0).session_id()];
    let mut messages = Vec::new();
    for (n, ts) in [(0, T0), (1, T0 + 1), (2, T0 + 1 + KEY_EXPIRY_MS + 1)] {
        let rekey = admin.rekey(&ids).unwrap();
        assert_eq!(rekey.generation, n);
        admin
            .load_key_message(&format!("h{n}"), &rekey.message, ts)
            .unwrap();
        messages.push(rekey);
    }
    assert_eq!(admin.size(), 2, "generation 0 lapsed");
    assert_eq!(admin.active_hashes(), ["h1", "h2"]);
    // A lapsed generation arriving late is not taken back.
    assert_eq!(
        admin
            .load_key_message("h0", &messages[0].message, T0)
            .unwrap(),
        LoadOutcome::Duplicate
    );
    assert_eq!(admin.size(), 2);
}

#[test]
fn concurrent_rekeys_need_a_rekey() {
    let group = group();
    let mut first = admin(&group);
    let mut second = GroupKeys::new_admin(user(9), group.keypair().clone()).unwrap();
    let a = first.rekey(&[user(0).session_id()]).unwrap();
    let b = second
        .rekey(&[user(0).session_id(), user(9).session_id()])
        .unwrap();
    assert_eq!(a.generation, b.generation);
    first.load_key_message("a", &a.message, T0).unwrap();
    assert!(!first.needs_rekey());
    first.load_key_message("b", &b.message, T0 + 1).unwrap();
    assert!(first.needs_rekey());
    let c = first.rekey(&[user(0).session_id()]).unwrap();
    assert_eq!(c.generation, 1);
}

#[test]
fn dumps_restore_keys_hashes_and_pending() {
    let group = group();
    let alice = user(1);
    let mut admin = admin(&group);
    let gen0 = admin.rekey(&[alice.session_id()]).unwrap();
    admin.load_key_message("h0", &gen0.message, T0).unwrap();
    let gen1 = admin.rekey(&[alice.session_id()]).unwrap();
    assert!(admin.needs_dump());
    let dump = admin.dump().unwrap();
    assert!(!admin.needs_dump());
    let restored = GroupKeys::from_dump(
        user(0),
        *group.public_key(),
        Some(group.keypair().clone()),
        &dump,
    )
    .unwrap();
    assert_eq!(restored.pending_config(), Some(gen1.message.as_slice()));
    assert_eq!(restored.group_keys(), admin.group_keys());
    assert_eq!(restored.active_hashes(), ["h0"]);
    let mut restored = restored;
    assert_eq!(&*restored.dump().unwrap(), &*dump);

    let mut alice_keys = member(&alice, &group);
    alice_keys
        .load_key_message("h0", &gen0.message, T0)
        .unwrap();
    let dump = alice_keys.dump().unwrap();
    let again = GroupKeys::from_dump(alice.clone(), *group.public_key(), None, &dump).unwrap();
    assert_eq!(again.encryption_key().unwrap(), &gen0.key);
    assert!(matches!(
        GroupKeys::from_dump(alice.clone(), *group.public_key(), None, b"de"),
        Err(KeysError::Dump(_))
    ));
    assert_eq!(
        GroupKeys::from_dump(alice, *group.public_key(), Some(user(5)), &dump).err(),
        Some(KeysError::WrongAdminKey)
    );
}

#[test]
fn promotion_upgrades_a_member() {
    let group = group();
    let alice = user(1);
    let mut keys = member(&alice, &group);
    assert!(!keys.is_admin());
    assert_eq!(
        keys.load_admin_key(&Ed25519Seed::from_bytes([1; 32])),
        Err(KeysError::WrongAdminKey)
    );
    let promote = Promote::new(&group, "Group");
    let update = GroupUpdate::decode(&GroupUpdate::Promote(promote).encode()).unwrap();
    let GroupUpdate::Promote(promote) = update else {
        panic!("not a promotion")
    };
    assert_eq!(promote.group().id(), group.id());
    keys.load_admin_key(&promote.seed).unwrap();
    assert!(keys.is_admin());
    assert!(keys.rekey(&[alice.session_id()]).is_ok());
}

#[test]
fn tampered_key_messages_are_rejected() {
    let group = group();
    let alice = user(1);
    let mut admin = admin(&group);
    let rekey = admin.rekey(&[alice.session_id()]).unwrap();
    let message = &rekey.message;
    let load = |data: &[u8]| member(&alice, &group).load_key_message("x", data, T0);

    let mut bad_sig = message.clone();
    let last = bad_sig.len() - 2;
    bad_sig[last] ^= 1;
    assert_eq!(load(&bad_sig), Err(KeysError::BadSignature));
    let mut bad_nonce = message.clone();
    bad_nonce[8] ^= 1;
    assert_eq!(load(&bad_nonce), Err(KeysError::BadSignature));
    assert!(matches!(
        load(&message[..message.len() - 1]),
        Err(KeysError::Bencode(_))
    ));
    assert!(matches!(load(b"le"), Err(KeysError::Malformed(_))));

    // Another group's admin cannot sign for this one.
    let other = GroupIdentity::from_seed(&Ed25519Seed::from_bytes([0x43; 32]));
    let forged = GroupKeys::new_admin(user(0), other.keypair().clone())
        .unwrap()
        .rekey(&[alice.session_id()])
        .unwrap();
    assert_eq!(load(&forged.message), Err(KeysError::BadSignature));

    // A correctly signed message whose member list is not padded.
    let unpadded = signed(&group, |d| {
        d.bytes(b"#", &[0; 24]);
        d.int(b"G", 0);
        d.bytes(b"K", &[0; 48]);
        d.list(b"k", |l| {
            for _ in 0..74 {
                l.bytes(&[0; 48]);
            }
        });
    });
    assert_eq!(load(&unpadded), Err(KeysError::BadPadding(74)));
    let negative = signed(&group, |d| {
        d.bytes(b"#", &[0; 24]);
        d.int(b"G", -1);
    });
    assert!(matches!(load(&negative), Err(KeysError::Malformed(_))));
    // An admin copy that does not open.
    let mut admin2 = admin_keys_only(&group);
    let garbage = signed(&group, |d| {
        d.bytes(b"#", &[0; 24]);
        d.int(b"G", 0);
        d.bytes(b"K", &[0; 48]);
        d.list(b"k", |l| {
            for _ in 0..75 {
                l.bytes(&[0; 48]);
            }
        });
    });
    assert_eq!(
        admin2.load_key_message("g", &garbage, T0),
        Err(KeysError::AdminDecryptFailed)
    );
    assert_eq!(load(&garbage).unwrap(), LoadOutcome::NotForUs);
}

fn admin_keys_only(group: &GroupIdentity) -> GroupKeys {
    admin(group)
}

/// A dictionary signed by the group the way key messages are.
fn signed(group: &GroupIdentity, entries: impl FnOnce(&mut session_bt::DictWriter<'_>)) -> Vec<u8> {
    let mut dict = Vec::new();
    session_bt::write_dict(&mut dict, entries).unwrap();
    dict.pop();
    let sig = group.keypair().sign(&dict);
    dict.extend_from_slice(b"1:~64:");
    dict.extend_from_slice(&sig);
    dict.push(b'e');
    dict
}

#[test]
fn tampered_group_messages_are_rejected() {
    let group = group();
    let alice = user(1);
    let mut admin = admin(&group);
    let rekey = admin.rekey(&[alice.session_id()]).unwrap();
    let mut r = rng();
    let ciphertext = admin
        .encrypt_message(&mut r, &[b'a'; 3000], true, 256)
        .unwrap();
    assert!(ciphertext.len() < 3000, "compressed");
    let keys = [rekey.key.clone()];

    let mut flipped = ciphertext.clone();
    flipped[30] ^= 1;
    assert_eq!(
        message::decrypt(&keys, group.public_key(), &flipped),
        Err(MessageError::NoKeyDecrypts { tried: 1 })
    );
    assert_eq!(
        message::decrypt(&keys, group.public_key(), &ciphertext[..39]),
        Err(MessageError::TooShort(39))
    );
    // The same key reused by another group: the signature binds the group key.
    let other = GroupIdentity::from_seed(&Ed25519Seed::from_bytes([0x43; 32]));
    assert_eq!(
        message::decrypt(&keys, other.public_key(), &ciphertext),
        Err(MessageError::BadSignature)
    );
    let ok = message::decrypt(&keys, group.public_key(), &ciphertext).unwrap();
    assert_eq!(ok.plaintext, vec![b'a'; 3000]);
    assert_eq!(ok.sender_ed25519, *user(0).ed25519_public());
    assert_eq!(
        message::encrypt(
            &mut r,
            &alice,
            group.public_key(),
            &rekey.key,
            &vec![0; 1_000_001],
            true,
            256
        ),
        Err(MessageError::TooLarge(1_000_001))
    );
}

#[test]
fn group_envelopes_round_trip() {
    let group = group();
    let alice = user(1);
    let mut admin = admin(&group);
    let rekey = admin.rekey(&[alice.session_id()]).unwrap();
    let mut alice_keys = member(&alice, &group);
    alice_keys
        .load_key_message("h", &rekey.message, T0)
        .unwrap();
    let mut r = rng();
    let sig = ProSignature::decoy(&[9; 64]);
    let sent = alice_keys
        .encrypt_envelope(&mut r, b"\x0a\x02hi", 1_700_000_000_123, &sig)
        .unwrap();
    let got = admin.decrypt_envelope(&sent).unwrap();
    assert_eq!(got.sender, alice.session_id());
    assert_eq!(got.timestamp_ms, 1_700_000_000_123);
    assert_eq!(got.content, b"\x0a\x02hi");
    assert_eq!(got.pro_sig, Some(sig.to_bytes()));

    // A 1:1-typed envelope inside group encryption is refused.
    let wrong = Envelope {
        r#type: Some(envelope::Type::SessionMessage.into()),
        timestamp: Some(1),
        content: Some(vec![1]),
        ..Envelope::default()
    };
    let ct = message::encrypt(
        &mut r,
        &alice,
        group.public_key(),
        &rekey.key,
        &prost::Message::encode_to_vec(&wrong),
        true,
        256,
    )
    .unwrap();
    assert!(matches!(
        admin.decrypt_envelope(&ct),
        Err(MessageError::Envelope(_))
    ));
}

#[test]
fn control_messages_verify_and_reject_wrong_admins() {
    let group = group();
    let impostor = GroupIdentity::from_seed(&Ed25519Seed::from_bytes([0x44; 32]));
    let alice = user(1);
    let ts = 1_700_000_000_456;
    let admin = admin(&group);
    let auth = admin
        .make_subaccount(&alice.session_id(), SubaccountFlags::MEMBER)
        .unwrap();

    let invite = Invite::new(
        group.keypair(),
        "Friends",
        &alice.session_id(),
        auth.clone(),
        ts,
    );
    let decoded = GroupUpdate::decode(&GroupUpdate::Invite(invite.clone()).encode()).unwrap();
    assert_eq!(decoded, GroupUpdate::Invite(invite.clone()));
    invite.verify(&alice, ts).unwrap();
    assert_eq!(
        invite.verify(&alice, ts + 1),
        Err(ControlError::BadAdminSignature)
    );
    assert_eq!(
        invite.verify(&user(2), ts),
        Err(ControlError::BadAdminSignature)
    );
    let mut forged = Invite::new(impostor.keypair(), "Friends", &alice.session_id(), auth, ts);
    forged.group_id = group.id();
    assert_eq!(
        forged.verify(&alice, ts),
        Err(ControlError::BadAdminSignature)
    );
    assert_eq!(
        decoded.verify(group.public_key(), ts),
        Err(ControlError::DirectMessage)
    );

    let signed_updates = [
        GroupUpdate::InfoChange(InfoChange::new(
            group.keypair(),
            InfoChangeKind::Name("New".into()),
            ts,
        )),
        GroupUpdate::InfoChange(InfoChange::new(
            group.keypair(),
            InfoChangeKind::DisappearingMessages(3600),
            ts,
        )),
        GroupUpdate::InfoChange(InfoChange::new(group.keypair(), InfoChangeKind::Avatar, ts)),
        GroupUpdate::MemberChange(MemberChange::new(
            group.keypair(),
            MemberChangeKind::Added,
            vec![alice.session_id()],
            true,
            ts,
        )),
        GroupUpdate::MemberChange(MemberChange::new(
            group.keypair(),
            MemberChangeKind::Removed,
            vec![alice.session_id()],
            false,
            ts,
        )),
        GroupUpdate::MemberChange(MemberChange::new(
            group.keypair(),
            MemberChangeKind::Promoted,
            vec![alice.session_id()],
            false,
            ts,
        )),
        GroupUpdate::DeleteMemberContent(DeleteMemberContent::new_admin(
            group.keypair(),
            vec![alice.session_id()],
            vec!["hash1".into(), "hash2".into()],
            ts,
        )),
    ];
    for update in &signed_updates {
        let decoded = GroupUpdate::decode(&update.encode()).unwrap();
        assert_eq!(&decoded, update);
        decoded.verify(group.public_key(), ts).unwrap();
        assert_eq!(
            decoded.verify(impostor.public_key(), ts),
            Err(ControlError::BadAdminSignature)
        );
        assert_eq!(
            decoded.verify(group.public_key(), ts - 1),
            Err(ControlError::BadAdminSignature)
        );
    }
    // The exact strings clients sign.
    let GroupUpdate::MemberChange(change) = &signed_updates[3] else {
        unreachable!()
    };
    ed25519::verify(
        &change.admin_signature,
        group.public_key(),
        format!("MEMBER_CHANGE1{ts}").as_bytes(),
    )
    .unwrap();
    let GroupUpdate::InfoChange(change) = &signed_updates[1] else {
        unreachable!()
    };
    ed25519::verify(
        &change.admin_signature,
        group.public_key(),
        format!("INFO_CHANGE3{ts}").as_bytes(),
    )
    .unwrap();
    let GroupUpdate::DeleteMemberContent(delete) = &signed_updates[6] else {
        unreachable!()
    };
    ed25519::verify(
        &delete.admin_signature.unwrap(),
        group.public_key(),
        format!("DELETE_CONTENT{ts}{}hash1hash2", alice.session_id()).as_bytes(),
    )
    .unwrap();
    ed25519::verify(
        &invite.admin_signature,
        group.public_key(),
        format!("INVITE{}{ts}", alice.session_id()).as_bytes(),
    )
    .unwrap();

    for unsigned in [
        GroupUpdate::MemberLeft,
        GroupUpdate::MemberLeftNotification,
        GroupUpdate::InviteResponse { approved: true },
        GroupUpdate::DeleteMemberContent(DeleteMemberContent {
            members: vec![],
            message_hashes: vec!["mine".into()],
            admin_signature: None,
        }),
    ] {
        let decoded = GroupUpdate::decode(&unsigned.encode()).unwrap();
        assert_eq!(decoded, unsigned);
        decoded.verify(group.public_key(), ts).unwrap();
    }
    assert_eq!(GroupUpdate::decode(&[]), Err(ControlError::UpdateCount(0)));
    assert_eq!(GroupUpdate::decode(&[0xff]), Err(ControlError::Protobuf));
}

#[test]
fn kicked_notices_reach_the_removed_only() {
    let group = group();
    let (alice, bob, carol) = (user(1), user(2), user(3));
    let mut r = rng();
    let notice = kicked::encrypt(
        &mut r,
        group.keypair(),
        &[alice.session_id(), bob.session_id()],
        12,
    )
    .unwrap();
    assert_eq!(
        kicked::decrypt(&notice, &alice, group.public_key()).unwrap(),
        Some(12)
    );
    assert_eq!(
        kicked::decrypt(&notice, &bob, group.public_key()).unwrap(),
        Some(12)
    );
    assert!(kicked::decrypt(&notice, &carol, group.public_key()).is_err());
    let mut id = [0u8; 33];
    id[0] = 0x03;
    let bad = SessionId::from_bytes(&id).unwrap();
    assert!(kicked::encrypt(&mut r, group.keypair(), &[bad], 1).is_err());
}

#[test]
fn revocations_sign_method_timestamp_and_raw_tokens() {
    let group = group();
    let admin = admin(&group);
    let tokens: Vec<_> = (1..=60)
        .map(|n| {
            admin
                .subaccount_token(&user(n).session_id(), SubaccountFlags::MEMBER)
                .unwrap()
        })
        .collect();
    let requests = Revocation::build(
        group.keypair(),
        RevocationKind::Revoke,
        1_700_000_000_000,
        &tokens,
    );
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].tokens.len(), 50);
    let signed = requests[1].signed_bytes();
    assert!(signed.starts_with(b"revoke_subaccount1700000000000"));
    assert_eq!(signed.len(), 30 + 10 * 36);
    ed25519::verify(&requests[1].signature, group.public_key(), &signed).unwrap();
    let unrevoke = Revocation::build(group.keypair(), RevocationKind::Unrevoke, 5, &tokens);
    assert_eq!(unrevoke.len(), 1);
    assert!(
        unrevoke[0]
            .signed_bytes()
            .starts_with(b"unrevoke_subaccount5")
    );
    assert!(
        member(&user(1), &group)
            .subaccount_token(&user(2).session_id(), SubaccountFlags::MEMBER)
            .is_err()
    );
}

#[test]
fn subaccount_signatures_verify_as_ed25519() {
    let group = group();
    let admin = admin(&group);
    for n in 1..20 {
        let alice = user(n);
        let auth = admin
            .make_subaccount(&alice.session_id(), SubaccountFlags::new(true, n % 2 == 0))
            .unwrap();
        let keys = member(&alice, &group);
        keys.verify_subaccount(&auth, SubaccountFlags::WRITE)
            .unwrap();
        let signed = keys
            .sign_as_subaccount(&auth, b"store111700000000000")
            .unwrap();
        ed25519::verify(
            &signed.signature,
            &signed.subaccount.signing_key(),
            b"store111700000000000",
        )
        .unwrap();
        ed25519::verify(
            &signed.subaccount_sig,
            group.public_key(),
            &signed.subaccount.0,
        )
        .unwrap();
        // Someone else's auth data does not verify for us.
        assert!(
            member(&user(n + 100), &group)
                .verify_subaccount(&auth, SubaccountFlags::READ)
                .is_err()
        );
    }
}

#[test]
fn legacy_group_messages_decrypt() {
    let mut r = rng();
    let old_pair = LegacyKeypair::new(X25519Secret::from_bytes([8; 32]));
    let new_pair = LegacyKeypair::new(X25519Secret::from_bytes([9; 32]));
    let group_id = SessionId::new(IdPrefix::Standard, [0x11; 32]);
    let sender = user(1);
    let recipient = SessionId::new(IdPrefix::Standard, *old_pair.public_key());
    let padded = session_protocol::padding::pad(b"content bytes");
    let content =
        session_protocol::direct::encrypt_for_recipient(&mut r, &sender, &recipient, &padded)
            .unwrap();

    let pairs = [new_pair.clone(), old_pair];
    let message = legacy::decrypt_content(&pairs, &content).unwrap();
    assert_eq!(message.sender, sender.session_id());
    assert_eq!(message.content, b"content bytes");
    assert!(legacy::decrypt_content(&[new_pair], &content).is_err());

    let envelope = Envelope {
        r#type: Some(envelope::Type::ClosedGroupMessage.into()),
        source: Some(group_id.to_string()),
        timestamp: Some(77),
        content: Some(content.clone()),
        ..Envelope::default()
    };
    let stored = prost::Message::encode_to_vec(&session_protocol::proto::WebSocketMessage {
        r#type: Some(1),
        request: Some(session_protocol::proto::WebSocketRequestMessage {
            verb: Some("PUT".into()),
            path: Some("/api/v1/message".into()),
            body: Some(prost::Message::encode_to_vec(&envelope)),
            request_id: Some(0),
            headers: vec![],
        }),
        response: None,
    });
    let message = legacy::decrypt_stored(&group_id, &pairs, &stored).unwrap();
    assert_eq!(message.timestamp_ms, Some(77));
    assert_eq!(message.content, b"content bytes");
    let other_group = SessionId::new(IdPrefix::Standard, [0x12; 32]);
    assert!(legacy::decrypt_stored(&other_group, &pairs, &stored).is_err());
    let mut tampered = content;
    tampered[60] ^= 1;
    assert!(legacy::decrypt_content(&pairs, &tampered).is_err());
}

/// Encrypts a hand-built inner dictionary under `key`, as a hostile sender could.
fn seal_inner(key: &session_groups::GroupKey, inner: &[u8]) -> Vec<u8> {
    let nonce = [7u8; 24];
    let mut out = nonce.to_vec();
    out.extend(session_crypto::aead::xchacha20poly1305_encrypt(key, &nonce, &[], inner).unwrap());
    out
}

/// `{"": version, "a": author, <data key>: data, "s": signature over data || group}`.
fn inner_dict(
    version: i64,
    author: &Keypair,
    group_pk: &[u8; 32],
    entries: &[(&[u8], &[u8])],
) -> Vec<u8> {
    let signed_data = entries
        .iter()
        .find(|(k, _)| *k == b"d" || *k == b"z")
        .map_or(&[][..], |(_, v)| *v);
    let signature = author.sign(&[signed_data, group_pk].concat());
    let mut all: Vec<(&[u8], Vec<u8>)> = entries.iter().map(|(k, v)| (*k, v.to_vec())).collect();
    all.push((b"s", signature.to_vec()));
    all.sort_by(|a, b| a.0.cmp(b.0));
    let mut out = Vec::new();
    session_bt::write_dict(&mut out, |d| {
        d.int(b"", version);
        d.bytes(b"a", author.ed25519_public());
        for (k, v) in &all {
            d.bytes(k, v);
        }
    })
    .unwrap();
    out
}

#[test]
fn malformed_group_payloads_get_typed_errors() {
    let group = group();
    let key = session_groups::GroupKey::from_bytes([1; 32]);
    let sender = user(1);
    let gpk = group.public_key();
    let decrypt = |inner: &[u8]| message::decrypt([&key], gpk, &seal_inner(&key, inner));

    let good = inner_dict(1, &sender, gpk, &[(b"d", b"data")]);
    assert_eq!(decrypt(&good).unwrap().plaintext, b"data");
    assert_eq!(
        decrypt(&inner_dict(2, &sender, gpk, &[(b"d", b"data")])),
        Err(MessageError::Version(2))
    );
    assert!(matches!(
        decrypt(&inner_dict(1, &sender, gpk, &[(b"d", b"x"), (b"z", b"y")])),
        Err(MessageError::Malformed(_))
    ));
    assert!(matches!(
        decrypt(&inner_dict(1, &sender, gpk, &[])),
        Err(MessageError::Malformed(_))
    ));
    assert!(matches!(
        decrypt(b"not bencode"),
        Err(MessageError::Malformed(_))
    ));
    // Signed over the data alone (the pre-2025 form): refused.
    let mut old = good.clone();
    let pos = old.windows(4).position(|w| w == b"1:s6").unwrap() + 6;
    old[pos..pos + 64].copy_from_slice(&sender.sign(b"data"));
    assert_eq!(decrypt(&old), Err(MessageError::BadSignature));
    // A zip bomb: 2 MB of zeros compress to a few bytes but exceed the 1 MB limit.
    let bomb = zstd::bulk::compress(&vec![0u8; 2_000_000], 1).unwrap();
    assert_eq!(
        decrypt(&inner_dict(1, &sender, gpk, &[(b"z", &bomb)])),
        Err(MessageError::Decompress)
    );
    let fine = zstd::bulk::compress(&[b'q'; 5000], 1).unwrap();
    assert_eq!(
        decrypt(&inner_dict(1, &sender, gpk, &[(b"z", &fine)]))
            .unwrap()
            .plaintext,
        vec![b'q'; 5000]
    );
}

#[test]
fn rekey_build_is_the_keys_state_rekey_at_any_generation() {
    let group = group();
    let ids: Vec<SessionId> = (0..3).map(|n| user(n).session_id()).collect();
    let mut admin = admin(&group);
    let from_state = admin.rekey(&ids).unwrap();
    let built = session_groups::Rekey::build(group.keypair(), &ids, 0).unwrap();
    assert_eq!(built.message, from_state.message);
    assert_eq!(built.key, from_state.key);
    let later = session_groups::Rekey::build(group.keypair(), &ids, 7).unwrap();
    assert_eq!(later.generation, 7);
    assert_ne!(later.key, built.key);
    let mut reader = member(&user(1), &group);
    reader.load_key_message("h7", &later.message, T0).unwrap();
    assert_eq!(reader.current_generation(), 7);
    assert_eq!(reader.encryption_key().unwrap(), &later.key);
    assert_eq!(
        session_groups::Rekey::build(group.keypair(), &ids, -1).unwrap_err(),
        KeysError::Malformed("negative generation")
    );
}
