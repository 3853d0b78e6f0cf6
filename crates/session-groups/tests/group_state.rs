//! The group state end to end over an in-memory swarm: a 100-member group, removal with
//! rekey, promotion, signatures of the configs, older keys, concurrent admins and dumps.

// Tests: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use session_config::ConfigBase;
use session_config::user::ProfilePic;
use session_crypto::Ed25519Seed;
use session_groups::constants::{
    INFO_NAMESPACE, KEYS_NAMESPACE, MEMBERS_NAMESPACE, MESSAGES_NAMESPACE, REVOKED_NAMESPACE,
};
use session_groups::control::{GroupUpdate, Invite, MemberChangeKind, Promote};
use session_groups::revoke::RevocationKind;
use session_groups::subaccount::SubaccountFlags;
use session_groups::{
    ConfigPush, DirectUpdate, Group, GroupError, GroupEvent, GroupInfo, GroupMembers, MessageError,
    Pending, ReceivedMessage, RemovedStatus, SwarmAuth,
};
use session_identity::{Keypair, SessionId};
use session_protocol::message::{Message, MessageKind, VisibleMessage};

const T0: u64 = 1_700_000_000_000;

fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

fn user(n: u32) -> Keypair {
    let mut seed = [0u8; 32];
    seed[..4].copy_from_slice(&n.to_le_bytes());
    seed[31] = 0x77;
    Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes(seed))
}

/// One group's namespaces, as a swarm would hold them.
#[derive(Default)]
struct Swarm {
    namespaces: BTreeMap<i16, Vec<(String, Vec<u8>, i64)>>,
    stored: u64,
}

impl Swarm {
    fn now(&self) -> i64 {
        T0 as i64 + self.stored as i64 * 1000
    }

    fn store(&mut self, namespace: i16, data: &[u8]) -> String {
        self.stored += 1;
        let hash = format!("hash{}", self.stored);
        let now = self.now();
        self.namespaces
            .entry(namespace)
            .or_default()
            .push((hash.clone(), data.to_vec(), now));
        hash
    }

    fn delete(&mut self, hashes: &[String]) {
        for messages in self.namespaces.values_mut() {
            messages.retain(|(h, _, _)| !hashes.contains(h));
        }
    }

    /// Stores and confirms pushes in order, as a driver does.
    fn push(&mut self, group: &mut Group, pushes: &[ConfigPush]) {
        for push in pushes {
            let hashes: Vec<String> = push
                .messages
                .iter()
                .map(|m| self.store(push.namespace, m))
                .collect();
            self.delete(&push.obsolete_hashes);
            group.confirm_pushed(push, &hashes, self.now()).unwrap();
        }
    }

    /// Stores and confirms pushes; returns the last message stored with its hash.
    fn push_returning(
        &mut self,
        group: &mut Group,
        pushes: &[ConfigPush],
    ) -> Option<(String, Vec<u8>)> {
        self.push(group, pushes);
        let last = pushes.last()?.messages.last()?.clone();
        Some((format!("hash{}", self.stored), last))
    }

    fn messages(&self, namespace: i16) -> Vec<(String, Vec<u8>, i64)> {
        self.namespaces.get(&namespace).cloned().unwrap_or_default()
    }

    /// Ingests the config namespaces, configs before keys (so that configs wait for their key).
    fn sync(&self, group: &mut Group) -> Vec<GroupEvent> {
        let mut events = Vec::new();
        for namespace in [MEMBERS_NAMESPACE, INFO_NAMESPACE, KEYS_NAMESPACE] {
            for (hash, data, ts) in self.messages(namespace) {
                if let Ok(more) = group.ingest(namespace, &hash, &data, ts) {
                    events.extend(more);
                }
            }
        }
        events
    }
}

/// The update carried 1:1, decoded back from its `Content` bytes as the recipient would.
fn receive_direct(direct: &DirectUpdate) -> GroupUpdate {
    let message = Message::decode(&direct.content()).unwrap();
    assert_eq!(message.sent_at_ms, direct.sent_ms);
    let MessageKind::GroupUpdate(update) = message.kind else {
        panic!("not a group update");
    };
    GroupUpdate::from_proto(update.update).unwrap()
}

fn invite_of(direct: &DirectUpdate) -> Invite {
    match receive_direct(direct) {
        GroupUpdate::Invite(invite) => invite,
        other => panic!("not an invite: {other:?}"),
    }
}

fn text(body: &str, sent_ms: u64) -> Vec<u8> {
    Message::new(VisibleMessage::text(body), sent_ms).encode()
}

fn read(group: &mut Group, hash: &str, data: &[u8]) -> Result<ReceivedMessage, GroupError> {
    let mut events = group.ingest(MESSAGES_NAMESPACE, hash, data, 0)?.into_iter();
    match events.next() {
        Some(GroupEvent::Message(message)) => Ok(*message),
        other => panic!("expected a message, got {other:?}"),
    }
}

fn body(message: &ReceivedMessage) -> String {
    let decoded = Message::decode(&message.envelope.content).unwrap();
    match decoded.kind {
        MessageKind::Visible(visible) => visible.body.unwrap_or_default(),
        other => panic!("not visible: {other:?}"),
    }
}

/// A created group of the admin `user(0)` and `members`, pushed.
fn created(swarm: &mut Swarm, members: &[SessionId]) -> Group {
    let (mut admin, pushes) = Group::create(&mut rng(1), user(0), "Team", members, T0).unwrap();
    assert_eq!(
        pushes.iter().map(|p| p.namespace).collect::<Vec<_>>(),
        [KEYS_NAMESPACE, INFO_NAMESPACE, MEMBERS_NAMESPACE],
        "the key message goes first"
    );
    swarm.push(&mut admin, &pushes);
    assert!(admin.pending_pushes().unwrap().is_empty());
    admin
}

/// Invites `ids` and has each accept and sync; returns their states.
fn join(swarm: &mut Swarm, admin: &mut Group, ids: &[(u32, SessionId)], now: u64) -> Vec<Group> {
    let invitation = admin
        .invite(
            &mut rng(2),
            &ids.iter().map(|i| i.1).collect::<Vec<_>>(),
            false,
            now,
        )
        .unwrap();
    swarm.push(admin, &invitation.pushes);
    assert_eq!(invitation.invites.len(), ids.len());
    ids.iter()
        .zip(&invitation.invites)
        .map(|((n, id), direct)| {
            assert_eq!(direct.recipient, *id);
            let mut member = Group::accept_invite(user(*n), &invite_of(direct), now).unwrap();
            swarm.sync(&mut member);
            member
        })
        .collect()
}

#[test]
fn hundred_member_group_every_member_joins_and_reads() {
    let mut swarm = Swarm::default();
    let ids: Vec<(u32, SessionId)> = (1..100).map(|n| (n, user(n).session_id())).collect();
    let mut admin = created(&mut swarm, &ids.iter().map(|i| i.1).collect::<Vec<_>>());
    assert_eq!(admin.members().len(), 100);
    assert_eq!(
        admin.members().get(&ids[0].1).unwrap().invite,
        Pending::NotSent
    );

    let invitation = admin
        .invite(
            &mut rng(2),
            &ids.iter().map(|i| i.1).collect::<Vec<_>>(),
            false,
            T0 + 5,
        )
        .unwrap();
    // Everyone already had the first key: no new key message, only Members (invites sent).
    assert_eq!(
        invitation
            .pushes
            .iter()
            .map(|p| p.namespace)
            .collect::<Vec<_>>(),
        [MEMBERS_NAMESPACE]
    );
    assert!(invitation.group_messages.is_empty());
    swarm.push(&mut admin, &invitation.pushes);
    assert_eq!(
        admin.members().get(&ids[5].1).unwrap().invite,
        Pending::Sent
    );

    let mut r = rng(3);
    let hello = admin
        .encrypt_message(&mut r, &text("hello 100", T0 + 10), T0 + 10)
        .unwrap();
    let hello_hash = swarm.store(MESSAGES_NAMESPACE, &hello);

    let mut responses = Vec::new();
    for ((n, id), direct) in ids.iter().zip(&invitation.invites) {
        let mut member = Group::accept_invite(user(*n), &invite_of(direct), T0 + 5).unwrap();
        assert!(!member.is_admin());
        let events = swarm.sync(&mut member);
        assert!(events.contains(&GroupEvent::KeysChanged { generation: 0 }));
        assert!(events.contains(&GroupEvent::InfoChanged));
        assert!(events.contains(&GroupEvent::MembersChanged));
        assert_eq!(member.info().name().as_deref(), Some("Team"));
        assert_eq!(member.info().created(), Some((T0 / 1000) as i64));
        assert_eq!(member.members().len(), 100);
        assert!(
            member
                .members()
                .get(&admin.user().session_id())
                .unwrap()
                .promoted()
        );

        let message = read(&mut member, &hello_hash, &hello).unwrap();
        assert_eq!(message.sender(), admin.user().session_id());
        assert_eq!(body(&message), "hello 100");

        // The member's swarm access: subaccount signatures with the invite's auth data.
        let SwarmAuth::Subaccount(sig) = member.sign_request(b"retrieve111700000000000").unwrap()
        else {
            panic!("members sign as subaccounts");
        };
        assert_eq!(
            sig.subaccount,
            admin
                .keys()
                .subaccount_token(id, SubaccountFlags::MEMBER)
                .unwrap()
        );
        responses.push(member.invite_response(&mut r, T0 + 20).unwrap());
        // Every member can post too.
        if *n == 42 {
            let post = member
                .encrypt_message(&mut r, &text("from 42", T0 + 30), T0 + 30)
                .unwrap();
            let seen = read(&mut admin, "post", &post).unwrap();
            assert_eq!(seen.sender(), *id);
            assert_eq!(body(&seen), "from 42");
        }
    }
    // The admin reads the invite responses as control messages and marks the invites
    // accepted.
    for response in &responses {
        let events = admin.ingest(MESSAGES_NAMESPACE, "r", response, 0).unwrap();
        let [GroupEvent::Message(message), GroupEvent::MembersChanged] = events.as_slice() else {
            panic!("a message and a members change: {events:?}");
        };
        assert_eq!(
            message.update,
            Some(GroupUpdate::InviteResponse { approved: true })
        );
    }
    assert!(admin.members().iter().all(|m| !m.invite_pending()));
    let pushes = admin.pending_pushes().unwrap();
    assert_eq!(pushes.len(), 1);
    swarm.push(&mut admin, &pushes);
}

#[test]
fn removed_member_reads_old_messages_but_not_new_ones() {
    let mut swarm = Swarm::default();
    let (alice, bob) = (user(1).session_id(), user(2).session_id());
    let mut admin = created(&mut swarm, &[alice, bob]);
    let mut joined = join(&mut swarm, &mut admin, &[(1, alice), (2, bob)], T0 + 1);
    let (mut alice_group, mut bob_group) = (joined.remove(0), joined.remove(0));

    let mut r = rng(4);
    let before = admin
        .encrypt_message(&mut r, &text("before", T0 + 2), T0 + 2)
        .unwrap();

    let removal = admin.remove(&mut r, &[bob], true, T0 + 3).unwrap();
    assert_eq!(
        removal
            .pushes
            .iter()
            .map(|p| p.namespace)
            .collect::<Vec<_>>(),
        [KEYS_NAMESPACE, INFO_NAMESPACE, MEMBERS_NAMESPACE],
        "a rekey, then both configs re-encrypted with the new key"
    );
    assert_eq!(removal.pushes[0].seqno, 1, "generation 1");
    assert_eq!(removal.revocations.len(), 1);
    assert_eq!(removal.revocations[0].kind, RevocationKind::Revoke);
    assert_eq!(
        removal.revocations[0].tokens,
        [admin
            .keys()
            .subaccount_token(&bob, SubaccountFlags::MEMBER)
            .unwrap()]
    );
    assert_eq!(
        removal.group_messages.len(),
        2,
        "member change and content deletion"
    );
    swarm.push(&mut admin, &removal.pushes);
    let kicked_hash = swarm.store(REVOKED_NAMESPACE, &removal.kicked_notice);
    assert_eq!(
        admin.members().get(&bob).unwrap().removed,
        RemovedStatus::RemovedWithMessages
    );
    assert_eq!(admin.keys().current_generation(), 1);

    let after = admin
        .encrypt_message(&mut r, &text("after", T0 + 4), T0 + 4)
        .unwrap();

    // Alice gets the new key and reads both, and the removal announcement.
    let events = swarm.sync(&mut alice_group);
    assert!(events.contains(&GroupEvent::KeysChanged { generation: 1 }));
    assert_eq!(body(&read(&mut alice_group, "a", &after).unwrap()), "after");
    assert_eq!(
        body(&read(&mut alice_group, "b", &before).unwrap()),
        "before"
    );
    let announced = read(&mut alice_group, "c", &removal.group_messages[0]).unwrap();
    let Some(GroupUpdate::MemberChange(change)) = announced.update else {
        panic!("a member change");
    };
    assert_eq!(change.kind, MemberChangeKind::Removed);
    assert_eq!(change.members, [bob]);
    assert_eq!(
        alice_group.members().get(&bob).unwrap().removed,
        RemovedStatus::RemovedWithMessages
    );

    // Bob: the new key message is not for him, the new configs and message do not decrypt.
    let events = swarm.sync(&mut bob_group);
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, GroupEvent::KeysChanged { .. }))
    );
    assert_eq!(bob_group.keys().current_generation(), 0);
    assert!(matches!(
        read(&mut bob_group, "d", &after),
        Err(GroupError::Message(MessageError::NoKeyDecrypts { .. }))
    ));
    assert_eq!(body(&read(&mut bob_group, "e", &before).unwrap()), "before");
    // He finds the kicked notice in -11 (Alice finds nothing for her there).
    assert_eq!(
        bob_group
            .ingest(REVOKED_NAMESPACE, &kicked_hash, &removal.kicked_notice, 0)
            .unwrap(),
        [GroupEvent::Kicked { generation: 1 }]
    );
    assert!(bob_group.is_kicked());
    assert!(
        alice_group
            .ingest(REVOKED_NAMESPACE, &kicked_hash, &removal.kicked_notice, 0)
            .unwrap()
            .is_empty()
    );

    // Once done, the admin drops Bob from the list; he is no longer a key recipient.
    let pushes = admin.erase_removed().unwrap();
    swarm.push(&mut admin, &pushes);
    assert!(admin.members().get(&bob).is_none());
    assert_eq!(admin.members().key_recipients().len(), 2);
}

#[test]
fn promoted_member_administers() {
    let mut swarm = Swarm::default();
    let (alice, carol) = (user(1).session_id(), user(3).session_id());
    let mut admin = created(&mut swarm, &[alice]);
    let mut alice_group = join(&mut swarm, &mut admin, &[(1, alice)], T0 + 1).remove(0);

    // A member cannot administer.
    assert_eq!(alice_group.rekey().unwrap_err(), GroupError::NotAdmin);
    assert!(matches!(
        alice_group.invite(&mut rng(5), &[carol], false, T0),
        Err(GroupError::NotAdmin)
    ));

    let promotion = admin.promote(&mut rng(5), &alice, T0 + 2).unwrap();
    // The seed travels in the promotion but never shows in Debug output.
    let seed_hex = hex::encode(admin.identity().unwrap().seed().expose_secret());
    assert!(!format!("{promotion:?}").contains(&seed_hex));
    assert!(!format!("{admin:?}").contains(&seed_hex));
    swarm.push(&mut admin, &promotion.pushes);
    assert!(admin.members().get(&alice).unwrap().promotion_pending());
    let GroupUpdate::Promote(promote) = receive_direct(&promotion.promote) else {
        panic!("a promotion");
    };
    // A promotion for another group is refused.
    let other = Promote::new(
        &session_groups::GroupIdentity::from_seed(&Ed25519Seed::from_bytes([9; 32])),
        "x",
    );
    assert_eq!(
        alice_group.accept_promotion(&other).unwrap_err(),
        GroupError::WrongGroup
    );
    swarm.sync(&mut alice_group);
    let pushes = alice_group.accept_promotion(&promote).unwrap();
    assert!(alice_group.is_admin());
    assert_eq!(pushes.len(), 1);
    assert_eq!(pushes[0].namespace, MEMBERS_NAMESPACE);
    swarm.push(&mut alice_group, &pushes);
    assert!(alice_group.members().get(&alice).unwrap().promoted());
    assert!(matches!(
        alice_group.sign_request(b"x").unwrap(),
        SwarmAuth::Admin { .. }
    ));

    // Alice edits the Info, rekeys and invites Carol.
    let update = alice_group
        .update_info(&mut rng(6), T0 + 3, |info| {
            info.set_name("Alice's team")?;
            info.set_expiry_timer(3600)?;
            Ok(())
        })
        .unwrap();
    assert_eq!(update.group_messages.len(), 2, "name and timer announced");
    swarm.push(&mut alice_group, &update.pushes);
    let pushes = alice_group.rekey().unwrap();
    assert_eq!(pushes[0].namespace, KEYS_NAMESPACE);
    swarm.push(&mut alice_group, &pushes);
    let mut carol_group = join(&mut swarm, &mut alice_group, &[(3, carol)], T0 + 4).remove(0);
    assert_eq!(carol_group.info().name().as_deref(), Some("Alice's team"));
    assert_eq!(carol_group.info().expiry_timer(), Some(3600));
    assert_eq!(carol_group.keys().current_generation(), 2);

    // The creator sees all of it.
    swarm.sync(&mut admin);
    assert_eq!(admin.info().name().as_deref(), Some("Alice's team"));
    assert!(admin.members().get(&alice).unwrap().promoted());
    assert_eq!(admin.members().get(&carol).unwrap().invite, Pending::Sent);
    assert_eq!(admin.keys().current_generation(), 2);

    let mut r = rng(7);
    let hi = carol_group
        .encrypt_message(&mut r, &text("hi", T0 + 5), T0 + 5)
        .unwrap();
    assert_eq!(body(&read(&mut admin, "h", &hi).unwrap()), "hi");
    let announced = read(&mut carol_group, "i", &update.group_messages[0]).unwrap_err();
    // The announcement was encrypted with generation 1, before Carol's rekey: she has it only
    // through no key at all (she joined at generation 2 without history).
    assert!(matches!(
        announced,
        GroupError::Message(MessageError::NoKeyDecrypts { .. })
    ));
}

#[test]
fn supplement_shares_history() {
    let mut swarm = Swarm::default();
    let alice = user(1).session_id();
    let dave = user(4).session_id();
    let mut admin = created(&mut swarm, &[alice]);
    let mut r = rng(8);
    let old = admin
        .encrypt_message(&mut r, &text("old", T0 + 1), T0 + 1)
        .unwrap();
    let invitation = admin.invite(&mut r, &[dave], true, T0 + 2).unwrap();
    assert_eq!(invitation.pushes[0].namespace, KEYS_NAMESPACE);
    assert_eq!(invitation.pushes[0].seqno, -1, "a supplement, not a rekey");
    swarm.push(&mut admin, &invitation.pushes);
    assert!(admin.members().get(&dave).unwrap().supplement);
    assert_eq!(admin.keys().current_generation(), 0);
    let mut dave_group =
        Group::accept_invite(user(4), &invite_of(&invitation.invites[0]), T0 + 2).unwrap();
    swarm.sync(&mut dave_group);
    assert_eq!(body(&read(&mut dave_group, "o", &old).unwrap()), "old");
}

#[test]
fn configs_from_a_non_admin_are_rejected() {
    let mut swarm = Swarm::default();
    let alice = user(1).session_id();
    let mut admin = created(&mut swarm, &[alice]);
    let mut alice_group = join(&mut swarm, &mut admin, &[(1, alice)], T0 + 1).remove(0);

    // Someone holding the group's encryption key (a member) but not its signing key forges an
    // Info: signed with their own key, and unsigned.
    let key = alice_group.keys().encryption_key().unwrap().clone();
    for signer in [Some(user(1)), None] {
        let mut forged = ConfigBase::new(GroupInfo::KIND);
        forged.add_key(*key.expose_secret(), true);
        if let Some(signer) = signer {
            forged.set_sig_keys(signer);
        }
        forged.set(&[b"n"], Some("Hijacked".into())).unwrap();
        let bytes = forged.push().unwrap().messages.remove(0);
        assert_eq!(
            alice_group
                .ingest(INFO_NAMESPACE, "forged", &bytes, 0)
                .unwrap_err(),
            GroupError::Config(session_config::Error::Parse(
                session_config::ParseError::BadSignature
            ))
        );
        assert_eq!(alice_group.info().name().as_deref(), Some("Team"));
    }
    // A read-only member cannot change its configs.
    let mut members = alice_group.members().clone();
    assert_eq!(
        members.erase(&alice).unwrap_err(),
        session_config::Error::ReadOnly
    );
}

#[test]
fn older_keys_still_decrypt_messages_and_configs() {
    let mut swarm = Swarm::default();
    let alice = user(1).session_id();
    let mut admin = created(&mut swarm, &[alice]);
    let mut alice_group = join(&mut swarm, &mut admin, &[(1, alice)], T0 + 1).remove(0);
    let mut r = rng(9);
    let gen0 = admin
        .encrypt_message(&mut r, &text("gen0", T0 + 2), T0 + 2)
        .unwrap();
    // An Info push under generation 0, which Alice only sees after two rekeys.
    let update = admin
        .update_info(&mut r, T0 + 3, |info| Ok(info.set_description("first")?))
        .unwrap();
    let stale = update.pushes[0].messages[0].clone();
    swarm.push(&mut admin, &update.pushes);
    for _ in 0..2 {
        let pushes = admin.rekey().unwrap();
        swarm.push(&mut admin, &pushes);
    }
    let gen2 = admin
        .encrypt_message(&mut r, &text("gen2", T0 + 4), T0 + 4)
        .unwrap();
    for (hash, data, timestamp_ms) in swarm.messages(KEYS_NAMESPACE) {
        alice_group
            .ingest(KEYS_NAMESPACE, &hash, &data, timestamp_ms)
            .unwrap();
    }
    assert_eq!(alice_group.keys().size(), 3);
    assert_eq!(body(&read(&mut alice_group, "0", &gen0).unwrap()), "gen0");
    assert_eq!(body(&read(&mut alice_group, "2", &gen2).unwrap()), "gen2");
    let events = alice_group
        .ingest(INFO_NAMESPACE, "stale", &stale, 0)
        .unwrap();
    assert_eq!(events, [GroupEvent::InfoChanged]);
    assert_eq!(alice_group.info().description().as_deref(), Some("first"));
}

#[test]
fn dumps_restore_admins_and_members() {
    let mut swarm = Swarm::default();
    let alice = user(1).session_id();
    let mut admin = created(&mut swarm, &[alice]);
    let mut alice_group = join(&mut swarm, &mut admin, &[(1, alice)], T0 + 1).remove(0);
    let seed = admin.identity().unwrap().seed();

    let dump = admin.dump().unwrap();
    let mut restored = Group::load(user(0), Some(&seed), &dump).unwrap();
    assert!(restored.is_admin());
    assert_eq!(restored.group_id(), admin.group_id());
    assert_eq!(restored.info().name().as_deref(), Some("Team"));
    assert_eq!(restored.members().len(), 2);
    assert!(restored.pending_pushes().unwrap().is_empty());
    let pushes = restored.rekey().unwrap();
    swarm.push(&mut restored, &pushes);

    let dump = alice_group.dump().unwrap();
    let mut alice_again = Group::load(user(1), None, &dump).unwrap();
    assert!(!alice_again.is_admin());
    assert!(alice_again.auth_data().is_some());
    swarm.sync(&mut alice_again);
    assert_eq!(alice_again.keys().current_generation(), 1);
    let mut r = rng(10);
    let hi = restored
        .encrypt_message(&mut r, &text("restored", T0 + 9), T0 + 9)
        .unwrap();
    assert_eq!(body(&read(&mut alice_again, "r", &hi).unwrap()), "restored");

    let other = Ed25519Seed::from_bytes([1; 32]);
    assert_eq!(
        Group::load(user(0), Some(&other), &admin.dump().unwrap()).unwrap_err(),
        GroupError::WrongGroup
    );
    assert!(matches!(
        Group::load(user(0), None, b"d1:gi1ee"),
        Err(GroupError::Dump(_))
    ));
}

#[test]
fn members_fields_round_trip_through_the_swarm() {
    let mut swarm = Swarm::default();
    let alice = user(1).session_id();
    let mut admin = created(&mut swarm, &[alice]);
    let mut alice_group = join(&mut swarm, &mut admin, &[(1, alice)], T0 + 1).remove(0);
    let ids: Vec<SessionId> = (10..16).map(|n| user(n).session_id()).collect();
    let invitation = admin.invite(&mut rng(11), &ids, false, T0 + 2).unwrap();
    swarm.push(&mut admin, &invitation.pushes);
    let removal = admin
        .remove(&mut rng(12), &ids[4..5], false, T0 + 3)
        .unwrap();
    swarm.push(&mut admin, &removal.pushes);
    let promotion = admin.promote(&mut rng(13), &ids[3], T0 + 4).unwrap();
    swarm.push(&mut admin, &promotion.pushes);
    let pushes = admin
        .update_member(&ids[0], |m| {
            m.name = "Ten".into();
            m.profile_pic = Some(ProfilePic {
                url: "http://pic/10".into(),
                key: [10; 32],
            });
            Ok(())
        })
        .unwrap();
    swarm.push(&mut admin, &pushes);
    assert_eq!(
        admin
            .update_member(&user(99).session_id(), |_| Ok(()))
            .unwrap_err(),
        GroupError::NotMember(user(99).session_id())
    );
    swarm.sync(&mut alice_group);
    assert_eq!(alice_group.members().get(&ids[0]).unwrap().name, "Ten");
    let seen: Vec<_> = alice_group.members().iter().collect();
    let expected: Vec<_> = admin.members().iter().collect();
    assert_eq!(seen, expected);
    assert_eq!(
        alice_group.members().get(&ids[0]).unwrap().invite,
        Pending::Sent
    );
    assert!(
        alice_group
            .members()
            .get(&ids[3])
            .unwrap()
            .promotion_pending()
    );
    assert_eq!(
        alice_group.members().get(&ids[4]).unwrap().removed,
        RemovedStatus::Removed
    );
    assert_eq!(alice_group.members().key_recipients().len(), 7);
    let _: &GroupMembers = alice_group.members();
}

/// One edit of the Info config.
#[derive(Clone, Debug)]
enum Edit {
    Name(String),
    Description(String),
    Pic(u8),
    Timer(i64),
    DeleteBefore(i64),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        "[a-z]{0,8}".prop_map(Edit::Name),
        "[a-z]{0,8}".prop_map(Edit::Description),
        any::<u8>().prop_map(Edit::Pic),
        (0i64..100).prop_map(Edit::Timer),
        (0i64..100).prop_map(Edit::DeleteBefore),
    ]
}

fn apply(info: &mut GroupInfo, edit: &Edit) {
    match edit {
        Edit::Name(name) => info.set_name(name).unwrap(),
        Edit::Description(text) => info.set_description(text).unwrap(),
        Edit::Pic(byte) => info
            .set_profile_pic(Some(&ProfilePic {
                url: format!("http://pic/{byte}"),
                key: [*byte; 32],
            }))
            .unwrap(),
        Edit::Timer(seconds) => info.set_expiry_timer(*seconds).unwrap(),
        Edit::DeleteBefore(t) => info.set_delete_before(*t).unwrap(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Two admins edit Info at once; whatever order the pushes are merged in, both admins and
    /// a third admin device end with the same Info, and a member reading the merged result
    /// agrees.
    #[test]
    fn concurrent_info_edits_converge(
        a_edits in proptest::collection::vec(edit(), 1..4),
        b_edits in proptest::collection::vec(edit(), 1..4),
        b_first in any::<bool>(),
    ) {
        let mut swarm = Swarm::default();
        let alice = user(1).session_id();
        let mut a = created(&mut swarm, &[alice]);
        let seed = a.identity().unwrap().seed();
        let identity = session_groups::GroupIdentity::from_seed(&seed);
        let mut b = Group::new_admin(user(0), identity.clone()).unwrap();
        let mut c = Group::new_admin(user(0), identity).unwrap();
        swarm.sync(&mut b);
        swarm.sync(&mut c);
        let mut member = join(&mut swarm, &mut a, &[(1, alice)], T0 + 1).remove(0);
        swarm.sync(&mut b);
        swarm.sync(&mut c);

        let pa = a.update_info(&mut rng(20), T0 + 2, |info| {
            a_edits.iter().for_each(|e| apply(info, e));
            Ok(())
        }).unwrap().pushes;
        let pb = b.update_info(&mut rng(21), T0 + 2, |info| {
            b_edits.iter().for_each(|e| apply(info, e));
            Ok(())
        }).unwrap().pushes;
        let info_a = swarm.push_returning(&mut a, &pa);
        let info_b = swarm.push_returning(&mut b, &pb);

        let feed = |group: &mut Group, stored: &Option<(String, Vec<u8>)>| {
            if let Some((hash, data)) = stored {
                group.ingest(INFO_NAMESPACE, hash, data, 0).unwrap();
            }
        };
        feed(&mut a, &info_b);
        feed(&mut b, &info_a);
        if b_first {
            feed(&mut c, &info_b);
            feed(&mut c, &info_a);
        } else {
            feed(&mut c, &info_a);
            feed(&mut c, &info_b);
        }
        prop_assert_eq!(a.info().base().data(), b.info().base().data());
        prop_assert_eq!(a.info().base().data(), c.info().base().data());
        prop_assert_eq!(a.info().base().seqno(), b.info().base().seqno());
        if let (Some(x), Some(y)) = (&info_a, &info_b) && x.1 != y.1 {
            prop_assert!(a.info().base().needs_push(), "a conflict-resolution merge");
        }

        // The merged config, pushed by one admin, is what the member ends with.
        let merged = a.pending_pushes().unwrap();
        swarm.push(&mut a, &merged);
        swarm.sync(&mut member);
        prop_assert_eq!(member.info().base().data(), a.info().base().data());
    }
}

#[test]
fn concurrent_rekeys_ask_for_another() {
    let mut swarm = Swarm::default();
    let (alice, bob) = (user(1).session_id(), user(2).session_id());
    let mut a = created(&mut swarm, &[alice, bob]);
    let identity = a.identity().unwrap().clone();
    let mut b = Group::new_admin(user(0), identity).unwrap();
    swarm.sync(&mut b);
    // One admin removes Bob while the other adds Carol: two different generation-1 keys.
    let removal = a.remove(&mut rng(30), &[bob], false, T0 + 1).unwrap();
    let invitation = b
        .invite(&mut rng(31), &[user(3).session_id()], false, T0 + 1)
        .unwrap();
    swarm.push(&mut a, &removal.pushes);
    swarm.push(&mut b, &invitation.pushes);
    let events = swarm.sync(&mut a);
    assert!(events.contains(&GroupEvent::NeedsRekey), "{events:?}");
    assert!(a.needs_rekey());
    let pushes = a.rekey().unwrap();
    assert_eq!(pushes[0].seqno, 2);
    swarm.push(&mut a, &pushes);
    assert!(!a.needs_rekey());
    swarm.sync(&mut b);
    assert!(!b.needs_rekey());
    assert_eq!(b.keys().current_generation(), 2);
}
