//! The swarm client against the loopback network: stores and retrieves through onion
//! paths, and the failure handling of the official clients (421, clock skew, dead members,
//! lossy nodes, refusals, deadlines).

use std::time::{Duration, Instant};

use session_swarm::Error;
use session_swarm::client::{Status, SwarmClient};
use session_swarm::rpc::{
    Auth, Call, Lifetime, Reply, Retrieve, Signer, Store, SubaccountFlags, SubaccountToken,
};

use crate::common::{
    DAY_MS, cached_keys, client, direct_options, id, keypair, options, service_node, swarm_keys,
    verified_keys,
};

/// The network these tests share the shape of: 12 nodes in 4 swarms.
async fn start() -> session_localnet::LocalNet {
    crate::common::start(12, 4).await
}

/// Calls can run on spawned tasks: the client and its futures are `Send`.
#[allow(dead_code)]
fn futures_are_send(client: &SwarmClient, me: &Signer) {
    fn send<T: Send + Sync + Clone + 'static>(_: &T) {}
    fn future<T: Send>(_: T) {}
    send(client);
    future(client.store(Auth::Signed(me), 2, b"", Lifetime::Ttl(DAY_MS)));
    future(client.retrieve(Auth::Signed(me), 2, None));
    future(client.get_swarm(me.account()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn store_and_retrieve_through_onion_paths() {
    let net = start().await;
    let client = client(&net, options()).await;
    assert_eq!(client.pool().len(), 12);
    assert_eq!(client.paths().len(), 2);
    assert!(client.paths().iter().all(|path| path.len() == 3));
    assert_eq!(*client.status().borrow(), Status::Connected { paths: 2 });

    let me = Signer::user(keypair(1));
    let stored = client
        .store(Auth::Signed(&me), 2, b"hello swarm", Lifetime::Ttl(DAY_MS))
        .await
        .unwrap();
    // Every member stored it and signed its result; the signatures verified.
    assert_eq!(
        verified_keys(&stored.members),
        swarm_keys(&net, me.account())
    );

    let inbox = client.retrieve(Auth::Signed(&me), 2, None).await.unwrap();
    assert_eq!(inbox.messages.len(), 1);
    assert_eq!(inbox.messages[0].hash, stored.hash);
    assert_eq!(inbox.messages[0].data, b"hello swarm");

    // Polling two members, each on its own.
    let members = client.swarm(me.account()).await.unwrap();
    assert_eq!(members.len(), 3);
    for member in &members[..2] {
        let polled = client
            .retrieve_from(Auth::Signed(&me), member, 2, None)
            .await
            .unwrap();
        assert_eq!(polled.messages[0].hash, stored.hash);
        let after = client
            .retrieve_from(Auth::Signed(&me), member, 2, Some(&stored.hash))
            .await
            .unwrap();
        assert!(after.messages.is_empty());
    }

    // A batch built from the network clock: a store and a retrieve in one round trip.
    let batch = client
        .sequence(me.account(), |now_ms| {
            let store = Store::new(
                Auth::Signed(&me),
                2,
                b"second",
                Lifetime::Ttl(DAY_MS),
                now_ms,
            )?;
            let poll = Retrieve::new(Auth::Signed(&me), 2, now_ms)?.last_hash(&stored.hash);
            Ok(vec![store.request().clone(), poll.request().clone()])
        })
        .await
        .unwrap();
    assert_eq!(batch.results.len(), 2);
    assert!(batch.results.iter().all(|r| r.code == 200));
    let poll = Retrieve::new(Auth::Signed(&me), 2, 0).unwrap();
    match poll.parse_reply(batch.results[1].reply()).unwrap() {
        Reply::Ok(result) => assert_eq!(result.messages[0].data, b"second"),
        other => panic!("{other:?}"),
    }

    let swarm = client.get_swarm(me.account()).await.unwrap();
    assert_eq!(swarm.swarm_id, Some(net.swarm_of(&id(me.account()))));
    let info = client.info(None).await.unwrap();
    assert_eq!(info.version, vec![2, 8, 0]);
    // The answers' `t` keep the network clock: local nodes share our clock.
    assert!(client.clock_offset_ms().abs() < 5_000);
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn direct_transport_for_diagnostics() {
    let net = start().await;
    let client = client(&net, direct_options()).await;
    assert!(client.paths().is_empty());
    let me = Signer::user(keypair(2));
    let stored = client
        .store(Auth::Signed(&me), 0, b"direct", Lifetime::Ttl(DAY_MS))
        .await
        .unwrap();
    assert_eq!(
        verified_keys(&stored.members),
        swarm_keys(&net, me.account())
    );
    let inbox = client.retrieve(Auth::Signed(&me), 0, None).await.unwrap();
    assert_eq!(inbox.messages[0].hash, stored.hash);
    assert_eq!(*client.status().borrow(), Status::Connected { paths: 0 });
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moved_account_is_followed() {
    let net = start().await;
    let client = client(&net, options()).await;
    let me = Signer::user(keypair(3));
    client
        .store(Auth::Signed(&me), 2, b"before", Lifetime::Ttl(DAY_MS))
        .await
        .unwrap();
    let old_swarm = net.swarm_of(&id(me.account()));
    let new_swarm = *net.swarm_ids().iter().find(|s| **s != old_swarm).unwrap();
    net.move_account(id(me.account()), new_swarm);

    // The cached (old) swarm answers 421 with the new one; the client follows it.
    let stored = client
        .store(Auth::Signed(&me), 2, b"after", Lifetime::Ttl(DAY_MS))
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
    let inbox = client.retrieve(Auth::Signed(&me), 2, None).await.unwrap();
    assert_eq!(inbox.messages.len(), 1);
    assert_eq!(inbox.messages[0].data, b"after");
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn skewed_clocks_are_learned() {
    let net = start().await;
    let client = client(&net, options()).await;
    let me = Signer::user(keypair(4));
    let members = net.swarm_nodes(&id(me.account()));
    for skew in [600_000i64, -600_000] {
        // One member: its 406 makes the client ask its time and sign again with it.
        let skewed = &members[0];
        skewed.skew_clock(skew);
        let node = service_node(&client, skewed);
        client
            .retrieve_from(Auth::Signed(&me), &node, 2, None)
            .await
            .unwrap();
        let learned = client.node_offset_ms(&skewed.ed25519()).unwrap();
        assert!(
            (learned - skew).abs() < 5_000,
            "learned {learned} for {skew}"
        );

        // The whole swarm: whichever member a store lands on, it is accepted.
        for member in &members {
            member.skew_clock(skew);
        }
        for round in 0..3 {
            let stored = client
                .store(
                    Auth::Signed(&me),
                    2,
                    format!("skew {skew} {round}").as_bytes(),
                    Lifetime::Ttl(DAY_MS),
                )
                .await
                .unwrap();
            assert!(stored.members.verified().next().is_some());
        }
        for member in &members {
            member.clear_faults();
        }
    }
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_member_is_routed_around() {
    let net = start().await;
    let client = client(&net, options()).await;
    let me = Signer::user(keypair(5));
    client
        .store(Auth::Signed(&me), 2, b"all up", Lifetime::Ttl(DAY_MS))
        .await
        .unwrap();
    let stopped = net.swarm_nodes(&id(me.account()))[0].clone();
    stopped.stop().await;
    for round in 0..6 {
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
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_succeed_when_every_node_drops_a_tenth() {
    let net = start().await;
    let client = client(&net, options()).await;
    for node in net.nodes() {
        node.drop_requests(0.1);
    }
    let me = Signer::user(keypair(6));
    let started = Instant::now();
    for round in 0..10 {
        let call = Instant::now();
        let stored = client
            .store(
                Auth::Signed(&me),
                2,
                format!("lossy {round}").as_bytes(),
                Lifetime::Ttl(DAY_MS),
            )
            .await
            .unwrap();
        assert!(stored.members.verified().next().is_some());
        let inbox = client.retrieve(Auth::Signed(&me), 2, None).await.unwrap();
        assert_eq!(inbox.messages.len(), round + 1);
        assert!(call.elapsed() < Duration::from_secs(20));
    }
    assert!(started.elapsed() < Duration::from_secs(60));
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unauthorized_is_returned_at_once() {
    let net = start().await;
    let client = client(&net, options()).await;
    let me = Signer::user(keypair(7));
    // Someone else's key claiming this account.
    let impostor = Signer::subaccount(
        *me.account(),
        SubaccountToken::new(0x05, SubaccountFlags::READ, keypair(8).ed25519_public()),
        [0; 64],
        keypair(8),
    );
    let started = Instant::now();
    let error = client
        .retrieve(Auth::Signed(&impostor), 2, None)
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Status { status: 401, .. }),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
    // A refusal is an answer: the client is still connected.
    assert!(matches!(
        *client.status().borrow(),
        Status::Connected { .. }
    ));
    // A request that cannot be built is never sent.
    let error = client
        .store(Auth::Signed(&me), 2, b"x", Lifetime::Ttl(1))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    net.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deadline_bounds_a_call() {
    let net = start().await;
    let mut options = options();
    options.deadline = Duration::from_millis(1500);
    let client = client(&net, options).await;
    let me = Signer::user(keypair(9));
    client.swarm(me.account()).await.unwrap();
    for member in net.swarm_nodes(&id(me.account())) {
        member.delay_requests(1.0, Duration::from_secs(30));
    }
    let started = Instant::now();
    let error = client
        .store(Auth::Signed(&me), 2, b"slow", Lifetime::Ttl(DAY_MS))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Timeout { limit_ms: 1500 }),
        "{error:?}"
    );
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(*client.status().borrow(), Status::Offline);
    net.shutdown().await;
}
