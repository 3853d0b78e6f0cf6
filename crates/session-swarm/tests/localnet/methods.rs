//! Every typed `SwarmClient` method that manages stored messages, end to end over direct
//! HTTPS (onion paths add nothing to what these prove): what each changes is read back
//! with another method, and every member's signed result is checked.

use std::time::Duration;

use session_localnet::LocalNet;
use session_swarm::Error;
use session_swarm::client::SwarmClient;
use session_swarm::rpc::service_nodes::CLIENT_FIELDS;
use session_swarm::rpc::{
    Auth, ExpireMode, Lifetime, NamespaceScope, Signer, SubaccountFlags, SubaccountToken,
};

use crate::common::{DAY_MS, client, direct_options, keypair, start, swarm_keys, verified_keys};

const HOUR_MS: u64 = 3_600_000;

/// Six nodes in two swarms and a direct client.
async fn setup() -> (LocalNet, SwarmClient) {
    let net = start(6, 2).await;
    let client = client(&net, direct_options()).await;
    (net, client)
}

/// Stores `data` in `namespace` for a day; its hash.
async fn store(client: &SwarmClient, me: &Signer, namespace: i16, data: &[u8]) -> String {
    client
        .store(Auth::Signed(me), namespace, data, Lifetime::Ttl(DAY_MS))
        .await
        .unwrap()
        .hash
}

/// The hashes in `namespace`, in storage order.
async fn hashes(client: &SwarmClient, me: &Signer, namespace: i16) -> Vec<String> {
    client
        .retrieve(Auth::Signed(me), namespace, None)
        .await
        .unwrap()
        .messages
        .into_iter()
        .map(|m| m.hash)
        .collect()
}

/// The expiry a member reports for `hash`.
async fn expiry(client: &SwarmClient, me: &Signer, hash: &str) -> u64 {
    let expiries = client.get_expiries(me, &[hash]).await.unwrap();
    *expiries.expiries.get(hash).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_removes_a_message_from_every_member() {
    let (net, client) = setup().await;
    let me = Signer::user(keypair(20));
    let gone = store(&client, &me, 2, b"delete me").await;
    let kept = store(&client, &me, 2, b"keep me").await;

    let deleted = client.delete(&me, &[&gone]).await.unwrap();
    assert_eq!(
        verified_keys(&deleted.members),
        swarm_keys(&net, me.account())
    );
    assert!(
        deleted
            .members
            .verified()
            .all(|(_, d)| *d == [gone.clone()])
    );
    assert_eq!(hashes(&client, &me, 2).await, [kept]);

    // Deleting it again is no error: every member signs that it deleted nothing.
    let again = client.delete(&me, &[&gone]).await.unwrap();
    assert_eq!(again.members.verified().count(), 3);
    assert!(again.members.verified().all(|(_, d)| d.is_empty()));
    let none: [&str; 0] = [];
    let error = client.delete(&me, &none).await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expire_shortens_and_extends_as_get_expiries_reports() {
    let (net, client) = setup().await;
    let me = Signer::user(keypair(21));
    let hash = store(&client, &me, 2, b"expiring").await;
    let stored_expiry = expiry(&client, &me, &hash).await;
    let now = client.now_ms();
    assert!(stored_expiry > now + DAY_MS - 60_000 && stored_expiry <= now + DAY_MS);

    // Shorten: applied when earlier, reported unchanged when later.
    let shorter = stored_expiry - HOUR_MS;
    let shortened = client
        .expire(&me, &[&hash], shorter, ExpireMode::Shorten)
        .await
        .unwrap();
    assert_eq!(
        verified_keys(&shortened.members),
        swarm_keys(&net, me.account())
    );
    assert!(
        shortened
            .members
            .verified()
            .all(|(_, e)| e.updated == [hash.clone()] && e.expiries == [shorter])
    );
    assert_eq!(expiry(&client, &me, &hash).await, shorter);
    let refused = client
        .expire(&me, &[&hash], shorter + HOUR_MS, ExpireMode::Shorten)
        .await
        .unwrap();
    assert!(
        refused
            .members
            .verified()
            .all(|(_, e)| e.updated.is_empty() && e.unchanged.get(&hash) == Some(&shorter))
    );
    assert_eq!(expiry(&client, &me, &hash).await, shorter);

    // Extend: applied when later, reported unchanged when earlier.
    let longer = stored_expiry + DAY_MS;
    let extended = client
        .expire(&me, &[&hash], longer, ExpireMode::Extend)
        .await
        .unwrap();
    assert_eq!(extended.members.verified().count(), 3);
    assert!(
        extended
            .members
            .verified()
            .all(|(_, e)| e.updated == [hash.clone()] && e.expiries == [longer])
    );
    assert_eq!(expiry(&client, &me, &hash).await, longer);
    let refused = client
        .expire(&me, &[&hash], shorter, ExpireMode::Extend)
        .await
        .unwrap();
    assert!(
        refused
            .members
            .verified()
            .all(|(_, e)| e.updated.is_empty() && e.unchanged.get(&hash) == Some(&longer))
    );

    // Either way, and an unknown hash is simply absent.
    let any = client
        .expire(&me, &[&hash], shorter, ExpireMode::Any)
        .await
        .unwrap();
    assert!(any.members.verified().all(|(_, e)| e.expiries == [shorter]));
    let unknown = "A".repeat(43);
    let expiries = client.get_expiries(&me, &[&hash, &unknown]).await.unwrap();
    assert_eq!(expiries.expiries.len(), 1);
    assert_eq!(expiries.expiries.get(&hash), Some(&shorter));
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_before_and_delete_all_clear_namespaces() {
    let (net, client) = setup().await;
    let me = Signer::user(keypair(22));
    let first = store(&client, &me, 2, b"first").await;
    // Store timestamps are in ms: keep the two apart.
    tokio::time::sleep(Duration::from_millis(5)).await;
    let second = store(&client, &me, 2, b"second").await;
    let other = store(&client, &me, 3, b"other namespace").await;
    let inbox = client.retrieve(Auth::Signed(&me), 2, None).await.unwrap();
    let first_stored = inbox.messages[0].timestamp;
    assert!(inbox.messages[1].timestamp > first_stored);

    let before = client
        .delete_before(&me, NamespaceScope::One(2), first_stored)
        .await
        .unwrap();
    assert_eq!(
        verified_keys(&before.members),
        swarm_keys(&net, me.account())
    );
    assert!(
        before
            .members
            .verified()
            .all(|(_, a)| a.hashes == [first.clone()])
    );
    assert_eq!(hashes(&client, &me, 2).await, std::slice::from_ref(&second));

    let all_of_2 = client
        .delete_all(&me, NamespaceScope::One(2))
        .await
        .unwrap();
    assert!(
        all_of_2
            .members
            .verified()
            .all(|(_, a)| a.hashes == [second.clone()])
    );
    assert!(hashes(&client, &me, 2).await.is_empty());
    assert_eq!(hashes(&client, &me, 3).await, std::slice::from_ref(&other));

    // "all" answers per namespace.
    let everything = client.delete_all(&me, NamespaceScope::All).await.unwrap();
    assert_eq!(everything.members.verified().count(), 3);
    assert!(
        everything
            .members
            .verified()
            .all(|(_, a)| a.by_namespace.get(&3) == Some(&vec![other.clone()]))
    );
    assert!(hashes(&client, &me, 3).await.is_empty());
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expire_all_only_shortens() {
    let (net, client) = setup().await;
    let me = Signer::user(keypair(23));
    let long_a = store(&client, &me, 2, b"a").await;
    let long_b = store(&client, &me, 2, b"b").await;
    let short = client
        .store(Auth::Signed(&me), 2, b"short", Lifetime::Ttl(HOUR_MS))
        .await
        .unwrap()
        .hash;
    let short_expiry = expiry(&client, &me, &short).await;

    let target = client.now_ms() + 2 * HOUR_MS;
    let updated = client
        .expire_all(&me, NamespaceScope::One(2), target)
        .await
        .unwrap();
    assert_eq!(
        verified_keys(&updated.members),
        swarm_keys(&net, me.account())
    );
    let mut longs = vec![long_a.clone(), long_b.clone()];
    longs.sort();
    assert!(updated.members.verified().all(|(_, a)| a.hashes == longs));
    assert_eq!(expiry(&client, &me, &long_a).await, target);
    assert_eq!(expiry(&client, &me, &long_b).await, target);
    assert_eq!(expiry(&client, &me, &short).await, short_expiry);
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_subaccount_is_refused_until_unrevoked() {
    let (net, client) = setup().await;
    let admin = Signer::group_admin(keypair(24));
    let group = *admin.account();
    let member_key = keypair(25);
    let token = SubaccountToken::new(
        0x03,
        SubaccountFlags::READ | SubaccountFlags::WRITE,
        member_key.ed25519_public(),
    );
    // The owner (the group key) signs the 36 token bytes.
    let member = Signer::subaccount(group, token, keypair(24).sign(token.as_bytes()), member_key);
    let stored = client
        .store(
            Auth::Signed(&member),
            11,
            b"from a member",
            Lifetime::Ttl(DAY_MS),
        )
        .await
        .unwrap();

    let revoked = client.revoke_subaccount(&admin, &[token]).await.unwrap();
    assert_eq!(verified_keys(&revoked.members), swarm_keys(&net, &group));
    let error = client
        .retrieve(Auth::Signed(&member), 11, None)
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Status { status: 401, .. }),
        "{error:?}"
    );

    let unrevoked = client.unrevoke_subaccount(&admin, &[token]).await.unwrap();
    assert_eq!(verified_keys(&unrevoked.members), swarm_keys(&net, &group));
    let inbox = client
        .retrieve(Auth::Signed(&member), 11, None)
        .await
        .unwrap();
    assert_eq!(inbox.messages[0].hash, stored.hash);

    // Only the owner may revoke; the request is refused before it is sent.
    let error = client
        .revoke_subaccount(&member, &[token])
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_service_nodes_lists_the_network() {
    let (net, client) = setup().await;
    let mut expected: Vec<[u8; 32]> = net.nodes().iter().map(|n| n.ed25519()).collect();
    expected.sort_unstable();
    let asked = client.pool()[0].clone();
    for node in [None, Some(&asked)] {
        let listed = client
            .get_service_nodes(node, &CLIENT_FIELDS)
            .await
            .unwrap();
        let mut keys: Vec<[u8; 32]> = listed.nodes.iter().filter_map(|n| n.ed25519).collect();
        keys.sort_unstable();
        assert_eq!(keys, expected);
        for handle in net.nodes() {
            let entry = listed
                .nodes
                .iter()
                .find(|n| n.ed25519 == Some(handle.ed25519()))
                .unwrap();
            assert_eq!(entry.x25519, Some(handle.x25519()));
            assert_eq!(entry.storage_port, Some(handle.https_port()));
        }
    }
    net.shutdown().await;
}
