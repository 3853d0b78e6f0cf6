//! The RPC engine against a six-node, two-swarm network in memory: every method's success
//! shape, the committed error and subaccount vectors, 421s, per-member signatures, stopped
//! peers and malformed input.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use session_crypto::Ed25519Seed;
use session_identity::Keypair;
use session_testkit::VectorFile;

use super::encoding::{decode_base64, encode_base64};
use super::message_hash::message_hash;
use super::{ReplyBody, RpcReply, handle_request};
use crate::account::AccountId;
use crate::network::{Network, NetworkConfig};
use crate::node::Node;
use crate::storage::MemoryStorage;
use crate::swarm_space::spread_swarm_ids;

/// Six running nodes, three per swarm.
fn network_with(config: NetworkConfig) -> Network {
    let swarm_ids = spread_swarm_ids(2, 0x1234_5678_9abc);
    let nodes = (0..6)
        .map(|index| {
            let keypair =
                Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([index as u8 + 1; 32]));
            let node = Node::new(
                index,
                keypair,
                swarm_ids[index % 2],
                20_000 + index as u16,
                Arc::new(MemoryStorage::new()),
                [index as u8; 32],
            );
            node.set_running(true);
            Arc::new(node)
        })
        .collect();
    Network::new(nodes, config)
}

fn network() -> Network {
    network_with(NetworkConfig::default())
}

/// A user whose keys come from `seed`, and the account of `prefix` it controls.
struct User {
    keys: Keypair,
    account: AccountId,
}

impl User {
    fn hex(&self) -> String {
        self.account.to_hex()
    }

    fn sign(&self, message: &[u8]) -> String {
        encode_base64(&self.keys.sign(message))
    }

    /// `pubkey` plus (for 05 accounts) `pubkey_ed25519`.
    fn auth(&self) -> serde_json::Map<String, Value> {
        let mut map = serde_json::Map::new();
        map.insert("pubkey".into(), json!(self.hex()));
        if self.account.prefix() == 0x05 {
            map.insert(
                "pubkey_ed25519".into(),
                json!(hex::encode(self.keys.ed25519_public())),
            );
        }
        map
    }
}

fn user_with_prefix(seed: u8, prefix: u8) -> User {
    let keys = Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([seed; 32]));
    let key = if prefix == 0x05 {
        *keys.x25519_public()
    } else {
        *keys.ed25519_public()
    };
    let mut bytes = [0u8; 33];
    bytes[0] = prefix;
    bytes[1..].copy_from_slice(&key);
    User {
        keys,
        account: AccountId::from_bytes(bytes),
    }
}

/// A user of `prefix` whose account lives in the swarm of node 0.
fn user_in_swarm(net: &Network, prefix: u8, start: u8) -> User {
    let wanted = net.nodes()[0].swarm_id();
    (start..=255)
        .map(|seed| user_with_prefix(seed, prefix))
        .find(|user| net.swarm_of(&user.account) == wanted)
        .expect("some seed lands in swarm 0")
}

fn node(net: &Network, index: usize) -> &Node {
    &net.nodes()[index]
}

async fn call(net: &Network, index: usize, request: &Value) -> RpcReply {
    handle_request(net, node(net, index), request.to_string().as_bytes()).await
}

async fn rpc(net: &Network, index: usize, method: &str, params: Value) -> RpcReply {
    call(net, index, &json!({"method": method, "params": params})).await
}

fn now_ms() -> u64 {
    crate::clock::system_now_ms()
}

fn text_of(reply: &RpcReply) -> &str {
    match &reply.body {
        ReplyBody::Text(text) => text,
        ReplyBody::Json(_) => panic!("expected text, got {reply:?}"),
    }
}

fn json_of(reply: &RpcReply) -> &Value {
    match &reply.body {
        ReplyBody::Json(value) => value,
        ReplyBody::Text(text) => panic!("expected json, got {} {text}", reply.status),
    }
}

fn assert_text(reply: &RpcReply, status: u16, body: &str) {
    assert_eq!((reply.status, text_of(reply)), (status, body), "{reply:?}");
}

/// Merges `extra` into the object `base`.
fn with(mut base: serde_json::Map<String, Value>, extra: Value) -> Value {
    if let Value::Object(extra) = extra {
        base.extend(extra);
    }
    Value::Object(base)
}

/// A signed store of `data` to `namespace`.
fn signed_store(user: &User, namespace: i16, data: &[u8]) -> Value {
    let ts = now_ms();
    let ns = if namespace == 0 {
        String::new()
    } else {
        namespace.to_string()
    };
    with(
        user.auth(),
        json!({
            "namespace": namespace,
            "timestamp": ts,
            "ttl": 60_000,
            "data": encode_base64(data),
            "signature": user.sign(format!("store{ns}{ts}").as_bytes()),
        }),
    )
}

fn signed_retrieve(user: &User, namespace: i16) -> Value {
    let ts = now_ms();
    let ns = if namespace == 0 {
        String::new()
    } else {
        namespace.to_string()
    };
    with(
        user.auth(),
        json!({
            "namespace": namespace,
            "timestamp": ts,
            "signature": user.sign(format!("retrieve{ns}{ts}").as_bytes()),
        }),
    )
}

/// Checks each member entry of `swarm` is signed by that member over `message(entry)`.
fn assert_member_signatures(swarm: &Value, message: impl Fn(&Value) -> Vec<u8>) {
    let swarm = swarm.as_object().expect("swarm object");
    assert_eq!(swarm.len(), 3);
    for (key, entry) in swarm {
        let key: [u8; 32] = hex::decode(key).unwrap().try_into().unwrap();
        let signature: [u8; 64] = decode_base64(entry["signature"].as_str().unwrap())
            .try_into()
            .unwrap();
        session_crypto::ed25519::verify(&signature, &key, &message(entry))
            .unwrap_or_else(|_| panic!("bad member signature in {entry}"));
    }
}

#[tokio::test]
async fn envelope_errors_have_the_server_texts() {
    let net = network();
    let node0 = node(&net, 0);
    assert_text(
        &handle_request(&net, node0, b"{not json").await,
        400,
        "invalid json",
    );
    assert_text(&handle_request(&net, node0, b"").await, 400, "invalid json");
    assert_text(
        &handle_request(&net, node0, b"[1]").await,
        400,
        "invalid json: no `method` field",
    );
    assert_text(
        &handle_request(&net, node0, br#"{"method": 5, "params": {}}"#).await,
        400,
        "invalid json: no `method` field",
    );
    assert_text(
        &handle_request(&net, node0, br#"{"method": "info", "params": []}"#).await,
        400,
        "invalid json: no `params` field",
    );
    assert_text(
        &rpc(&net, 0, "nope", json!({})).await,
        400,
        "no method nope",
    );
    assert_text(
        &rpc(&net, 0, "retrieve", json!({})).await,
        400,
        "invalid request: Required field 'pubkey' missing",
    );
}

#[tokio::test]
async fn info_and_get_swarm_shapes() {
    let net = network();
    let reply = rpc(&net, 0, "info", json!({})).await;
    let body = json_of(&reply);
    assert_eq!(body["version"], json!([2, 8, 0]));
    assert_eq!(body["hf"], json!([19, 4]));
    assert!(body["timestamp"].as_u64().unwrap() > 1_600_000_000_000);
    assert!(body["t"].is_u64());

    let user = user_in_swarm(&net, 0x05, 1);
    for (method, key) in [("get_swarm", "pubkey"), ("get_snodes_for_pubkey", "pubKey")] {
        let reply = rpc(&net, 1, method, json!({key: user.hex()})).await;
        assert_eq!(reply.status, 200);
        let body = json_of(&reply);
        assert_eq!(body["snodes"].as_array().unwrap().len(), 3);
        assert_eq!(
            body["swarm"],
            json!(format!("{:x}", node(&net, 0).swarm_id()))
        );
        assert!(body["t"].is_u64() && body["hf"].is_array());
    }
    assert_text(
        &rpc(&net, 0, "get_swarm", json!({"pubkey": "05ab"})).await,
        400,
        "invalid request: Pubkey must be 66 hex digits/33 bytes long",
    );
    assert_text(
        &rpc(
            &net,
            0,
            "get_swarm",
            json!({"pubkey": user.hex(), "pubKey": user.hex()}),
        )
        .await,
        400,
        "invalid request: Cannot specify both 'pubkey' and 'pubKey'",
    );
}

#[tokio::test]
async fn oxend_request_lists_service_nodes() {
    let net = network();
    let reply = rpc(
        &net,
        0,
        "oxend_request",
        json!({"endpoint": "get_service_nodes", "params": {"fields": {"pubkey_ed25519": true, "public_ip": true, "swarm_id": false}}}),
    )
    .await;
    let states = &json_of(&reply)["result"]["service_node_states"];
    assert_eq!(states.as_array().unwrap().len(), 6);
    let first = states[0].as_object().unwrap();
    assert_eq!(first.len(), 2, "{first:?}");
    assert!(first.contains_key("pubkey_ed25519") && first.contains_key("public_ip"));

    let listed = rpc(
        &net,
        0,
        "oxend_request",
        json!({"endpoint": "get_service_nodes", "params": {"fields": ["swarm"]}}),
    )
    .await;
    assert_eq!(
        json_of(&listed)["result"]["service_node_states"][0]
            .as_object()
            .unwrap()
            .len(),
        1
    );
    assert_text(
        &rpc(&net, 0, "oxend_request", json!({"endpoint": "get_block"})).await,
        400,
        "invalid request: Invalid oxend endpoint 'get_block'",
    );
    let ons = rpc(&net, 0, "oxend_request", json!({"endpoint": "ons_resolve"})).await;
    assert_eq!(ons.status, 400);
}

#[tokio::test]
async fn store_fans_out_and_every_member_signs_the_hash() {
    let net = network();
    let user = user_in_swarm(&net, 0x05, 1);
    let data = b"hello swarm";
    let request = with(
        serde_json::Map::from_iter([("pubKey".to_owned(), json!(user.hex()))]),
        json!({"timestamp": now_ms().to_string(), "ttl": "86400000", "data": encode_base64(data)}),
    );
    let reply = rpc(&net, 0, "store", request.clone()).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    let body = json_of(&reply).clone();
    let hash = message_hash(&user.account, 0, data);
    assert_eq!(body["hash"], json!(hash));
    assert!(body["t"].is_u64() && body["hf"] == json!([19, 4]));
    assert_member_signatures(&body["swarm"], |_| hash.as_bytes().to_vec());
    let own = hex::encode(node(&net, 0).ed25519());
    for (key, entry) in body["swarm"].as_object().unwrap() {
        assert_eq!(entry["hash"], json!(hash));
        assert!(entry["expiry"].is_u64());
        assert_eq!(
            entry.get("t").is_some(),
            key == &own,
            "only the entry node has t"
        );
        assert!(entry.get("already").is_none());
    }

    let again = rpc(&net, 2, "store", request).await;
    let body = json_of(&again);
    let entry_key = hex::encode(node(&net, 2).ed25519());
    for (key, entry) in body["swarm"].as_object().unwrap() {
        let expected = if key == &entry_key {
            json!(true)
        } else {
            json!(1)
        };
        assert_eq!(entry["already"], expected);
    }

    // Every member really has it.
    for index in [0, 2, 4] {
        let reply = rpc(&net, index, "retrieve", signed_retrieve(&user, 0)).await;
        let messages = json_of(&reply)["messages"].as_array().unwrap().clone();
        assert_eq!(messages.len(), 1);
        assert_eq!(messages[0]["hash"], json!(hash));
        assert_eq!(messages[0]["data"], json!(encode_base64(data)));
        assert!(messages[0]["expiration"].is_u64() && messages[0]["timestamp"].is_u64());
        assert_eq!(json_of(&reply)["more"], json!(false));
    }
}

#[tokio::test]
async fn wrong_swarm_gets_421_with_the_right_swarm() {
    let net = network();
    let user = user_in_swarm(&net, 0x05, 1);
    let reply = rpc(&net, 1, "retrieve", signed_retrieve(&user, 0)).await;
    assert_eq!(reply.status, 421);
    let body = json_of(&reply);
    assert_eq!(
        body["swarm"],
        json!(format!("{:x}", node(&net, 0).swarm_id()))
    );
    assert_eq!(body["snodes"].as_array().unwrap().len(), 3);
    assert!(body["t"].is_u64() && body["hf"].is_array());
    // The 421 comes before the clock check.
    let mut late = signed_store(&user, 1, b"x");
    late["timestamp"] = json!(1_000_000_000_000u64);
    assert_eq!(rpc(&net, 3, "store", late).await.status, 421);
}

#[tokio::test]
async fn store_checks_in_the_server_order() {
    let net = network();
    let user = user_in_swarm(&net, 0x03, 1);
    let mut bad_ttl = signed_store(&user, 1, b"a");
    bad_ttl["ttl"] = json!(5_000);
    assert_text(
        &rpc(&net, 0, "store", bad_ttl).await,
        403,
        "Provided expiry/TTL is not valid.",
    );
    let mut public_long = signed_store(&user, 0, b"a");
    public_long["ttl"] = json!(15u64 * 24 * 3600 * 1000);
    assert_text(
        &rpc(&net, 0, "store", public_long).await,
        403,
        "Provided expiry/TTL is not valid.",
    );
    let mut future = signed_store(&user, 1, b"a");
    future["timestamp"] = json!(now_ms() + 60_000);
    assert_text(
        &rpc(&net, 0, "store", future).await,
        406,
        "Timestamp error: check your clock",
    );
    let mut both = signed_store(&user, 1, b"a");
    both["expiry"] = json!(now_ms() + 60_000);
    assert_text(
        &rpc(&net, 0, "store", both).await,
        400,
        "invalid request: Cannot specify both 'expiry' and 'ttl'",
    );
    let mut neither = signed_store(&user, 1, b"a");
    neither.as_object_mut().unwrap().remove("ttl");
    assert_text(
        &rpc(&net, 0, "store", neither).await,
        400,
        "invalid request: Required field 'expiry' or 'ttl' missing",
    );
    let mut seconds = signed_store(&user, 1, b"a");
    seconds.as_object_mut().unwrap().remove("ttl");
    seconds["expiry"] = json!(999_999_999u64);
    assert_text(
        &rpc(&net, 0, "store", seconds).await,
        400,
        "invalid request: Invalid timestamp for 'expiry': timestamp must be in milliseconds",
    );
    let big = signed_store(&user, 0, &vec![7u8; 76_801]);
    assert_text(
        &rpc(&net, 0, "store", big).await,
        400,
        "invalid request: Message body exceeds maximum allowed length of 76800 bytes",
    );
    let max = signed_store(&user, 0, &vec![7u8; 76_800]);
    assert_eq!(rpc(&net, 0, "store", max).await.status, 200);
    let mut not_b64 = signed_store(&user, 0, b"a");
    not_b64["data"] = json!("a$b=");
    assert_text(
        &rpc(&net, 0, "store", not_b64).await,
        400,
        "invalid request: Invalid 'data' value: not base64 encoded",
    );
    let mut short_sig = signed_store(&user, 1, b"a");
    short_sig["signature"] = json!("abcd");
    assert_text(
        &rpc(&net, 0, "store", short_sig).await,
        400,
        "invalid request: invalid signature: expected base64 encoded Ed25519 signature",
    );
    let mut string_ns = signed_store(&user, 1, b"a");
    string_ns["namespace"] = json!("1");
    assert_text(
        &rpc(&net, 0, "store", string_ns).await,
        400,
        "invalid request: Invalid value given for 'namespace': expected 16-bit integer",
    );
    let mut out_of_range = signed_store(&user, 1, b"a");
    out_of_range["namespace"] = json!(40_000);
    assert_text(
        &rpc(&net, 0, "store", out_of_range).await,
        400,
        "invalid request: Invalid value given for 'namespace': value out of range",
    );
    let mut ed_on_03 = signed_store(&user, 1, b"a");
    ed_on_03["pubkey_ed25519"] = json!(hex::encode(user.keys.ed25519_public()));
    assert_text(
        &rpc(&net, 0, "store", ed_on_03).await,
        400,
        "invalid request: pubkey_ed25519 is only permitted for 05[...] pubkeys",
    );
    let mut bad_ts = signed_store(&user, 1, b"a");
    bad_ts["timestamp"] = json!("12x");
    assert_text(
        &rpc(&net, 0, "store", bad_ts).await,
        400,
        "invalid request: Invalid value given for 'timestamp': \"12x\"",
    );
    // A public inbox never verifies a signature it is given.
    let mut junk_sig = signed_store(&user, 10, b"a");
    junk_sig["signature"] = json!(encode_base64(&[0u8; 64]));
    assert_eq!(rpc(&net, 0, "store", junk_sig).await.status, 200);
}

#[tokio::test]
async fn public_outbox_keeps_one_message_and_is_readable_by_anyone() {
    let net = network();
    let user = user_in_swarm(&net, 0x03, 1);
    for data in [b"first".as_slice(), b"second"] {
        assert_eq!(
            rpc(&net, 0, "store", signed_store(&user, -21, data))
                .await
                .status,
            200
        );
    }
    let reply = rpc(
        &net,
        4,
        "retrieve",
        json!({"pubkey": user.hex(), "namespace": -21}),
    )
    .await;
    let messages = json_of(&reply)["messages"].as_array().unwrap().clone();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["data"], json!(encode_base64(b"second")));
    // The legacy closed-group namespace takes unauthenticated stores and reads.
    let legacy = json!({"pubkey": user.hex(), "namespace": -10, "timestamp": now_ms(), "ttl": 60_000, "data": encode_base64(b"old")});
    assert_eq!(rpc(&net, 0, "store", legacy).await.status, 200);
    let reply = rpc(
        &net,
        2,
        "retrieve",
        json!({"pubkey": user.hex(), "namespace": -10}),
    )
    .await;
    assert_eq!(json_of(&reply)["messages"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn retrieve_pages_by_count_and_size() {
    let net = network();
    let user = user_in_swarm(&net, 0x03, 1);
    let mut hashes = Vec::new();
    for index in 0..5u8 {
        let data = vec![index; 3000];
        hashes.push(message_hash(&user.account, 5, &data));
        assert_eq!(
            rpc(&net, 0, "store", signed_store(&user, 5, &data))
                .await
                .status,
            200
        );
    }
    let page = |extra: Value| {
        let mut request = signed_retrieve(&user, 5);
        request
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        request
    };
    let hashes_of = |reply: &RpcReply| -> Vec<String> {
        json_of(reply)["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["hash"].as_str().unwrap().to_owned())
            .collect()
    };
    let two = rpc(&net, 0, "retrieve", page(json!({"max_count": 2}))).await;
    assert_eq!(hashes_of(&two), hashes[..2]);
    assert_eq!(json_of(&two)["more"], json!(true));
    let rest = rpc(&net, 0, "retrieve", page(json!({"last_hash": hashes[1]}))).await;
    assert_eq!(hashes_of(&rest), hashes[2..]);
    assert_eq!(json_of(&rest)["more"], json!(false));
    // Each message counts 100 + 43 + 4000 = 4143: 9000 bytes fit two.
    let sized = rpc(&net, 0, "retrieve", page(json!({"max_size": 9000}))).await;
    assert_eq!(hashes_of(&sized).len(), 2);
    assert_eq!(json_of(&sized)["more"], json!(true));
    // At least one message always comes back.
    let tiny = rpc(&net, 0, "retrieve", page(json!({"max_size": 1}))).await;
    assert_eq!(hashes_of(&tiny).len(), 1);
    // An unknown last hash starts again from the beginning.
    let unknown = rpc(
        &net,
        0,
        "retrieve",
        page(json!({"lastHash": "A".repeat(43)})),
    )
    .await;
    assert_eq!(hashes_of(&unknown).len(), 5);
    // −1 becomes SQL LIMIT 0 on the server: nothing at all.
    let none = rpc(&net, 0, "retrieve", page(json!({"max_count": -1}))).await;
    assert!(hashes_of(&none).is_empty());
    assert_text(
        &rpc(&net, 0, "retrieve", page(json!({"last_hash": "abc"}))).await,
        400,
        "invalid request: Invalid last_hash: expected base64 (43 chars)",
    );
    assert_text(
        &rpc(
            &net,
            0,
            "retrieve",
            page(json!({"last_hash": "!".repeat(43)})),
        )
        .await,
        400,
        "invalid request: Invalid last_hash: not base64",
    );
    assert_text(
        &rpc(&net, 0, "retrieve", page(json!({"max_count": 1.5}))).await,
        400,
        "invalid request: Invalid value given for 'max_count': expected integer",
    );
}

#[tokio::test]
async fn deletes_are_signed_by_every_member() {
    let net = network();
    let user = user_in_swarm(&net, 0x05, 1);
    let mut stored = Vec::new();
    for (ns, data) in [(1i16, b"a".as_slice()), (1, b"b"), (2, b"c"), (3, b"d")] {
        stored.push(message_hash(&user.account, ns, data));
        assert_eq!(
            rpc(&net, 0, "store", signed_store(&user, ns, data))
                .await
                .status,
            200
        );
    }

    // delete by hash
    let wanted = vec![stored[0].clone(), "B".repeat(43)];
    let signature = user.sign(format!("delete{}", wanted.concat()).as_bytes());
    let reply = rpc(
        &net,
        2,
        "delete",
        with(
            user.auth(),
            json!({"messages": wanted, "signature": signature}),
        ),
    )
    .await;
    assert_eq!(reply.status, 200);
    let body = json_of(&reply).clone();
    assert!(body["t"].is_u64());
    for entry in body["swarm"].as_object().unwrap().values() {
        assert_eq!(entry["deleted"], json!([stored[0]]));
    }
    assert_member_signatures(&body["swarm"], |entry| {
        let mut message = user.hex();
        message.push_str(&wanted.concat());
        for hash in entry["deleted"].as_array().unwrap() {
            message.push_str(hash.as_str().unwrap());
        }
        message.into_bytes()
    });
    // required and nothing left to delete: 404 with the swarm JSON
    let reply = rpc(
        &net,
        2,
        "delete",
        with(
            user.auth(),
            json!({"messages": wanted, "signature": signature, "required": true}),
        ),
    )
    .await;
    assert_eq!(reply.status, 404);
    assert!(json_of(&reply)["swarm"].is_object());

    // delete_before namespace 1
    let before = now_ms() + 1000;
    let signature = user.sign(format!("delete_before1{before}").as_bytes());
    let reply = rpc(
        &net,
        0,
        "delete_before",
        with(
            user.auth(),
            json!({"before": before, "namespace": 1, "signature": signature}),
        ),
    )
    .await;
    let body = json_of(&reply).clone();
    for entry in body["swarm"].as_object().unwrap().values() {
        assert_eq!(entry["deleted"], json!([stored[1]]));
    }
    assert_member_signatures(&body["swarm"], |_| {
        format!("{}{before}{}", user.hex(), stored[1]).into_bytes()
    });
    let far = now_ms() + 120_000;
    let signature = user.sign(format!("delete_before{far}").as_bytes());
    assert_text(
        &rpc(
            &net,
            0,
            "delete_before",
            with(user.auth(), json!({"before": far, "signature": signature})),
        )
        .await,
        401,
        "delete_before timestamp too far in the future",
    );

    // delete_all "all": a dict by namespace, signed over every hash in hash order
    let ts = now_ms();
    let signature = user.sign(format!("delete_allall{ts}").as_bytes());
    let reply = rpc(
        &net,
        4,
        "delete_all",
        with(
            user.auth(),
            json!({"namespace": "all", "timestamp": ts, "signature": signature}),
        ),
    )
    .await;
    assert_eq!(reply.status, 200);
    let body = json_of(&reply).clone();
    let mut remaining = [stored[2].clone(), stored[3].clone()];
    remaining.sort();
    for entry in body["swarm"].as_object().unwrap().values() {
        assert_eq!(
            entry["deleted"],
            json!({"2": [stored[2]], "3": [stored[3]]})
        );
    }
    assert_member_signatures(&body["swarm"], |_| {
        format!("{}{ts}{}", user.hex(), remaining.concat()).into_bytes()
    });
}

#[tokio::test]
async fn expiries_move_and_are_reported() {
    let net = network();
    let user = user_in_swarm(&net, 0x03, 1);
    let hashes: Vec<String> = [b"one".as_slice(), b"two"]
        .iter()
        .map(|data| message_hash(&user.account, 1, data))
        .collect();
    for data in [b"one".as_slice(), b"two"] {
        assert_eq!(
            rpc(&net, 0, "store", signed_store(&user, 1, data))
                .await
                .status,
            200
        );
    }
    // extend one message by a lot: capped at now + 30 days, and the other one is unchanged
    let expiry = now_ms() + 40 * 24 * 3600 * 1000;
    let signature = user.sign(format!("expireextend{expiry}{}", hashes.concat()).as_bytes());
    let reply = rpc(
        &net,
        0,
        "expire",
        with(
            user.auth(),
            json!({"messages": hashes, "expiry": expiry, "extend": true, "signature": signature}),
        ),
    )
    .await;
    assert_eq!(reply.status, 200, "{reply:?}");
    let body = json_of(&reply).clone();
    for entry in body["swarm"].as_object().unwrap().values() {
        let applied = entry["expiry"].as_u64().unwrap();
        assert!(applied < expiry && applied > now_ms() + 29 * 24 * 3600 * 1000);
        let mut sorted = hashes.clone();
        sorted.sort();
        assert_eq!(entry["updated"], json!(sorted));
        assert_eq!(entry["unchanged"], json!({}));
    }
    assert_member_signatures(&body["swarm"], |entry| {
        let mut message = format!("{}{}", user.hex(), entry["expiry"]);
        message.push_str(&hashes.concat());
        for hash in entry["updated"].as_array().unwrap() {
            message.push_str(hash.as_str().unwrap());
        }
        message.into_bytes()
    });
    let past = now_ms() - 120_000;
    let signature = user.sign(format!("expire{past}{}", hashes[0]).as_bytes());
    assert_text(
        &rpc(
            &net,
            0,
            "expire",
            with(
                user.auth(),
                json!({"messages": hashes[0], "expiry": past, "signature": signature}),
            ),
        )
        .await,
        401,
        "expire: timestamp should be >= current time",
    );

    // expire_all shortens
    let soon = now_ms() + 30_000;
    let signature = user.sign(format!("expire_all1{soon}").as_bytes());
    let reply = rpc(
        &net,
        2,
        "expire_all",
        with(
            user.auth(),
            json!({"namespace": 1, "expiry": soon, "signature": signature}),
        ),
    )
    .await;
    let body = json_of(&reply).clone();
    let mut sorted = hashes.clone();
    sorted.sort();
    for entry in body["swarm"].as_object().unwrap().values() {
        assert_eq!(entry["updated"], json!(sorted));
    }
    assert_member_signatures(&body["swarm"], |_| {
        format!("{}{soon}{}", user.hex(), sorted.concat()).into_bytes()
    });

    // get_expiries: only the existing hashes, no t/hf
    let ts = now_ms();
    let asked = vec![hashes[0].clone(), "C".repeat(43)];
    let signature = user.sign(format!("get_expiries{ts}{}", asked.concat()).as_bytes());
    let reply = rpc(
        &net,
        0,
        "get_expiries",
        with(
            user.auth(),
            json!({"messages": asked, "timestamp": ts, "signature": signature}),
        ),
    )
    .await;
    let body = json_of(&reply);
    assert_eq!(body, &json!({"expiries": {hashes[0].clone(): soon}}));
}

#[tokio::test]
async fn batch_and_sequence() {
    let net = network();
    let user = user_in_swarm(&net, 0x03, 1);
    let unsigned = json!({"pubkey": user.hex(), "namespace": 33, "timestamp": now_ms(), "ttl": 60_000, "data": encode_base64(b"x")});
    let good = json!({"method": "info", "params": {}});
    let requests = json!([{"method": "store", "params": unsigned}, good]);
    let batch = rpc(&net, 0, "batch", json!({"requests": requests})).await;
    let results = json_of(&batch)["results"].as_array().unwrap().clone();
    assert_eq!(results.len(), 2);
    assert_eq!(
        results[0],
        json!({"code": 401, "body": "store: signature required to store to namespace 33"})
    );
    assert_eq!(results[1]["code"], json!(200));
    let sequence = rpc(&net, 0, "sequence", json!({"requests": requests})).await;
    assert_eq!(json_of(&sequence)["results"].as_array().unwrap().len(), 1);

    assert_text(
        &rpc(
            &net,
            0,
            "batch",
            json!({"requests": vec![good.clone(); 21]}),
        )
        .await,
        400,
        "invalid request: Invalid batch request: subrequest limit exceeded",
    );
    assert_text(
        &rpc(&net, 0, "batch", json!({"requests": []})).await,
        400,
        "invalid request: Invalid batch request: no valid \"requests\" field",
    );
    assert_text(
        &rpc(
            &net,
            0,
            "batch",
            json!({"requests": [{"method": "batch", "params": {"requests": [good]}}]}),
        )
        .await,
        400,
        "invalid request: Invalid batch subrequest: subrequests may not contain meta-requests",
    );
    assert_text(
        &rpc(
            &net,
            0,
            "sequence",
            json!({"requests": [{"method": "what", "params": {}}]}),
        )
        .await,
        400,
        "invalid request: Invalid batch subrequest: invalid method \"what\"",
    );
    assert_text(
        &rpc(&net, 0, "batch", json!({"requests": [{"method": "info"}]})).await,
        400,
        "invalid request: Invalid batch request: subrequests must have method/params keys",
    );
}

#[tokio::test]
async fn stopped_peer_times_out() {
    let config = NetworkConfig {
        peer_timeout: Duration::from_millis(100),
        ..NetworkConfig::default()
    };
    let net = network_with(config);
    let user = user_in_swarm(&net, 0x03, 1);
    node(&net, 2).set_running(false);
    let reply = rpc(&net, 0, "store", signed_store(&user, 1, b"z")).await;
    assert_eq!(reply.status, 200);
    let body = json_of(&reply);
    let stopped = hex::encode(node(&net, 2).ed25519());
    assert_eq!(
        body["swarm"][&stopped],
        json!({"failed": true, "timeout": true})
    );
    assert!(body["swarm"][hex::encode(node(&net, 4).ed25519())]["signature"].is_string());
}

#[tokio::test]
async fn subaccount_flags_and_revocation() {
    let net = network();
    let owner = user_in_swarm(&net, 0x03, 1);
    let token_for = |flags: u8, seed: u8, prefix: u8| {
        let sub = user_with_prefix(seed, 0x03);
        let mut token = vec![prefix, flags, 0, 0];
        token.extend_from_slice(sub.keys.ed25519_public());
        let token_sig = owner.sign(&token);
        (sub, token, token_sig)
    };
    let (sub, token, token_sig) = token_for(0x01, 200, 0x03);
    let sub_retrieve = |namespace: i16| {
        let ts = now_ms();
        json!({
            "pubkey": owner.hex(), "namespace": namespace, "timestamp": ts,
            "subaccount": encode_base64(&token), "subaccount_sig": token_sig,
            "signature": sub.sign(format!("retrieve{namespace}{ts}").as_bytes()),
        })
    };
    assert_eq!(rpc(&net, 0, "retrieve", sub_retrieve(42)).await.status, 200);
    // revoke (owner only), then the token fails except in −(100n+11)
    let ts = now_ms();
    let mut signed = format!("revoke_subaccount{ts}").into_bytes();
    signed.extend_from_slice(&token);
    let reply = rpc(&net, 0, "revoke_subaccount", json!({"pubkey": owner.hex(), "revoke": hex::encode(&token), "timestamp": ts, "signature": owner.sign(&signed)})).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    let body = json_of(&reply).clone();
    assert_member_signatures(&body["swarm"], |_| {
        let mut message = format!("{}{ts}", owner.hex()).into_bytes();
        message.extend_from_slice(&token);
        message
    });
    assert!(
        body["swarm"]
            .as_object()
            .unwrap()
            .values()
            .all(|entry| entry.get("count").is_none())
    );
    assert_text(
        &rpc(&net, 2, "retrieve", sub_retrieve(42)).await,
        401,
        "retrieve signature verification failed",
    );
    assert_eq!(
        rpc(&net, 2, "retrieve", sub_retrieve(-111)).await.status,
        200
    );
    let ts = now_ms();
    let mut signed = format!("unrevoke_subaccount{ts}").into_bytes();
    signed.extend_from_slice(&token);
    let reply = rpc(&net, 4, "unrevoke_subaccount", json!({"pubkey": owner.hex(), "unrevoke": [encode_base64(&token)], "timestamp": ts, "signature": owner.sign(&signed)})).await;
    assert_eq!(reply.status, 200);
    assert!(
        json_of(&reply)["swarm"]
            .as_object()
            .unwrap()
            .values()
            .all(|entry| entry["count"] == json!(1))
    );
    assert_eq!(rpc(&net, 0, "retrieve", sub_retrieve(42)).await.status, 200);

    // a write-only token may not shorten, and a plain expire becomes extend-only
    let (writer, token, token_sig) = token_for(0x03, 201, 0x03);
    let stored = rpc(&net, 0, "store", signed_store(&owner, 1, b"m")).await;
    let hash = json_of(&stored)["hash"].as_str().unwrap().to_owned();
    let expiry = now_ms() + 30_000;
    let expire = |mode: &str| {
        let mut request = json!({
            "pubkey": owner.hex(), "messages": [hash], "expiry": expiry,
            "subaccount": hex::encode(&token), "subaccount_sig": token_sig,
            "signature": writer.sign(format!("expire{mode}{expiry}{hash}").as_bytes()),
        });
        if !mode.is_empty() {
            request[mode] = json!(true);
        }
        request
    };
    assert_text(
        &rpc(&net, 0, "expire", expire("shorten")).await,
        400,
        "expire: shorten parameter cannot be used with this subaccount token (missing delete access)",
    );
    let plain = rpc(&net, 0, "expire", expire("")).await;
    assert_eq!(plain.status, 200);
    for entry in json_of(&plain)["swarm"].as_object().unwrap().values() {
        assert_eq!(
            entry["updated"],
            json!([]),
            "extend-only cannot shorten: {entry}"
        );
    }
}

#[tokio::test]
async fn rpc_error_response_vectors() {
    let file = VectorFile::load("storage-server/rpc_error_responses.json");
    let net = network();
    let session = user_in_swarm(&net, 0x05, 1);
    let group = user_in_swarm(&net, 0x03, 1);
    let mut ran = 0;
    for case in file.cases() {
        let endpoint = case["endpoint"].as_str().unwrap();
        let condition = case["condition"].as_str().unwrap();
        let ts = now_ms();
        let reply = match (endpoint, condition) {
            ("storage.retrieve", c) if c.starts_with("namespace 0, no") => {
                rpc(&net, 0, "retrieve", json!({"pubkey": session.hex()})).await
            }
            ("storage.retrieve", c) if c.starts_with("bad signature") => {
                // 03 id signed by some other key
                let other = user_with_prefix(250, 0x03);
                let request = json!({"pubkey": group.hex(), "timestamp": ts, "signature": other.sign(format!("retrieve{ts}").as_bytes())});
                rpc(&net, 0, "retrieve", request).await
            }
            ("storage.retrieve", c) if c.starts_with("timestamp given") => {
                rpc(&net, 0, "retrieve", json!({"pubkey": session.hex(), "timestamp": ts})).await
            }
            ("storage.retrieve", c) if c.starts_with("namespace 40") => {
                rpc(&net, 0, "retrieve", json!({"pubkey": session.hex(), "namespace": 40, "timestamp": ts})).await
            }
            ("storage.store", c) if c.starts_with("sig_timestamp") => {
                let mut request = signed_store(&group, 1, b"v");
                let old = ts - 120_000;
                request["sig_timestamp"] = json!(old);
                request["signature"] = json!(group.sign(format!("store1{old}").as_bytes()));
                rpc(&net, 0, "store", request).await
            }
            ("storage.store", "namespace 42 without signature") => {
                rpc(&net, 0, "store", json!({"pubkey": group.hex(), "namespace": 42, "timestamp": ts, "ttl": 60_000, "data": "AAAA"})).await
            }
            ("storage.store", c) if c.starts_with("namespace 42 signed") => {
                let other = user_with_prefix(250, 0x03);
                let mut request = signed_store(&group, 42, b"v");
                request["signature"] = json!(other.sign(format!("store42{}", request["timestamp"]).as_bytes()));
                rpc(&net, 0, "store", request).await
            }
            ("storage.store", c) if c.starts_with("public-outbox") => {
                rpc(&net, 0, "store", json!({"pubkey": group.hex(), "namespace": -1, "timestamp": ts, "ttl": 60_000, "data": "AAAA"})).await
            }
            ("storage.sequence / storage.batch", _) => {
                let unsigned = json!({"pubkey": group.hex(), "namespace": 33, "timestamp": ts, "ttl": 60_000, "data": "AAAA"});
                let requests = json!([{"method": "store", "params": unsigned}, {"method": "info", "params": {}}]);
                let sequence = rpc(&net, 0, "sequence", json!({"requests": requests})).await;
                let batch = rpc(&net, 0, "batch", json!({"requests": requests})).await;
                let expected = &case["subresult"];
                assert_eq!(json_of(&sequence)["results"], json!([expected]));
                assert_eq!(json_of(&batch)["results"][0], *expected);
                assert_eq!(json_of(&batch)["results"][1]["code"], json!(200));
                ran += 1;
                continue;
            }
            ("storage.delete_all", c) if c.starts_with("timestamp 120s") => {
                let old = ts - 120_000;
                let request = with(session.auth(), json!({"timestamp": old, "signature": session.sign(format!("delete_all{old}").as_bytes())}));
                rpc(&net, 0, "delete_all", request).await
            }
            ("storage.delete_all", c) if c.starts_with("05 session id") => {
                let request = json!({"pubkey": session.hex(), "timestamp": ts, "signature": session.sign(format!("delete_all{ts}").as_bytes())});
                rpc(&net, 0, "delete_all", request).await
            }
            ("storage.delete", c) if c.starts_with("\"required\"") => {
                let hash = "D".repeat(43);
                let request = with(session.auth(), json!({"messages": [hash], "required": true, "signature": session.sign(format!("delete{hash}").as_bytes())}));
                let reply = rpc(&net, 0, "delete", request).await;
                assert_eq!(reply.status.to_string(), case["reply_code"].as_str().unwrap());
                assert!(json_of(&reply)["swarm"].is_object());
                ran += 1;
                continue;
            }
            ("storage.expire_all", _) => {
                let old = ts - 120_000;
                let request = with(session.auth(), json!({"expiry": old, "signature": session.sign(format!("expire_all{old}").as_bytes())}));
                rpc(&net, 0, "expire_all", request).await
            }
            ("storage.delete", c) if c.starts_with("subaccount without") => {
                let sub = user_with_prefix(240, 0x03);
                let mut token = vec![0x03, 0x03, 0, 0];
                token.extend_from_slice(sub.keys.ed25519_public());
                let hash = "E".repeat(43);
                let request = json!({"pubkey": group.hex(), "messages": [hash], "subaccount": encode_base64(&token), "subaccount_sig": group.sign(&token), "signature": sub.sign(format!("delete{hash}").as_bytes())});
                rpc(&net, 0, "delete", request).await
            }
            other => panic!("unmapped vector case {other:?}"),
        };
        let expected = case["reply"].as_array().unwrap();
        assert_eq!(
            (reply.status.to_string().as_str(), text_of(&reply)),
            (expected[0].as_str().unwrap(), expected[1].as_str().unwrap()),
            "{condition}"
        );
        ran += 1;
    }
    assert_eq!(ran, file.cases().len());
    file.report("rpc error replies", ran);
}

#[tokio::test]
async fn subaccount_permission_vectors() {
    let file = VectorFile::load("storage-server/subaccount_permissions.json");
    let net = network();
    let owner = user_in_swarm(&net, 0x03, 1);
    // The "99" account shares the owner's key but lives wherever its bytes map: same key, so
    // the same swarm.
    let mut other_prefix = *owner.account.as_bytes();
    other_prefix[0] = 0x99;
    let other_prefix = AccountId::from_bytes(other_prefix);
    let flags_of = |name: &str| match name {
        "read only" => 0x01u8,
        "no permissions" => 0x00,
        "read+write+delete" => 0x07,
        "read+write+any-prefix" => 0x0b,
        other => panic!("unknown flags {other}"),
    };
    let mut ran = 0;
    for case in file.cases_of_kind("token_prefix_hex") {
        let flags = flags_of(case["flags"].as_str().unwrap());
        assert_eq!(
            hex::encode([0x03, flags, 0, 0]),
            case["first_4_bytes_hex"].as_str().unwrap()
        );
        ran += 1;
    }
    let stored = rpc(&net, 0, "store", signed_store(&owner, 42, b"target")).await;
    assert_eq!(stored.status, 200);
    for case in file.cases_of_kind("access") {
        let request = case["request"].as_str().unwrap();
        let mut outcomes: Vec<(String, Option<(String, String)>)> = case["succeeds_for"]
            .as_array()
            .unwrap()
            .iter()
            .map(|name| (name.as_str().unwrap().to_owned(), None))
            .collect();
        for (name, reply) in case["fails_for"].as_object().unwrap() {
            let reply = reply.as_array().unwrap();
            outcomes.push((
                name.clone(),
                Some((
                    reply[0].as_str().unwrap().to_owned(),
                    reply[1].as_str().unwrap().to_owned(),
                )),
            ));
        }
        for (seed, (name, expected)) in outcomes.into_iter().enumerate() {
            let sub = user_with_prefix(100 + seed as u8, 0x03);
            let mut token = vec![0x03, flags_of(&name), 0, 0];
            token.extend_from_slice(sub.keys.ed25519_public());
            let ts = now_ms();
            let auth =
                json!({"subaccount": encode_base64(&token), "subaccount_sig": owner.sign(&token)});
            let mut base = auth.as_object().unwrap().clone();
            let (method, params) = if request.starts_with("retrieve namespace 42 of 03") {
                base.insert("pubkey".into(), json!(owner.hex()));
                (
                    "retrieve",
                    with(
                        base,
                        json!({"namespace": 42, "timestamp": ts, "signature": sub.sign(format!("retrieve42{ts}").as_bytes())}),
                    ),
                )
            } else if request.starts_with("store") {
                base.insert("pubkey".into(), json!(owner.hex()));
                let data = format!("from {name}");
                (
                    "store",
                    with(
                        base,
                        json!({"namespace": 42, "timestamp": ts, "ttl": 60_000, "data": encode_base64(data.as_bytes()), "signature": sub.sign(format!("store42{ts}").as_bytes())}),
                    ),
                )
            } else if request.starts_with("delete") {
                base.insert("pubkey".into(), json!(owner.hex()));
                let hash = message_hash(&owner.account, 42, b"target");
                (
                    "delete",
                    with(
                        base,
                        json!({"messages": [hash], "signature": sub.sign(format!("delete{hash}").as_bytes())}),
                    ),
                )
            } else {
                base.insert("pubkey".into(), json!(other_prefix.to_hex()));
                (
                    "retrieve",
                    with(
                        base,
                        json!({"namespace": 42, "timestamp": ts, "signature": sub.sign(format!("retrieve42{ts}").as_bytes())}),
                    ),
                )
            };
            let reply = rpc(&net, 0, method, params).await;
            match expected {
                None => assert_eq!(reply.status, 200, "{request} / {name}: {reply:?}"),
                Some((code, body)) => assert_eq!(
                    (reply.status.to_string(), text_of(&reply).to_owned()),
                    (code, body),
                    "{request} / {name}"
                ),
            }
        }
        ran += 1;
    }
    for case in file.cases_of_kind("hash_with_namespace") {
        let data = b"namespaced";
        let mut manual = vec![0x03];
        manual.extend_from_slice(owner.keys.ed25519_public());
        manual.extend_from_slice(b"42");
        manual.extend_from_slice(data);
        let digest = session_crypto::blake2b::hash::<32>(&[&manual]);
        assert_eq!(
            message_hash(&owner.account, 42, data),
            super::encoding::encode_base64_unpadded(&digest),
            "{}",
            case["formula"]
        );
        ran += 1;
    }
    file.report("subaccount permissions", ran);
}

#[tokio::test]
async fn message_hash_vector() {
    let file = VectorFile::load("storage-server/message_hash.json");
    let mut ran = 0;
    for case in file.cases() {
        let account = AccountId::from_hex(case["pubkey_hex"].as_str().unwrap()).unwrap();
        let data = decode_base64(case["data_base64"].as_str().unwrap());
        let namespace = case["namespace"].as_i64().unwrap() as i16;
        assert_eq!(
            message_hash(&account, namespace, &data),
            case["expected_hash"].as_str().unwrap()
        );
        ran += 1;
    }
    file.report("message hash", ran);
}

#[tokio::test]
async fn malformed_params_never_panic() {
    let net = network();
    let user = user_in_swarm(&net, 0x05, 1);
    let garbage = [
        json!(null),
        json!(true),
        json!(-1),
        json!(1.5),
        json!(18_446_744_073_709_551_615u64),
        json!(1e300),
        json!("∞"),
        json!([]),
        json!([1, "a", null]),
        json!({"x": {"y": [1]}}),
        json!("A".repeat(200)),
    ];
    let fields = [
        "pubkey",
        "pubKey",
        "namespace",
        "timestamp",
        "ttl",
        "expiry",
        "data",
        "signature",
        "sig_timestamp",
        "pubkey_ed25519",
        "subaccount",
        "subaccount_sig",
        "messages",
        "required",
        "last_hash",
        "lastHash",
        "max_count",
        "max_size",
        "before",
        "shorten",
        "extend",
        "revoke",
        "unrevoke",
        "endpoint",
        "params",
        "requests",
    ];
    let methods = [
        "store",
        "retrieve",
        "delete",
        "delete_all",
        "delete_before",
        "expire",
        "expire_all",
        "get_expiries",
        "get_swarm",
        "info",
        "oxend_request",
        "batch",
        "sequence",
        "revoke_subaccount",
        "unrevoke_subaccount",
    ];
    for method in methods {
        for field in fields {
            for value in &garbage {
                let mut params = signed_store(&user, 1, b"g");
                params[field] = value.clone();
                let reply = rpc(&net, 0, method, params).await;
                assert!(
                    [200, 400, 401, 403, 404, 406].contains(&reply.status),
                    "{method} {field}={value}: {reply:?}"
                );
                if reply.status == 400 {
                    let text = text_of(&reply);
                    assert!(
                        text.starts_with("invalid request: ") || text.starts_with("Invalid"),
                        "{text}"
                    );
                }
            }
        }
    }
    // Wrapping values behave as on the server: u64::MAX as a namespace is −1.
    let mut wrapped = signed_store(&user, -1, b"w");
    wrapped["namespace"] = json!(u64::MAX);
    assert_eq!(rpc(&net, 0, "store", wrapped).await.status, 200);
}

/// A store that can be told to fail every write, as a full database does.
#[derive(Debug, Default)]
struct FailingStorage {
    inner: MemoryStorage,
    failing: std::sync::atomic::AtomicBool,
}

impl FailingStorage {
    fn check(&self) -> Result<(), crate::storage::StorageError> {
        if self.failing.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(crate::storage::StorageError("database is full".into()));
        }
        Ok(())
    }
}

impl crate::storage::Storage for FailingStorage {
    fn store(
        &self,
        message: crate::storage::StoredMessage,
    ) -> Result<crate::storage::StoreOutcome, crate::storage::StorageError> {
        self.check()?;
        self.inner.store(message)
    }
    fn retrieve(
        &self,
        account: &AccountId,
        namespace: i16,
        last_hash: Option<&str>,
        limit: Option<usize>,
    ) -> Result<Vec<crate::storage::StoredMessage>, crate::storage::StorageError> {
        self.check()?;
        self.inner.retrieve(account, namespace, last_hash, limit)
    }
    fn delete_hashes(
        &self,
        account: &AccountId,
        hashes: &[String],
    ) -> Result<Vec<String>, crate::storage::StorageError> {
        self.check()?;
        self.inner.delete_hashes(account, hashes)
    }
    fn delete_all(
        &self,
        account: &AccountId,
        namespaces: crate::storage::Namespaces,
    ) -> Result<Vec<(i16, String)>, crate::storage::StorageError> {
        self.check()?;
        self.inner.delete_all(account, namespaces)
    }
    fn delete_before(
        &self,
        account: &AccountId,
        namespaces: crate::storage::Namespaces,
        before_ms: u64,
    ) -> Result<Vec<(i16, String)>, crate::storage::StorageError> {
        self.check()?;
        self.inner.delete_before(account, namespaces, before_ms)
    }
    fn delete_others(
        &self,
        account: &AccountId,
        namespace: i16,
        keep_hash: &str,
    ) -> Result<(), crate::storage::StorageError> {
        self.check()?;
        self.inner.delete_others(account, namespace, keep_hash)
    }
    fn shorten_all(
        &self,
        account: &AccountId,
        namespaces: crate::storage::Namespaces,
        expiry_ms: u64,
    ) -> Result<Vec<(i16, String)>, crate::storage::StorageError> {
        self.check()?;
        self.inner.shorten_all(account, namespaces, expiry_ms)
    }
    fn update_expiries(
        &self,
        account: &AccountId,
        targets: &[(String, u64)],
        mode: crate::storage::ExpireMode,
    ) -> Result<crate::storage::ExpiryUpdate, crate::storage::StorageError> {
        self.check()?;
        self.inner.update_expiries(account, targets, mode)
    }
    fn expiries(
        &self,
        account: &AccountId,
        hashes: &[String],
    ) -> Result<Vec<(String, u64)>, crate::storage::StorageError> {
        self.check()?;
        self.inner.expiries(account, hashes)
    }
    fn sweep_expired(&self, now_ms: u64) -> Result<usize, crate::storage::StorageError> {
        self.inner.sweep_expired(now_ms)
    }
    fn revoke(
        &self,
        account: &AccountId,
        tokens: &[[u8; 36]],
    ) -> Result<(), crate::storage::StorageError> {
        self.check()?;
        self.inner.revoke(account, tokens)
    }
    fn unrevoke(
        &self,
        account: &AccountId,
        tokens: &[[u8; 36]],
    ) -> Result<usize, crate::storage::StorageError> {
        self.check()?;
        self.inner.unrevoke(account, tokens)
    }
    fn is_revoked(
        &self,
        account: &AccountId,
        token: &[u8; 36],
    ) -> Result<bool, crate::storage::StorageError> {
        self.inner.is_revoked(account, token)
    }
    fn revoked(&self, account: &AccountId) -> Result<Vec<[u8; 36]>, crate::storage::StorageError> {
        self.inner.revoked(account)
    }
    fn message_count(&self) -> Result<usize, crate::storage::StorageError> {
        self.inner.message_count()
    }
}

#[tokio::test]
async fn storage_failures_are_query_failures_and_all_failed_is_500() {
    let swarm_ids = spread_swarm_ids(2, 0x1234_5678_9abc);
    let storages: Vec<Arc<FailingStorage>> = (0..6)
        .map(|_| Arc::new(FailingStorage::default()))
        .collect();
    let nodes = (0..6)
        .map(|index| {
            let keypair =
                Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([index as u8 + 1; 32]));
            let node = Node::new(
                index,
                keypair,
                swarm_ids[index % 2],
                21_000 + index as u16,
                storages[index].clone(),
                [0; 32],
            );
            node.set_running(true);
            Arc::new(node)
        })
        .collect();
    let net = Network::new(nodes, NetworkConfig::default());
    let user = user_in_swarm(&net, 0x03, 1);
    storages[2]
        .failing
        .store(true, std::sync::atomic::Ordering::Relaxed);
    let reply = rpc(&net, 0, "store", signed_store(&user, 1, b"q")).await;
    assert_eq!(reply.status, 200);
    let failed = hex::encode(node(&net, 2).ed25519());
    assert_eq!(
        json_of(&reply)["swarm"][&failed],
        json!({"failed": true, "query_failure": true})
    );

    for storage in &storages {
        storage
            .failing
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }
    let reply = rpc(&net, 0, "store", signed_store(&user, 1, b"r")).await;
    assert_eq!(reply.status, 500);
    let body = json_of(&reply);
    assert!(body.get("hash").is_none());
    assert!(
        body["swarm"]
            .as_object()
            .unwrap()
            .values()
            .all(|entry| entry["failed"] == json!(true))
    );
    let reply = rpc(&net, 0, "retrieve", signed_retrieve(&user, 1)).await;
    assert_eq!(reply.status, 500);
    assert!(text_of(&reply).starts_with("Internal Server Error. Could not retrieve messages for "));
}
