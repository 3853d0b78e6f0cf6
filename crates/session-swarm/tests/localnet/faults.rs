//! The client's failure handling with the typed methods, under faults injected into the
//! loopback network: a swarm move (421) and skewed clocks (406) over onion paths, a member
//! stopped and restarted mid-conversation over direct HTTPS.

use session_localnet::LocalNet;
use session_swarm::client::SwarmClient;
use session_swarm::rpc::{
    Auth, Lifetime, NamespaceScope, Signer, Store, SubaccountFlags, SubaccountToken,
};

use crate::common::{
    DAY_MS, cached_keys, client, direct_options, id, keypair, options, service_node, start,
    swarm_keys, verified_keys,
};

/// Nine nodes in three swarms (two 3-hop paths leave nodes to spare) and an onion client.
async fn onion_setup() -> (LocalNet, SwarmClient) {
    let net = start(9, 3).await;
    let client = client(&net, options()).await;
    assert_eq!(client.paths().len(), 2);
    (net, client)
}

/// Moves `signer`'s account to a swarm other than its current one.
fn move_elsewhere(net: &LocalNet, signer: &Signer) -> u64 {
    let old = net.swarm_of(&id(signer.account()));
    let new = *net.swarm_ids().iter().find(|s| **s != old).unwrap();
    net.move_account(id(signer.account()), new);
    new
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moved_account_is_followed_by_retrieve_and_store_over_onion() {
    let (net, client) = onion_setup().await;
    let me = Signer::user(keypair(30));
    let old = client
        .store(Auth::Signed(&me), 2, b"old home", Lifetime::Ttl(DAY_MS))
        .await
        .unwrap();
    let old_keys = swarm_keys(&net, me.account());
    assert_eq!(cached_keys(&client, me.account()).await, old_keys);

    // A retrieve first: the cached swarm answers 421 naming the new one, which is adopted.
    // Messages stay where they were stored, so the new home is empty.
    move_elsewhere(&net, &me);
    let new_keys = swarm_keys(&net, me.account());
    assert_ne!(new_keys, old_keys);
    let inbox = client.retrieve(Auth::Signed(&me), 2, None).await.unwrap();
    assert!(inbox.messages.iter().all(|m| m.hash != old.hash));
    assert_eq!(cached_keys(&client, me.account()).await, new_keys);

    // Then a store as the first call after another move.
    let moved_to = move_elsewhere(&net, &me);
    let stored = client
        .store(Auth::Signed(&me), 2, b"newer home", Lifetime::Ttl(DAY_MS))
        .await
        .unwrap();
    assert_eq!(
        verified_keys(&stored.members),
        swarm_keys(&net, me.account())
    );
    assert_eq!(
        cached_keys(&client, me.account()).await,
        swarm_keys(&net, me.account())
    );
    assert_eq!(
        client.get_swarm(me.account()).await.unwrap().swarm_id,
        Some(moved_to)
    );
    let inbox = client.retrieve(Auth::Signed(&me), 2, None).await.unwrap();
    assert!(inbox.messages.iter().any(|m| m.hash == stored.hash));
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_ten_minutes_off_is_resynced_over_onion() {
    let (net, client) = onion_setup().await;
    let admin = Signer::group_admin(keypair(31));
    let members = net.swarm_nodes(&id(admin.account()));
    let token = SubaccountToken::new(0x03, SubaccountFlags::READ, &[9; 32]);
    let skewed = &members[0];
    let node = service_node(&client, skewed);
    for skew in [600_000i64, -600_000] {
        // One member: requests to it are signed with its clock after its 406.
        skewed.skew_clock(skew);
        client
            .retrieve_from(Auth::Signed(&admin), &node, 2, None)
            .await
            .unwrap();
        let learned = client.node_offset_ms(&skewed.ed25519()).unwrap();
        assert!(
            (learned - skew).abs() < 5_000,
            "learned {learned} for {skew}"
        );
        let stored = client
            .call_node(admin.account(), &node, |now_ms| {
                Store::new(
                    Auth::Signed(&admin),
                    2,
                    format!("to the skewed node {skew}").as_bytes(),
                    Lifetime::Ttl(DAY_MS),
                    now_ms,
                )
            })
            .await
            .unwrap();
        assert!(stored.members.get(&skewed.ed25519()).is_some());

        // The whole swarm: every timestamped typed method re-signs after a 406, whichever
        // member it lands on.
        for member in &members {
            member.skew_clock(skew);
        }
        let stored = client
            .store(
                Auth::Signed(&admin),
                2,
                b"skewed swarm",
                Lifetime::Ttl(DAY_MS),
            )
            .await
            .unwrap();
        assert!(stored.members.verified().next().is_some());
        let expiries = client.get_expiries(&admin, &[&stored.hash]).await.unwrap();
        assert_eq!(expiries.expiries.len(), 1);
        let revoked = client.revoke_subaccount(&admin, &[token]).await.unwrap();
        assert!(revoked.members.verified().next().is_some());
        let unrevoked = client.unrevoke_subaccount(&admin, &[token]).await.unwrap();
        assert!(unrevoked.members.verified().next().is_some());
        let cleared = client
            .delete_all(&admin, NamespaceScope::One(2))
            .await
            .unwrap();
        assert!(cleared.members.verified().next().is_some());
        let inbox = client
            .retrieve(Auth::Signed(&admin), 2, None)
            .await
            .unwrap();
        assert!(inbox.messages.is_empty());
        for member in &members {
            member.clear_faults();
        }
    }
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_stopped_mid_conversation_serves_again_after_restart() {
    let net = start(6, 2).await;
    let client = client(&net, direct_options()).await;
    let me = Signer::user(keypair(32));
    let everyone = swarm_keys(&net, me.account());
    let first = client
        .store(Auth::Signed(&me), 2, b"all up", Lifetime::Ttl(DAY_MS))
        .await
        .unwrap();
    assert_eq!(verified_keys(&first.members), everyone);

    let stopped = net.swarm_nodes(&id(me.account()))[0].clone();
    // Taken now: strikes while it is down may drop it from the client's pool.
    let node = service_node(&client, &stopped);
    stopped.stop().await;
    for round in 0..4 {
        let stored = client
            .store(
                Auth::Signed(&me),
                2,
                format!("one down {round}").as_bytes(),
                Lifetime::Ttl(DAY_MS),
            )
            .await
            .unwrap_or_else(|error| panic!("round {round}: {error:?}"));
        let verified = verified_keys(&stored.members);
        assert_eq!(verified.len(), 2);
        assert!(!verified.contains(&stopped.ed25519()));
        let inbox = client.retrieve(Auth::Signed(&me), 2, None).await.unwrap();
        assert_eq!(inbox.messages.len(), round + 2);
    }
    let deleted = client.delete(&me, &[&first.hash]).await.unwrap();
    assert_eq!(verified_keys(&deleted.members).len(), 2);

    // Back up: it signs the swarm's results again and answers polls itself.
    stopped.restart().await.unwrap();
    let stored = client
        .store(Auth::Signed(&me), 2, b"all up again", Lifetime::Ttl(DAY_MS))
        .await
        .unwrap();
    assert_eq!(verified_keys(&stored.members), everyone);
    let polled = client
        .retrieve_from(Auth::Signed(&me), &node, 2, None)
        .await
        .unwrap();
    assert!(polled.messages.iter().any(|m| m.hash == stored.hash));
    net.shutdown().await;
}
