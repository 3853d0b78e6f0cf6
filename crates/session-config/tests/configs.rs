//! Behaviour of the config objects: the state machine, obsolete hashes, dumps, multipart,
//! signing, pruning, and the typed user configs end to end.

use session_config::user::{
    CommunityInfo, Contacts, ConvoInfoVolatile, ConvoState, ExpirationMode, GroupInfo,
    LegacyGroupInfo, NotifyMode, PRUNE_HIGH_MS, PRUNE_LOW_MS, ProfilePic, UserGroups, UserProfile,
};
use session_config::{
    ConfigBase, ConfigKind, Ed25519Seed, Error, Keypair, Scalar, SessionId, State, Value,
};

const NOW: i64 = 1_700_000_000_000;

fn seed() -> Ed25519Seed {
    Ed25519Seed::from_bytes([3; 32])
}

fn sid(byte: u8) -> SessionId {
    let mut bytes = [byte; 33];
    bytes[0] = 0x05;
    SessionId::from_bytes(&bytes).expect("a 05 ID")
}

fn gid(seed_byte: u8) -> (SessionId, Ed25519Seed) {
    let seed = Ed25519Seed::from_bytes([seed_byte; 32]);
    (Keypair::from_ed25519_seed(&seed).group_id(), seed)
}

#[test]
fn state_machine_and_hashes() {
    let mut profile = UserProfile::new(&seed());
    assert_eq!(profile.base().state(), State::Clean);
    // Setting a value it already has changes nothing.
    profile.set_name("").unwrap();
    assert_eq!(profile.base().state(), State::Clean);
    assert!(!profile.base().needs_dump());

    profile.set_name("A").unwrap();
    assert_eq!(profile.base().state(), State::Dirty);
    assert_eq!(profile.base().seqno(), 1);
    profile.set_name("B").unwrap();
    assert_eq!(profile.base().seqno(), 1, "one seqno per push");
    let push = profile.base_mut().push().unwrap();
    assert_eq!(profile.base().state(), State::Waiting);
    assert!(push.obsolete.is_empty());

    // A stale confirmation is ignored.
    profile
        .base_mut()
        .confirm_pushed(push.seqno + 1, ["nope".to_owned()]);
    assert_eq!(profile.base().state(), State::Waiting);
    profile
        .base_mut()
        .confirm_pushed(push.seqno, ["h1".to_owned()]);
    assert_eq!(profile.base().state(), State::Clean);
    assert!(profile.base().current_hashes().contains("h1"));

    // The next change makes h1 obsolete, returned by the next push.
    profile.set_name("C").unwrap();
    assert!(profile.base().current_hashes().is_empty());
    let push2 = profile.base_mut().push().unwrap();
    assert_eq!(push2.seqno, 2);
    assert_eq!(push2.obsolete, ["h1"]);

    // A change while waiting makes the pending confirmation stale.
    profile.set_nts_priority(1).unwrap();
    assert_eq!(profile.base().state(), State::Dirty);
    assert_eq!(profile.base().seqno(), 3);
    profile.base_mut().confirm_pushed(2, ["h2".to_owned()]);
    assert_eq!(profile.base().state(), State::Dirty);
}

#[test]
fn merge_makes_a_conflict_dirty_and_obsoletes_inputs() {
    let mut a = UserProfile::new(&seed());
    a.set_name("A").unwrap();
    let pa = a.base_mut().push().unwrap();
    a.base_mut().confirm_pushed(pa.seqno, ["ha".to_owned()]);
    let mut b = UserProfile::new(&seed());
    b.set_nts_expiry(60).unwrap();
    let pb = b.base_mut().push().unwrap();
    b.base_mut().confirm_pushed(pb.seqno, ["hb".to_owned()]);

    let accepted = a.base_mut().merge(&[("hb", &pb.messages[0])], 0);
    assert!(accepted.contains("hb"));
    assert_eq!(
        a.base().state(),
        State::Dirty,
        "a merge conflict needs a push"
    );
    assert_eq!(a.base().seqno(), 2);
    assert_eq!(a.name().as_deref(), Some("A"));
    assert_eq!(a.nts_expiry(), Some(60));
    let push = a.base_mut().push().unwrap();
    let mut obsolete = push.obsolete.clone();
    obsolete.sort();
    assert_eq!(obsolete, ["ha", "hb"]);

    // Garbage is not accepted; merging the same message again changes nothing.
    let mut c = UserProfile::new(&seed());
    let accepted = c
        .base_mut()
        .merge(&[("junk", b"not a config"), ("ha", &pa.messages[0])], 0);
    assert_eq!(accepted.into_iter().collect::<Vec<_>>(), ["ha"]);
    let again = c.base_mut().merge(&[("ha", &pa.messages[0])], 0);
    assert!(again.contains("ha"));
    assert_eq!(c.base().state(), State::Clean);
    assert!(c.base().old_hashes().is_empty());
    // A config encrypted for another account is not accepted.
    let mut other = UserProfile::new(&Ed25519Seed::from_bytes([9; 32]));
    assert!(
        other
            .base_mut()
            .merge(&[("ha", &pa.messages[0])], 0)
            .is_empty()
    );
}

#[test]
fn dumps_round_trip_and_dirty_dumps_take_a_new_seqno() {
    let mut contacts = Contacts::new(&seed());
    contacts.update(&sid(1), |c| c.name = "Bob".into()).unwrap();
    let dump = contacts.base_mut().dump();
    let reloaded = Contacts::load(&seed(), &dump).unwrap();
    assert_eq!(reloaded.base().state(), State::Dirty);
    assert_eq!(
        reloaded.base().seqno(),
        2,
        "a dirty dump reloads one seqno up"
    );
    assert_eq!(reloaded.get(&sid(1)).unwrap().name, "Bob");

    let push = contacts.base_mut().push().unwrap();
    contacts
        .base_mut()
        .confirm_pushed(push.seqno, ["x".to_owned()]);
    let dump = contacts.base_mut().dump();
    let reloaded = Contacts::load(&seed(), &dump).unwrap();
    assert_eq!(reloaded.base().state(), State::Clean);
    assert_eq!(reloaded.base().seqno(), 1);
    assert!(reloaded.base().current_hashes().contains("x"));

    for bad in [&b""[..], b"de", b"d1:!i7e1:$0:e", b"d1:!i0e1:$3:abce"] {
        assert!(Contacts::load(&seed(), bad).is_err());
    }
}

#[test]
fn large_configs_go_multipart() {
    let mut contacts = Contacts::new(&seed());
    // Enough incompressible names to exceed one message.
    for i in 0..2000u32 {
        let mut key = [0u8; 33];
        key[0] = 0x05;
        let h = session_crypto::blake2b::hash::<32>(&[&i.to_le_bytes()]);
        key[1..].copy_from_slice(&h);
        let id = SessionId::from_bytes(&key).unwrap();
        contacts
            .update(&id, |c| c.name = hex::encode(&h[..20]))
            .unwrap();
    }
    let push = contacts.base_mut().push().unwrap();
    assert!(push.messages.len() >= 2, "{} parts", push.messages.len());
    assert!(push.messages.iter().all(|m| m.len() <= 76_800));

    let mut other = Contacts::new(&seed());
    let hashes: Vec<String> = (0..push.messages.len()).map(|i| format!("p{i}")).collect();
    // Parts arrive over several fetches, out of order.
    let mut order: Vec<(&str, &[u8])> = hashes
        .iter()
        .zip(&push.messages)
        .map(|(h, m)| (h.as_str(), m.as_slice()))
        .collect();
    order.reverse();
    let (last, rest) = order.split_last().unwrap();
    let accepted = other.base_mut().merge(rest, 0);
    assert_eq!(accepted.len(), rest.len());
    assert_eq!(other.len(), 0, "incomplete until the last part");
    assert_eq!(other.base().active_hashes().len(), rest.len());
    let accepted = other.base_mut().merge(&[*last], 0);
    assert_eq!(accepted.len(), 1);
    assert_eq!(other.len(), 2000);
    let mut current: Vec<_> = other.base().current_hashes().iter().cloned().collect();
    current.sort();
    let mut expected = hashes.clone();
    expected.sort();
    assert_eq!(current, expected);

    // Our own parts, seen again, are recognised.
    let again = contacts.base_mut().merge(&order, 0);
    assert_eq!(again.len(), order.len());
}

#[test]
fn signed_configs_verify_and_read_only_devices_cannot_edit() {
    let admin_keys = Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([8; 32]));
    let kind = ConfigKind::new(13, "groups::Info", None);
    let mut admin = ConfigBase::new(kind);
    admin.add_key([1; 32], true);
    admin.set_sig_keys(admin_keys.clone());
    admin.set(&[b"n"], Some(Value::from("Group"))).unwrap();
    let push = admin.push().unwrap();

    let mut member = ConfigBase::new(kind);
    member.add_key([1; 32], true);
    member.set_sig_pubkey(*admin_keys.ed25519_public());
    assert!(member.is_readonly());
    assert_eq!(
        member.set(&[b"n"], Some(Value::from("x"))),
        Err(Error::ReadOnly)
    );
    assert!(member.merge(&[("h", &push.messages[0])], 0).contains("h"));
    assert_eq!(member.get(&[b"n"]), Some(&Value::from("Group")));

    // An unsigned message is refused by the verifying device.
    let mut forger = ConfigBase::new(kind);
    forger.add_key([1; 32], true);
    forger.set(&[b"n"], Some(Value::from("Evil"))).unwrap();
    forger.set(&[b"z"], Some(Value::from(1))).unwrap();
    let forged = forger.push().unwrap();
    assert!(member.merge(&[("f", &forged.messages[0])], 0).is_empty());
    assert_eq!(member.get(&[b"n"]), Some(&Value::from("Group")));
}

#[test]
fn removing_the_last_entry_prunes_containers() {
    let mut base = ConfigBase::new(ConfigKind::CONTACTS);
    base.add_key([1; 32], true);
    base.set(&[b"a", b"b", b"c"], Some(Value::from(1))).unwrap();
    base.set(
        &[b"s"],
        Some(Value::Set([Scalar::Int(1)].into_iter().collect())),
    )
    .unwrap();
    base.set(&[b"a", b"b", b"c"], None).unwrap();
    assert!(base.get(&[b"a"]).is_none());
    // An empty set is no value.
    base.set(&[b"s"], Some(Value::Set(Default::default())))
        .unwrap();
    assert!(base.data().is_empty());
}

#[test]
fn contacts_every_field() {
    let mut contacts = Contacts::new(&seed());
    assert_eq!(Contacts::KIND.namespace, 3);
    assert_eq!(Contacts::KIND.domain, "Contacts");
    let pic = ProfilePic {
        url: "https://x/y".into(),
        key: [4; 32],
    };
    contacts
        .update(&sid(2), |c| {
            c.name = "Alice".into();
            c.nickname = "Al".into();
            c.profile_pic = Some(pic.clone());
            c.approved = true;
            c.approved_me = true;
            c.blocked = true;
            c.priority = 3;
            c.notifications = NotifyMode::MentionsOnly;
            c.mute_until = 1234;
            c.expiration_mode = ExpirationMode::AfterRead;
            c.expiration_timer = 3600;
            c.created = 99;
        })
        .unwrap();
    contacts.update(&sid(3), |_| {}).unwrap();
    let push = contacts.base_mut().push().unwrap();
    let mut other = Contacts::new(&seed());
    other.base_mut().merge(&[("h", &push.messages[0])], 0);
    let c = other.get(&sid(2)).unwrap();
    assert_eq!((c.name.as_str(), c.nickname.as_str()), ("Alice", "Al"));
    assert_eq!(c.profile_pic, Some(pic));
    assert!(c.approved && c.approved_me && c.blocked);
    assert_eq!(c.priority, 3);
    assert_eq!(
        c.notifications,
        NotifyMode::All,
        "mentions-only is all for DMs"
    );
    assert_eq!((c.mute_until, c.created), (1234, 99));
    assert_eq!(
        (c.expiration_mode, c.expiration_timer),
        (ExpirationMode::AfterRead, 3600)
    );
    // An empty contact survives thanks to its always-present name.
    assert!(other.get(&sid(3)).is_some());
    assert_eq!(other.len(), 2);
    assert!(other.erase(&sid(3)).unwrap());
    assert!(!other.erase(&sid(3)).unwrap());
    assert_eq!(
        other.iter().map(|c| c.session_id).collect::<Vec<_>>(),
        [sid(2)]
    );
    assert!(other.update(&sid(4), |c| c.name = "x".repeat(101)).is_err());
}

#[test]
fn convo_info_volatile_pruning_rules() {
    let mut convos = ConvoInfoVolatile::new(&seed());
    assert_eq!(ConvoInfoVolatile::KIND.namespace, 4);
    let (group, _) = gid(5);
    // Too old to record when new.
    convos
        .set_one_to_one(&sid(1), ConvoState::new(NOW - PRUNE_LOW_MS - 1, false), NOW)
        .unwrap();
    assert_eq!(convos.get_one_to_one(&sid(1)), None);
    convos
        .set_one_to_one(&sid(1), ConvoState::new(NOW - 1000, false), NOW)
        .unwrap();
    // Moving back in time is allowed even past the cutoff.
    convos
        .set_one_to_one(
            &sid(1),
            ConvoState::new(NOW - PRUNE_HIGH_MS - 5, false),
            NOW,
        )
        .unwrap();
    assert_eq!(
        convos.get_one_to_one(&sid(1)).unwrap().last_read,
        NOW - PRUNE_HIGH_MS - 5
    );
    convos
        .set_legacy_group(&sid(2), ConvoState::new(NOW - PRUNE_LOW_MS - 1, true), NOW)
        .unwrap();
    convos
        .set_group(&group, ConvoState::new(NOW, false), NOW)
        .unwrap();
    assert!(
        convos
            .set_group(&sid(3), ConvoState::new(NOW, false), NOW)
            .is_err()
    );
    convos
        .set_community(
            "HTTPS://Example.org/",
            "Lobby",
            &[7; 32],
            ConvoState::new(NOW, true),
            NOW,
        )
        .unwrap();

    let push = convos.push(NOW).unwrap();
    // The stale, read one-to-one went; the unread (too old to have `r`) legacy group stayed.
    assert_eq!(convos.get_one_to_one(&sid(1)), None);
    assert_eq!(
        convos.get_legacy_group(&sid(2)),
        Some(ConvoState::new(0, true))
    );
    let mut other = ConvoInfoVolatile::new(&seed());
    other
        .base_mut()
        .merge(&[("h", &push.messages[0])], NOW as u64);
    assert_eq!(other.get_group(&group), Some(ConvoState::new(NOW, false)));
    let (state, pk) = other
        .get_community("https://example.org", "lobby")
        .unwrap()
        .unwrap();
    assert_eq!((state, pk), (ConvoState::new(NOW, true), Some([7; 32])));
    assert_eq!(other.communities().len(), 1);
    assert!(
        other
            .erase_community("https://example.org", "LOBBY")
            .unwrap()
    );
    assert!(
        other.base().get(&[b"o"]).is_none(),
        "the server goes with its last room"
    );
}

#[test]
fn user_groups_every_kind() {
    let mut groups = UserGroups::new(&seed());
    assert_eq!(UserGroups::KIND.namespace, 5);
    let mut community = CommunityInfo::new("http://Chat.Example:80", "SuDoKu", [2; 32]).unwrap();
    community.common.priority = 1;
    community.common.joined_at = 10;
    groups.set_community(&community).unwrap();

    let (id, group_seed) = gid(6);
    let mut admin_group = GroupInfo::new(id).unwrap();
    admin_group.name = "Admins".into();
    admin_group.secret_key = Some(group_seed);
    admin_group.common.invited = true;
    groups.set_group(&admin_group).unwrap();
    let (id2, _) = gid(7);
    let mut member_group = GroupInfo::new(id2).unwrap();
    member_group.auth_data = Some([9; 100]);
    member_group.mark_kicked();
    member_group.mark_invited();
    member_group.auth_data = Some([9; 100]);
    // A seed for some other group is not stored.
    member_group.secret_key = Some(Ed25519Seed::from_bytes([1; 32]));
    groups.set_group(&member_group).unwrap();

    let mut legacy = LegacyGroupInfo::new(sid(4)).unwrap();
    legacy.name = "Old".into();
    legacy.enc_keypair = Some(([1; 32], [2; 32]));
    legacy.members.insert(sid(5), true);
    legacy.members.insert(sid(6), false);
    legacy.disappearing_timer = 60;
    legacy.common.notifications = NotifyMode::Disabled;
    groups.set_legacy_group(&legacy).unwrap();
    assert!(GroupInfo::new(sid(1)).is_err());

    let push = groups.base_mut().push().unwrap();
    let mut other = UserGroups::new(&seed());
    other.base_mut().merge(&[("h", &push.messages[0])], 0);

    let c = other
        .get_community("http://chat.example", "sudoku")
        .unwrap()
        .unwrap();
    assert_eq!(
        (c.base_url.as_str(), c.room.as_str()),
        ("http://chat.example", "SuDoKu")
    );
    assert_eq!(
        (c.pubkey, c.common.priority, c.common.joined_at),
        ([2; 32], 1, 10)
    );
    let g = other.get_group(&id).unwrap();
    assert_eq!(g.name, "Admins");
    assert!(g.secret_key.is_some() && g.common.invited);
    let m = other.get_group(&id2).unwrap();
    assert!(m.secret_key.is_none());
    assert_eq!(m.auth_data, Some([9; 100]));
    assert_eq!(m.removed_status, 0);
    assert_eq!(
        other.base().get(&[b"g", &id2.to_bytes(), b"K"]),
        Some(&Value::from(b"".as_slice()))
    );
    let l = other.get_legacy_group(&sid(4)).unwrap();
    assert_eq!(l.name, "Old");
    assert_eq!(l.enc_keypair, Some(([1; 32], [2; 32])));
    assert_eq!(l.members.get(&sid(5)), Some(&true));
    assert_eq!(l.members.get(&sid(6)), Some(&false));
    assert_eq!(
        (l.disappearing_timer, l.common.notifications),
        (60, NotifyMode::Disabled)
    );
    assert_eq!(
        (
            other.communities().len(),
            other.groups().len(),
            other.legacy_groups().len()
        ),
        (1, 2, 1)
    );
    assert!(
        other
            .erase_community("http://chat.example", "SUDOKU")
            .unwrap()
    );
    assert!(other.erase_group(&id).unwrap());
    assert!(other.erase_legacy_group(&sid(4)).unwrap());
    assert_eq!(other.groups().len(), 1);
}

#[test]
fn double_wrapped_configs_from_an_old_client_bug_are_read() {
    use session_config::protobuf::{Kind, wrap_config};
    let mut profile = UserProfile::new(&seed());
    profile.set_name("Twice").unwrap();
    let push = profile.base_mut().push().unwrap();
    let keypair = Keypair::from_ed25519_seed(&seed());
    let twice = wrap_config(&keypair, &push.messages[0], push.seqno, Kind::UserProfile).unwrap();
    let mut other = UserProfile::new(&seed());
    assert!(other.base_mut().merge(&[("h", &twice)], 0).contains("h"));
    assert_eq!(other.name().as_deref(), Some("Twice"));
    // Wrapped for another config type: not accepted.
    let wrong = wrap_config(&keypair, &push.messages[0], push.seqno, Kind::Contacts).unwrap();
    let mut third = UserProfile::new(&seed());
    assert!(third.base_mut().merge(&[("w", &wrong)], 0).is_empty());
}

#[test]
fn current_hash_is_the_message_hash_on_every_device() {
    let mut phone = UserProfile::new(&seed());
    let empty = phone.base_mut().current_hash();
    assert_eq!(
        empty,
        session_config::ConfigMessage::parse(b"d1:#i0e1:&de1:<le1:=dee", None, 5, false)
            .unwrap()
            .hash()
            .to_owned()
    );
    phone.set_name("Alice").unwrap();
    let push = phone.base_mut().push().unwrap();
    let pushed = phone.base_mut().current_hash();
    assert_ne!(pushed, empty);
    let mut laptop = UserProfile::new(&seed());
    laptop
        .base_mut()
        .merge(&[("h", push.messages[0].as_slice())], 0);
    assert_eq!(laptop.base_mut().current_hash(), pushed);

    // Concurrent edits merge into one message whose hash both devices agree on.
    phone
        .base_mut()
        .confirm_pushed(push.seqno, ["h".to_owned()]);
    laptop.set_name("Bob").unwrap();
    phone.set_profile_pic(None).unwrap();
    phone.base_mut().set(&[b"e"], Some(60.into())).unwrap();
    let a = phone.base_mut().push().unwrap();
    let b = laptop.base_mut().push().unwrap();
    phone
        .base_mut()
        .merge(&[("b", b.messages[0].as_slice())], 0);
    laptop
        .base_mut()
        .merge(&[("a", a.messages[0].as_slice())], 0);
    assert_eq!(
        phone.base_mut().current_hash(),
        laptop.base_mut().current_hash()
    );
}
