//! Closed groups end to end: a 100-member group is created and every member reads what is
//! posted; a removed member cannot read what is sent after the rekey; a promoted member
//! administers; another device of the admin takes the group up from UserGroups. All the
//! members are lightweight messengers on one shared client.

use std::sync::Arc;
use std::time::Duration;

use session_groups::GroupIdentity;
use session_identity::SessionId;
use session_localnet::LocalNet;
use session_swarm::client::SwarmClient;
use session_swarm::groups::GroupEvent;
use session_swarm::messaging::{Messenger, MessengerOptions};
use session_swarm::rpc::{Auth, Signer};
use session_swarm::store::MemoryStore;
use tokio::task::JoinSet;

use crate::common::{client, direct_options, keypair};

async fn start() -> LocalNet {
    crate::common::builder(9, 3)
        .seed([23; 32])
        .start()
        .await
        .unwrap()
}

fn options() -> MessengerOptions {
    let mut options = MessengerOptions::default();
    options.poll_interval = Duration::from_millis(100);
    options.groups.auto_accept_invites = true;
    options
}

fn member(client: &SwarmClient, byte: u8) -> Messenger {
    Messenger::new(
        client.clone(),
        keypair(byte),
        Arc::new(MemoryStore::new()),
        options(),
    )
}

/// Every member polls its own swarm until it took the invite to `group`.
async fn join(members: &[Messenger], group: SessionId) {
    let mut running = JoinSet::new();
    for m in members {
        let m = m.clone();
        running.spawn(async move {
            for _ in 0..50 {
                m.receive_once().await.unwrap();
                if m.groups()
                    .list()
                    .await
                    .unwrap()
                    .iter()
                    .any(|g| g.id == group)
                {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            panic!("{} never got the invite", m.session_id());
        });
    }
    while let Some(done) = running.join_next().await {
        done.unwrap();
    }
}

/// The events of one poll of every group of `m`, polling until `until` holds.
async fn poll_until(m: &Messenger, until: impl Fn(&[GroupEvent]) -> bool) -> Vec<GroupEvent> {
    let mut all = Vec::new();
    for _ in 0..50 {
        all.extend(m.groups().poll_once().await.unwrap());
        if until(&all) {
            return all;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{}: condition not met; events {all:?}", m.session_id());
}

fn has_text(events: &[GroupEvent], text: &str) -> bool {
    events
        .iter()
        .any(|e| matches!(e, GroupEvent::Message(m) if m.text() == Some(text)))
}

/// Every member reads `text` in `group`.
async fn all_read(members: &[Messenger], text: &'static str) {
    let mut running = JoinSet::new();
    for m in members {
        let m = m.clone();
        running.spawn(async move { poll_until(&m, |e| has_text(e, text)).await });
    }
    while let Some(done) = running.join_next().await {
        done.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_member_group_reads_its_messages() {
    let net = start().await;
    let client = client(&net, direct_options()).await;
    let admin = member(&client, 200);
    let members: Vec<Messenger> = (1..=99).map(|b| member(&client, b)).collect();
    let ids: Vec<SessionId> = members.iter().map(|m| *m.session_id()).collect();

    let started = std::time::Instant::now();
    let report = admin.groups().create("The hundred", &ids).await.unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let group = report.group;
    assert_eq!(admin.groups().members(&group).await.unwrap().len(), 100);
    join(&members, group).await;

    admin
        .groups()
        .send_text(&group, "hello, hundred")
        .await
        .unwrap();
    all_read(&members, "hello, hundred").await;

    // A member posts; the admin and another member read it, signed by the sender.
    let sent = members[41]
        .groups()
        .send_text(&group, "a member speaks")
        .await
        .unwrap();
    for reader in [&admin, &members[7]] {
        let events = poll_until(reader, |e| has_text(e, "a member speaks")).await;
        let message = events
            .iter()
            .find_map(|e| match e {
                GroupEvent::Message(m) if m.hash == sent.hash => Some(m),
                _ => None,
            })
            .unwrap();
        assert_eq!(message.sender, ids[41]);
        assert_eq!(message.group, group);
    }
    // The group name came with the Info config.
    assert_eq!(
        members[3].groups().list().await.unwrap()[0].name,
        "The hundred"
    );
    eprintln!("100-member group: {:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_member_cannot_read_after_the_rekey() {
    let net = start().await;
    let client = client(&net, direct_options()).await;
    let admin = member(&client, 30);
    let (bob, carol) = (member(&client, 31), member(&client, 32));
    let report = admin
        .groups()
        .create("Three", &[*bob.session_id(), *carol.session_id()])
        .await
        .unwrap();
    let group = report.group;
    join(&[bob.clone(), carol.clone()], group).await;
    admin.groups().send_text(&group, "before").await.unwrap();
    all_read(&[bob.clone(), carol.clone()], "before").await;

    admin
        .groups()
        .remove(&group, &[*carol.session_id()], false)
        .await
        .unwrap();
    let after = admin.groups().send_text(&group, "after").await.unwrap();

    // Bob gets the new key and reads on.
    let events = poll_until(&bob, |e| has_text(e, "after")).await;
    assert!(
        events
            .iter()
            .any(|e| matches!(e, GroupEvent::KeysChanged { .. }))
    );
    // Carol finds the notice in -11 (the only namespace a revoked member may read) and
    // stops polling.
    let events = poll_until(&carol, |e| {
        e.iter().any(|e| matches!(e, GroupEvent::Kicked { .. }))
    })
    .await;
    assert!(!has_text(&events, "after"));
    assert!(carol.groups().list().await.unwrap()[0].kicked);
    assert!(carol.groups().poll_once().await.unwrap().is_empty());

    // Carol's other device reads her 1:1 messages afresh, the old invite among them, after
    // her UserGroups says she was removed: the invite does not bring the group back.
    carol.configs().push().await.unwrap();
    let phone = member(&client, 32);
    phone.receive_once().await.unwrap();
    assert!(phone.groups().poll_once().await.unwrap().is_empty());
    let listed = phone.groups().list().await.unwrap();
    assert!(
        listed.iter().all(|g| g.id != group || g.kicked),
        "{listed:?}"
    );

    // Even holding the ciphertext, her keys do not open it; Bob's do.
    let seed = admin.configs().joined_groups().await.unwrap()[0]
        .secret_key
        .clone()
        .unwrap();
    let owner = Signer::group_admin(GroupIdentity::from_seed(&seed).keypair().clone());
    let stored = client
        .retrieve(Auth::Signed(&owner), 11, None)
        .await
        .unwrap();
    let raw = stored
        .messages
        .iter()
        .find(|m| m.hash == after.hash)
        .unwrap();
    assert!(carol.groups().open(&group, raw).await.is_err());
    assert!(matches!(
        bob.groups().open(&group, raw).await.unwrap(),
        GroupEvent::Message(m) if m.text() == Some("after")
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_promoted_member_administers() {
    let net = start().await;
    let client = client(&net, direct_options()).await;
    let admin = member(&client, 40);
    let (bob, carol, dave) = (
        member(&client, 41),
        member(&client, 42),
        member(&client, 43),
    );
    let report = admin
        .groups()
        .create("Before", &[*bob.session_id(), *carol.session_id()])
        .await
        .unwrap();
    let group = report.group;
    join(&[bob.clone(), carol.clone()], group).await;

    admin
        .groups()
        .promote(&group, bob.session_id())
        .await
        .unwrap();
    bob.receive_once().await.unwrap();
    assert!(bob.groups().driver().is_admin(&group).await.unwrap());
    // Bob learns the members list from the Members config, then renames and invites.
    poll_until(&bob, |_| true).await;
    bob.groups().rename(&group, "After").await.unwrap();
    let invited = bob
        .groups()
        .invite(&group, &[*dave.session_id()])
        .await
        .unwrap();
    assert!(invited.failed.is_empty());
    join(std::slice::from_ref(&dave), group).await;
    bob.groups()
        .send_text(&group, "welcome Dave")
        .await
        .unwrap();

    // Dave reads (the supplement gave him the key), through the event stream; Carol sees
    // the rename.
    let mut stream = dave.groups().events();
    let welcome = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            match stream.next().await {
                Some(Ok(GroupEvent::Message(m))) if m.text() == Some("welcome Dave") => break m,
                Some(Ok(_)) => {}
                other => panic!("stream ended or failed: {other:?}"),
            }
        }
    })
    .await
    .expect("no welcome in time");
    assert_eq!(welcome.sender, *bob.session_id());
    poll_until(&carol, |e| {
        e.iter().any(|e| {
            matches!(e, GroupEvent::InfoChanged { name, .. } if name.as_deref() == Some("After"))
        })
    })
    .await;
    assert_eq!(carol.groups().list().await.unwrap()[0].name, "After");
    assert_eq!(admin.groups().members(&group).await.unwrap().len(), 3);
    poll_until(&admin, |_| true).await;
    assert_eq!(admin.groups().members(&group).await.unwrap().len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_device_takes_the_group_up_from_user_groups() {
    let net = start().await;
    let client = client(&net, direct_options()).await;
    let laptop = member(&client, 50);
    let phone = member(&client, 50);
    let bob = member(&client, 51);
    let group = laptop
        .groups()
        .create("Synced", &[*bob.session_id()])
        .await
        .unwrap()
        .group;
    laptop.configs().push().await.unwrap();
    laptop
        .groups()
        .send_text(&group, "from the laptop")
        .await
        .unwrap();

    // The phone's poll merges UserGroups; its group poll adopts the group as admin.
    phone.receive_once().await.unwrap();
    let events = poll_until(&phone, |e| has_text(e, "from the laptop")).await;
    assert!(
        events
            .iter()
            .any(|e| matches!(e, GroupEvent::Joined { group: g } if *g == group))
    );
    assert!(phone.groups().driver().is_admin(&group).await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn polls_extend_the_group_keys_close_to_expiry() {
    let net = start().await;
    let client = client(&net, direct_options()).await;
    let admin = member(&client, 60);
    let bob = member(&client, 61);
    let group = admin
        .groups()
        .create("Lasting", &[*bob.session_id()])
        .await
        .unwrap()
        .group;
    join(std::slice::from_ref(&bob), group).await;

    // Something shortened the key message's life to an hour.
    let seed = admin.configs().joined_groups().await.unwrap()[0]
        .secret_key
        .clone()
        .unwrap();
    let owner = Signer::group_admin(GroupIdentity::from_seed(&seed).keypair().clone());
    let keys = client
        .retrieve(Auth::Signed(&owner), 12, None)
        .await
        .unwrap();
    let hashes: Vec<String> = keys.messages.iter().map(|m| m.hash.clone()).collect();
    assert!(!hashes.is_empty());
    let soon = client.now_ms() + 3_600_000;
    client
        .expire(
            &owner,
            &hashes,
            soon,
            session_swarm::rpc::ExpireMode::Shorten,
        )
        .await
        .unwrap();

    // Bob's first poll learns the keys and their expiry; the next extends them, signed as
    // his subaccount (which may extend, not shorten).
    bob.groups().poll_once().await.unwrap();
    bob.groups().poll_once().await.unwrap();
    let expiries = client.get_expiries(&owner, &hashes).await.unwrap();
    for hash in &hashes {
        let expiry = expiries.expiries.get(hash).copied().unwrap();
        assert!(
            expiry > client.now_ms() + 29 * 86_400_000,
            "{hash} not extended"
        );
    }
}
