//! The user configs between two devices of one account: what one sets the other sees
//! (with an event), concurrent edits converge, a restart resumes from the saved dumps, and
//! the current messages' expiries are extended by the poll.

use std::sync::Arc;
use std::time::Duration;

use session_localnet::LocalNet;
use session_swarm::client::SwarmClient;
use session_swarm::configs::{ConfigEvent, UserConfig};
use session_swarm::messaging::{Messenger, MessengerOptions};
use session_swarm::rpc::{ExpireMode, Signer};
use session_swarm::store::{MemoryStore, SqliteStore, Store};

use crate::common::{client, direct_options, keypair};

const DAY_MS: u64 = 86_400_000;

async fn start() -> LocalNet {
    crate::common::builder(6, 2)
        .seed([21; 32])
        .start()
        .await
        .unwrap()
}

fn options() -> MessengerOptions {
    let mut options = MessengerOptions::default();
    options.poll_interval = Duration::from_millis(100);
    options
}

/// A device of the account `byte`, on the shared client.
fn device(client: &SwarmClient, byte: u8, store: Arc<dyn Store>) -> Messenger {
    Messenger::new(client.clone(), keypair(byte), store, options())
}

fn memory() -> Arc<dyn Store> {
    Arc::new(MemoryStore::new())
}

/// The events received so far, without waiting.
fn drain(events: &mut tokio::sync::broadcast::Receiver<ConfigEvent>) -> Vec<UserConfig> {
    let mut seen = Vec::new();
    while let Ok(event) = events.try_recv() {
        seen.push(event.config);
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_one_device_sets_the_other_sees() {
    let net = start().await;
    let client = client(&net, direct_options()).await;
    let phone = device(&client, 1, memory());
    let laptop = device(&client, 1, memory());
    let bob = keypair(2).session_id();
    let mut changes = laptop.configs().events();

    phone.configs().set_profile_name("Alice").await.unwrap();
    phone
        .configs()
        .update_contact(&bob, |c| {
            c.nickname = "Bobby".to_owned();
            c.approved = true;
        })
        .await
        .unwrap();
    let pushed = phone.configs().push().await.unwrap();
    assert_eq!(pushed, [UserConfig::Profile, UserConfig::Contacts]);
    assert!(!phone.configs().needs_push().await.unwrap());

    // The laptop's ordinary poll (namespaces 0, 2, 3, 4, 5 in one round) brings both.
    assert!(laptop.receive_once().await.unwrap().is_empty());
    assert_eq!(
        laptop.configs().profile_name().await.unwrap().as_deref(),
        Some("Alice")
    );
    let contact = laptop.configs().contact(&bob).await.unwrap().unwrap();
    assert_eq!(contact.nickname, "Bobby");
    assert!(contact.approved);
    let mut seen = drain(&mut changes);
    seen.sort();
    assert_eq!(seen, [UserConfig::Profile, UserConfig::Contacts]);
    // Nothing to push back: the laptop took the phone's messages as they are.
    assert!(!laptop.configs().needs_push().await.unwrap());

    // And back: the laptop renames, the phone sees it through its message stream.
    laptop.configs().set_profile_name("Alice L.").await.unwrap();
    let mut stream = laptop.messages();
    let _ = tokio::time::timeout(Duration::from_millis(300), stream.next()).await;
    drop(stream);
    assert!(!laptop.configs().needs_push().await.unwrap());
    phone.configs().sync().await.unwrap();
    assert_eq!(
        phone.configs().profile_name().await.unwrap().as_deref(),
        Some("Alice L.")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_edits_converge() {
    let net = start().await;
    let client = client(&net, direct_options()).await;
    let phone = device(&client, 3, memory());
    let laptop = device(&client, 3, memory());
    let (carol, dave) = (keypair(4).session_id(), keypair(5).session_id());

    // Both edit before either sees the other's push.
    phone
        .configs()
        .update_contact(&carol, |c| c.name = "Carol".to_owned())
        .await
        .unwrap();
    phone
        .configs()
        .set_profile_name("from phone")
        .await
        .unwrap();
    laptop
        .configs()
        .update_contact(&dave, |c| c.name = "Dave".to_owned())
        .await
        .unwrap();
    laptop
        .configs()
        .set_profile_name("from laptop")
        .await
        .unwrap();
    phone.configs().push().await.unwrap();
    laptop.configs().push().await.unwrap();

    // Each merges the other's message (a conflict: a merged message is pushed), twice
    // round so that each sees the other's resolution.
    for _ in 0..2 {
        phone.configs().sync().await.unwrap();
        laptop.configs().sync().await.unwrap();
    }
    for device in [&phone, &laptop] {
        let names: Vec<String> = device
            .configs()
            .contacts()
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert!(names.contains(&"Carol".to_owned()), "{names:?}");
        assert!(names.contains(&"Dave".to_owned()), "{names:?}");
    }
    let on_phone = phone.configs().profile_name().await.unwrap();
    assert_eq!(on_phone, laptop.configs().profile_name().await.unwrap());
    assert!(on_phone.is_some());
    let seqnos = |m: &Messenger| {
        let configs = m.configs().clone();
        async move {
            configs
                .read(|c| (c.profile.base().seqno(), c.contacts.base().seqno()))
                .await
                .unwrap()
        }
    };
    assert_eq!(seqnos(&phone).await, seqnos(&laptop).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_resumes_from_the_saved_dumps() {
    let net = start().await;
    let client = client(&net, direct_options()).await;
    let dir = std::env::temp_dir().join(format!("swarm-configs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("phone.db");
    let _ = std::fs::remove_file(&path);
    let bob = keypair(7).session_id();
    {
        let phone = device(&client, 6, Arc::new(SqliteStore::open(&path).unwrap()));
        phone.configs().set_profile_name("Persisted").await.unwrap();
        phone
            .configs()
            .update_contact(&bob, |c| c.blocked = true)
            .await
            .unwrap();
        phone.configs().push().await.unwrap();
    }
    let phone = device(&client, 6, Arc::new(SqliteStore::open(&path).unwrap()));
    assert_eq!(
        phone.configs().profile_name().await.unwrap().as_deref(),
        Some("Persisted")
    );
    assert!(
        phone
            .configs()
            .contact(&bob)
            .await
            .unwrap()
            .unwrap()
            .blocked
    );
    // Confirmed before the restart: nothing to push again.
    assert!(!phone.configs().needs_push().await.unwrap());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn polls_extend_config_messages_close_to_expiry() {
    let net = start().await;
    let client = client(&net, direct_options()).await;
    let phone = device(&client, 8, memory());
    let laptop = device(&client, 8, memory());
    phone.configs().set_profile_name("Expiring").await.unwrap();
    phone.configs().push().await.unwrap();
    let hashes: Vec<String> = phone
        .configs()
        .read(|c| c.profile.base().current_hashes().iter().cloned().collect())
        .await
        .unwrap();
    assert_eq!(hashes.len(), 1);

    // Something shortened the message's life to an hour.
    let signer = Signer::user(keypair(8));
    let soon = client.now_ms() + 3_600_000;
    client
        .expire(&signer, &hashes, soon, ExpireMode::Shorten)
        .await
        .unwrap();

    // The laptop's first poll learns the message and its expiry; the next one carries
    // the extension.
    laptop.receive_once().await.unwrap();
    laptop.receive_once().await.unwrap();
    let expiries = client.get_expiries(&signer, &hashes).await.unwrap();
    let expiry = expiries.expiries.get(&hashes[0]).copied().unwrap();
    assert!(
        expiry > client.now_ms() + 29 * DAY_MS,
        "expiry {expiry} not extended"
    );
}
