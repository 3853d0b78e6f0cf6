//! The RPC layer against the loopback network: every request rendered by `rpc`, POSTed to
//! a real-behaving node, and its answer parsed (member signatures verified) by `rpc`.

use session_localnet::{LocalNet, NodeHandle};
use session_swarm::rpc::{
    Account, Auth, Batch, Bulk, Call, Delete, Expire, ExpireMode, FailureKind, GetExpiries,
    GetServiceNodes, GetSwarm, Info, Lifetime, MemberOutcome, NamespaceScope, Reply, Request,
    Retrieve, Revocation, Signer, Store, SubaccountFlags, SubaccountToken,
};

use crate::common::{DAY_MS, id, keypair};

/// Six nodes in two swarms: enough for a swarm and a node outside it.
async fn network() -> LocalNet {
    crate::common::start(6, 2).await
}

async fn post(node: &NodeHandle, request: &Request) -> (u16, Vec<u8>) {
    let client = reqwest::Client::builder()
        .tls_backend_preconfigured(session_localnet::tls::accept_any_certificate().unwrap())
        .build()
        .unwrap();
    let response = client
        .post(format!("{}/storage_rpc/v1", node.url()))
        .body(request.to_bytes())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.bytes().await.unwrap().to_vec())
}

/// Sends `call` to `node` and parses the answer with the call's own parser.
async fn send<C: Call>(node: &NodeHandle, call: &C) -> Reply<C::Output> {
    let (status, body) = post(node, call.request()).await;
    call.parse_http(status, &body).unwrap()
}

fn ok<T>(reply: Reply<T>) -> T {
    match reply {
        Reply::Ok(value) => value,
        Reply::WrongSwarm(swarm) => panic!("421: {swarm:?}"),
        Reply::Failed(failure) => panic!("{} {}", failure.status, failure.text),
    }
}

fn member_node(net: &LocalNet, account: &Account) -> NodeHandle {
    net.swarm_nodes(&id(account)).into_iter().next().unwrap()
}

#[tokio::test]
async fn a_user_stores_retrieves_expires_and_deletes() {
    let net = network().await;
    let me = Signer::user(keypair(1));
    let node = member_node(&net, me.account());
    let swarm_size = net.swarm_nodes(&id(me.account())).len();

    let info = ok(send(&node, &Info::new()).await);
    assert_eq!(info.version.len(), 3);
    assert!(info.meta.t.is_some());
    let now = info.timestamp;

    // A signed store to a private namespace and an anonymous one to the inbox.
    let store = Store::new(Auth::Signed(&me), 2, b"config", Lifetime::Ttl(DAY_MS), now).unwrap();
    let stored = ok(send(&node, &store).await);
    assert_eq!(stored.members.len(), swarm_size);
    assert_eq!(stored.members.verified().count(), swarm_size);
    stored.members.check_signatures().unwrap();
    assert!(
        stored
            .members
            .verified()
            .all(|(_, e)| e.hash == stored.hash && !e.already)
    );
    assert!(stored.meta.t.is_some());
    // A member entry altered in transit no longer verifies with that member's key.
    let (status, body) = post(&node, store.request()).await;
    assert_eq!(status, 200);
    let mut tampered: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let first = tampered["swarm"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    tampered["swarm"][&first]["hash"] = "A".repeat(43).into();
    let parsed = store.parse(&tampered).unwrap();
    let bad = parsed
        .members
        .iter()
        .find(|m| hex::encode(m.ed25519) == first)
        .unwrap();
    assert_eq!(bad.outcome, MemberOutcome::BadSignature);
    assert!(matches!(
        parsed.members.check_signatures(),
        Err(session_swarm::Error::BadMemberSignature { member }) if member == first
    ));
    let again = ok(send(&node, &store).await);
    assert!(again.members.verified().all(|(_, e)| e.already));

    let inbox = Store::new(
        Auth::Anonymous(*me.account()),
        0,
        b"hi",
        Lifetime::Expiry(now + DAY_MS),
        now,
    )
    .unwrap();
    let inboxed = ok(send(&node, &inbox).await);
    inboxed.members.check_signatures().unwrap();

    // Retrieve, paging by count.
    let retrieved = ok(send(&node, &Retrieve::new(Auth::Signed(&me), 2, now).unwrap()).await);
    assert_eq!(retrieved.messages.len(), 1);
    assert_eq!(retrieved.messages[0].data, b"config");
    assert_eq!(retrieved.messages[0].hash, stored.hash);
    assert!(retrieved.messages[0].expiration > now);
    assert!(!retrieved.more);
    let empty = Retrieve::new(Auth::Signed(&me), 2, now)
        .unwrap()
        .last_hash(&stored.hash)
        .max_count(5)
        .max_size(-8);
    assert!(ok(send(&node, &empty).await).messages.is_empty());

    // Expire: plain, shorten (reports unchanged), multi.
    let hashes = [stored.hash.clone()];
    let later = now + 2 * DAY_MS;
    let expired = ok(send(
        &node,
        &Expire::new(&me, &hashes, later, ExpireMode::Any).unwrap(),
    )
    .await);
    expired.members.check_signatures().unwrap();
    assert_eq!(expired.members.verified().count(), swarm_size);
    assert!(
        expired
            .members
            .verified()
            .all(|(_, e)| e.updated == hashes && e.expiries == [later])
    );
    let shorten = Expire::new(&me, &hashes, later + DAY_MS, ExpireMode::Shorten).unwrap();
    let unchanged = ok(send(&node, &shorten).await);
    unchanged.members.check_signatures().unwrap();
    assert!(
        unchanged
            .members
            .verified()
            .all(|(_, e)| e.updated.is_empty() && e.unchanged.get(&hashes[0]) == Some(&later))
    );
    let both = [stored.hash.clone(), inboxed.hash.clone()];
    let multi = Expire::multi(&me, &both, &[later, later + 1], ExpireMode::Extend).unwrap();
    let multied = ok(send(&node, &multi).await);
    multied.members.check_signatures().unwrap();
    assert_eq!(multied.members.verified().count(), swarm_size);

    let expiries = ok(send(&node, &GetExpiries::new(&me, &hashes, now).unwrap()).await);
    assert_eq!(expiries.expiries.len(), 1);

    // Delete by hash, then bulk deletes and expire_all.
    let deleted = ok(send(&node, &Delete::new(&me, &hashes).unwrap().required()).await);
    deleted.members.check_signatures().unwrap();
    assert!(deleted.members.verified().all(|(_, d)| *d == hashes));
    let (status, body) = post(
        &node,
        Delete::new(&me, &hashes).unwrap().required().request(),
    )
    .await;
    match Reply::from_http(status, &body).unwrap() {
        Reply::Failed(failure) => {
            assert_eq!(failure.kind(), FailureKind::NotFound);
            // The 404 still carries the verified per-member results.
            let delete = Delete::new(&me, &hashes).unwrap();
            let result = delete.parse(failure.json.as_ref().unwrap()).unwrap();
            assert!(result.members.verified().all(|(_, d)| d.is_empty()));
        }
        other => panic!("{other:?}"),
    }

    let expire_all = Bulk::expire_all(&me, NamespaceScope::All, now + DAY_MS);
    let expired_all = ok(send(&node, &expire_all).await);
    expired_all.members.check_signatures().unwrap();
    assert!(
        expired_all
            .members
            .verified()
            .all(|(_, a)| a.hashes == [inboxed.hash.clone()]
                && a.by_namespace.get(&0) == Some(&vec![inboxed.hash.clone()]))
    );
    let before = ok(send(
        &node,
        &Bulk::delete_before(&me, NamespaceScope::One(0), now),
    )
    .await);
    before.members.check_signatures().unwrap();
    let all = ok(send(&node, &Bulk::delete_all(&me, NamespaceScope::One(0), now)).await);
    all.members.check_signatures().unwrap();
    assert_eq!(all.members.verified().count(), swarm_size);
    net.shutdown().await;
}

#[tokio::test]
async fn swarms_nodes_batches_and_sequences() {
    let net = network().await;
    let me = Signer::user(keypair(2));
    let node = member_node(&net, me.account());
    let other = net
        .nodes()
        .into_iter()
        .find(|n| n.swarm_id() != node.swarm_id())
        .unwrap();

    // Any node answers get_swarm.
    let swarm = ok(send(&other, &GetSwarm::new(me.account())).await);
    assert_eq!(swarm.swarm_id, Some(node.swarm_id()));
    assert!(swarm.snodes.iter().any(|s| s.ed25519 == node.ed25519()
        && s.x25519 == node.x25519()
        && s.port_https == node.https_port()));

    let nodes = ok(send(
        &node,
        &GetServiceNodes::new(&session_swarm::rpc::service_nodes::CLIENT_FIELDS),
    )
    .await);
    assert_eq!(nodes.nodes.len(), 6);
    assert!(
        nodes
            .nodes
            .iter()
            .all(|n| n.ed25519.is_some() && n.storage_port.is_some())
    );

    let now = ok(send(&node, &Info::new()).await).timestamp;
    let store = Store::new(Auth::Signed(&me), 5, b"groups", Lifetime::Ttl(DAY_MS), now).unwrap();
    let retrieve = Retrieve::new(Auth::Signed(&me), 5, now)
        .unwrap()
        .max_size(-2);
    let batch = Batch::batch(vec![store.request().clone(), retrieve.request().clone()]).unwrap();
    let results = ok(send(&node, &batch).await);
    assert_eq!(results.results.len(), 2);
    assert!(results.meta.t.is_some());
    let stored = ok(store.parse_reply(results.results[0].reply()).unwrap());
    stored.members.check_signatures().unwrap();
    // The batch runs in order, so the retrieve already sees the store.
    let retrieved = ok(retrieve.parse_reply(results.results[1].reply()).unwrap());
    assert_eq!(retrieved.messages[0].hash, stored.hash);

    // A sequence stops at the first failure: a store signed an hour ago is a 406.
    let stale = Store::new(
        Auth::Signed(&me),
        5,
        b"x",
        Lifetime::Ttl(DAY_MS),
        now - 3_600_000,
    )
    .unwrap();
    let sequence =
        Batch::sequence(vec![stale.request().clone(), retrieve.request().clone()]).unwrap();
    let results = ok(send(&node, &sequence).await);
    assert_eq!(results.results.len(), 1);
    match results.results[0].reply() {
        Reply::Failed(failure) => assert_eq!(failure.kind(), FailureKind::ClockOutOfSync),
        other => panic!("{other:?}"),
    }

    assert!(matches!(
        Batch::batch(vec![Info::new().request().clone(); 21]),
        Err(session_swarm::Error::BatchSize { count: 21 })
    ));
    assert!(Batch::sequence(Vec::new()).is_err());
    assert!(Batch::batch(vec![batch.request().clone()]).is_err());
    net.shutdown().await;
}

#[tokio::test]
async fn a_group_member_signs_with_a_subaccount_and_the_admin_revokes_it() {
    let net = network().await;
    let admin = Signer::group_admin(keypair(3));
    let group = *admin.account();
    assert_eq!(group.prefix(), 0x03);
    let node = member_node(&net, &group);
    let now = ok(send(&node, &Info::new()).await).timestamp;

    let member_key = keypair(4);
    let flags = SubaccountFlags::READ | SubaccountFlags::WRITE;
    let token = SubaccountToken::new(0x03, flags, member_key.ed25519_public());
    // The owner (the group key) signs the 36 token bytes.
    let token_sig = keypair(3).sign(token.as_bytes());
    let member = Signer::subaccount(group, token, token_sig, member_key.clone());

    let store = Store::new(
        Auth::Signed(&member),
        11,
        b"group msg",
        Lifetime::Ttl(DAY_MS),
        now,
    )
    .unwrap();
    let stored = ok(send(&node, &store).await);
    stored.members.check_signatures().unwrap();
    let retrieved = ok(send(
        &node,
        &Retrieve::new(Auth::Signed(&member), 11, now).unwrap(),
    )
    .await);
    assert_eq!(retrieved.messages[0].data, b"group msg");

    // Without the delete flag a subaccount delete is refused: 401.
    let delete = Delete::new(&member, std::slice::from_ref(&stored.hash)).unwrap();
    match send(&node, &delete).await {
        Reply::Failed(failure) => assert_eq!(failure.kind(), FailureKind::Unauthorized),
        other => panic!("{other:?}"),
    }
    // A token the owner never signed: 401.
    let forged = Signer::subaccount(group, token, member_key.sign(token.as_bytes()), member_key);
    match send(
        &node,
        &Retrieve::new(Auth::Signed(&forged), 11, now).unwrap(),
    )
    .await
    {
        Reply::Failed(failure) => assert_eq!(failure.kind(), FailureKind::Unauthorized),
        other => panic!("{other:?}"),
    }

    // Revocation: members confirm with signatures; afterwards the token is refused,
    // except for retrieves from -11; unrevoke restores it.
    assert!(Revocation::revoke(&member, &[token], now).is_err());
    let revoked = ok(send(&node, &Revocation::revoke(&admin, &[token], now).unwrap()).await);
    revoked.members.check_signatures().unwrap();
    assert!(revoked.members.verified().count() >= 2);
    match send(
        &node,
        &Retrieve::new(Auth::Signed(&member), 11, now).unwrap(),
    )
    .await
    {
        Reply::Failed(failure) => assert_eq!(failure.kind(), FailureKind::Unauthorized),
        other => panic!("{other:?}"),
    }
    ok(send(
        &node,
        &Retrieve::new(Auth::Signed(&member), -11, now).unwrap(),
    )
    .await);
    let unrevoked = ok(send(&node, &Revocation::unrevoke(&admin, &[token], now).unwrap()).await);
    unrevoked.members.check_signatures().unwrap();
    ok(send(
        &node,
        &Retrieve::new(Auth::Signed(&member), 11, now).unwrap(),
    )
    .await);

    // The admin signs as the group itself.
    let admin_store = Store::new(
        Auth::Signed(&admin),
        12,
        b"keys",
        Lifetime::Ttl(DAY_MS),
        now,
    )
    .unwrap();
    ok(send(&node, &admin_store).await)
        .members
        .check_signatures()
        .unwrap();
    net.shutdown().await;
}

#[tokio::test]
async fn wrong_swarm_bad_signature_and_clock_skew_are_typed() {
    let net = network().await;
    let me = Signer::user(keypair(5));
    let node = member_node(&net, me.account());
    let now = ok(send(&node, &Info::new()).await).timestamp;
    let other_swarm = *net
        .swarm_ids()
        .iter()
        .find(|id| **id != node.swarm_id())
        .unwrap();

    net.move_account(id(me.account()), other_swarm);
    match send(&node, &Retrieve::new(Auth::Signed(&me), 0, now).unwrap()).await {
        Reply::WrongSwarm(swarm) => {
            assert_eq!(swarm.swarm_id, Some(other_swarm));
            assert!(!swarm.snodes.is_empty());
            assert!(swarm.meta.t.is_some());
        }
        other => panic!("{other:?}"),
    }
    let new_home = net.swarm_nodes(&id(me.account()));
    assert!(new_home.iter().all(|n| n.swarm_id() == other_swarm));
    let node = new_home[0].clone();

    // 406: a signature ten minutes old; the failure says to resync the clock.
    match send(
        &node,
        &Retrieve::new(Auth::Signed(&me), 0, now - 600_000).unwrap(),
    )
    .await
    {
        Reply::Failed(failure) => {
            assert_eq!(failure.status, 406);
            assert_eq!(failure.kind(), FailureKind::ClockOutOfSync);
            assert!(
                failure.text.contains("too far from current time"),
                "{}",
                failure.text
            );
        }
        other => panic!("{other:?}"),
    }
    // 401: someone else's key claiming this account.
    let impostor = Signer::subaccount(
        *me.account(),
        SubaccountToken::new(0x05, SubaccountFlags::READ, keypair(6).ed25519_public()),
        [0; 64],
        keypair(6),
    );
    match send(
        &node,
        &Retrieve::new(Auth::Signed(&impostor), 0, now).unwrap(),
    )
    .await
    {
        Reply::Failed(failure) => {
            assert_eq!(failure.kind(), FailureKind::Unauthorized);
            assert!(Reply::<()>::Failed(failure).into_result().is_err());
        }
        other => panic!("{other:?}"),
    }
    net.shutdown().await;
}
