//! The response parsers on hostile input: garbage bytes, wrong types, truncated and
//! mutated bodies. None may panic; every failure is a typed error or outcome.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};
use session_crypto::Ed25519Seed;
use session_identity::Keypair;
use session_swarm::rpc::{
    Account, Auth, Batch, Bulk, Call, Delete, Expire, ExpireMode, GetExpiries, GetServiceNodes,
    GetSwarm, Info, Lifetime, MemberOutcome, Meta, NamespaceScope, Reply, Retrieve, Revocation,
    Signer, Store, SubaccountToken, SwarmResult,
};

/// A small deterministic generator (xorshift64*), enough to drive the fuzzing.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }
    fn float(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn bytes32(&mut self) -> [u8; 32] {
        core::array::from_fn(|_| self.next().to_le_bytes()[0])
    }
}

const H1: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

fn me() -> Signer {
    Signer::user(Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes(
        [1; 32],
    )))
}

/// Every parser, as a closure over a body.
/// A parser under test: whether it accepted the body.
type Parser<'a> = Box<dyn Fn(&Value) -> bool + 'a>;

fn parsers(signer: &Signer) -> Vec<Parser<'_>> {
    let store = Store::new(Auth::Signed(signer), 2, b"x", Lifetime::Ttl(60_000), 1).unwrap();
    let retrieve = Retrieve::new(Auth::Signed(signer), 0, 1).unwrap();
    let delete = Delete::new(signer, &[H1]).unwrap();
    let bulk = Bulk::delete_all(signer, NamespaceScope::All, 1);
    let expire = Expire::new(signer, &[H1], 1, ExpireMode::Shorten).unwrap();
    let expiries = GetExpiries::new(signer, &[H1], 1).unwrap();
    let revoke = Revocation::revoke(signer, &[SubaccountToken::from_bytes([3; 36])], 1).unwrap();
    let batch = Batch::batch(vec![Info::new().request().clone()]).unwrap();
    let swarm = GetSwarm::new(&Account::new(5, &[0; 32]));
    vec![
        Box::new(move |b| store.parse(b).is_ok()),
        Box::new(move |b| retrieve.parse(b).is_ok()),
        Box::new(move |b| delete.parse(b).is_ok()),
        Box::new(move |b| bulk.parse(b).is_ok()),
        Box::new(move |b| expire.parse(b).is_ok()),
        Box::new(move |b| expiries.parse(b).is_ok()),
        Box::new(move |b| revoke.parse(b).is_ok()),
        Box::new(move |b| batch.parse(b).is_ok()),
        Box::new(move |b| swarm.parse(b).is_ok()),
        Box::new(|b| Info::new().parse(b).is_ok()),
        Box::new(|b| GetServiceNodes::new(&["public_ip"]).parse(b).is_ok()),
        Box::new(|b| SwarmResult::from_body(b).is_ok()),
        Box::new(|b| Meta::from_body(b).t.is_some()),
    ]
}

/// A random JSON value of bounded depth, biased towards the keys the parsers look for.
fn random_value(rng: &mut Rng, depth: u32) -> Value {
    const KEYS: [&str; 22] = [
        "swarm",
        "hash",
        "signature",
        "expiry",
        "already",
        "failed",
        "code",
        "messages",
        "timestamp",
        "expiration",
        "data",
        "more",
        "deleted",
        "updated",
        "unchanged",
        "results",
        "body",
        "snodes",
        "version",
        "result",
        "service_node_states",
        "t",
    ];
    match rng.below(if depth == 0 { 6 } else { 8 }) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 1),
        2 => json!(rng.next()),
        3 => json!(rng.next().cast_signed()),
        4 => json!(rng.float()),
        5 => {
            let len = rng.below(70);
            Value::String(
                (0..len)
                    .map(|_| char::from(b' ' + u8::try_from(rng.below(95)).unwrap()))
                    .collect(),
            )
        }
        6 => Value::Array(
            (0..rng.below(4))
                .map(|_| random_value(rng, depth - 1))
                .collect(),
        ),
        _ => Value::Object(
            (0..rng.below(5))
                .map(|_| {
                    let key = if rng.below(10) < 7 {
                        KEYS[rng.below(KEYS.len())].to_owned()
                    } else {
                        hex::encode(rng.bytes32())
                    };
                    (key, random_value(rng, depth - 1))
                })
                .collect(),
        ),
    }
}

#[test]
fn random_json_never_panics_any_parser() {
    let signer = me();
    let parsers = parsers(&signer);
    let mut rng = Rng::new(42);
    for _ in 0..3_000 {
        let value = random_value(&mut rng, 4);
        for parse in &parsers {
            let _ = parse(&value);
        }
        let code = u16::try_from(rng.below(1000)).unwrap();
        let _ = Reply::from_value(code, value.clone());
        let _ = Reply::from_http(code, value.to_string().as_bytes());
    }
}

#[test]
fn garbage_bytes_are_errors_not_panics() {
    let mut rng = Rng::new(7);
    for _ in 0..2_000 {
        let len = rng.below(200);
        let bytes: Vec<u8> = (0..len)
            .map(|_| u8::try_from(rng.below(256)).unwrap())
            .collect();
        let status = [200, 400, 401, 406, 421, 500, 502][rng.below(7)];
        let _ = Store::new(Auth::Signed(&me()), 2, b"x", Lifetime::Ttl(60_000), 1)
            .unwrap()
            .parse_http(status, &bytes);
        let _ = GetSwarm::new(&Account::new(5, &[0; 32])).parse_http(status, &bytes);
    }
    assert!(Info::new().parse_http(200, b"{nope").is_err());
    assert!(Info::new().parse_http(200, b"").is_err());
    assert!(matches!(
        Info::new().parse_http(500, b"request failed"),
        Ok(Reply::Failed(_))
    ));
}

#[test]
fn wrong_types_are_malformed() {
    let signer = me();
    let parsers = parsers(&signer);
    for body in [
        json!(null),
        json!([]),
        json!("x"),
        json!(1),
        json!({}),
        json!({"swarm": 1}),
    ] {
        for parse in &parsers[..12] {
            assert!(!parse(&body), "{body}");
        }
    }
    let retrieve = Retrieve::new(Auth::Signed(&signer), 0, 1).unwrap();
    for message in [
        json!({"hash": 1, "timestamp": 1, "expiration": 1, "data": ""}),
        json!({"hash": "h", "timestamp": -1, "expiration": 1, "data": ""}),
        json!({"hash": "h", "timestamp": 1, "expiration": "1", "data": ""}),
        json!({"hash": "h", "timestamp": 1, "expiration": 1, "data": "!!"}),
        json!({"hash": "h", "timestamp": 1, "expiration": 1}),
    ] {
        assert!(retrieve.parse(&json!({"messages": [message]})).is_err());
    }
    let good = json!({"messages": [{"hash": "h", "timestamp": 1, "expiration": 2, "data": "aGk="}],
                      "more": true, "t": 5, "hf": [19, 4]});
    let parsed = retrieve.parse(&good).unwrap();
    assert_eq!(parsed.messages[0].data, b"hi");
    assert!(parsed.more);
    assert_eq!(
        parsed.meta,
        Meta {
            t: Some(5),
            hf: Some((19, 4))
        }
    );
    assert_eq!(parsed.meta.clock_offset_ms(7), Some(-2));
}

#[test]
fn member_entries_are_judged_one_by_one() {
    let signer = me();
    let store = Store::new(Auth::Signed(&signer), 2, b"x", Lifetime::Ttl(60_000), 1).unwrap();
    let node = Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes([9; 32]));
    let good_sig = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        node.sign(H1.as_bytes()),
    );
    let node_hex = hex::encode(node.ed25519_public());
    let body = json!({
        "hash": H1,
        "swarm": {
            node_hex.clone(): {"hash": H1, "signature": good_sig, "expiry": 10, "already": 1},
            "11".repeat(32): {"failed": true, "timeout": true},
            "22".repeat(32): {"failed": true, "code": "401", "reason": "store signature verification failed"},
            "33".repeat(32): {"hash": H1, "signature": good_sig, "expiry": 10},
            "44".repeat(32): {"hash": H1, "expiry": 10},
            "not hex": {"hash": H1},
        },
        "t": 3
    });
    let result = store.parse(&body).unwrap();
    assert_eq!(result.members.len(), 6);
    let ok: Vec<_> = result.members.verified().collect();
    assert_eq!(ok.len(), 1);
    assert_eq!(hex::encode(ok[0].0), node_hex);
    assert!(ok[0].1.already, "`already: 1` from a peer");
    let outcome = |byte: &str| {
        &result
            .members
            .get(&[u8::from_str_radix(byte, 16).unwrap(); 32])
            .unwrap()
            .outcome
    };
    assert!(matches!(outcome("11"), MemberOutcome::Failed(f) if f.timeout));
    assert!(
        matches!(outcome("22"), MemberOutcome::Failed(f) if f.code == Some(401) && f.reason.is_some())
    );
    assert_eq!(outcome("33"), &MemberOutcome::BadSignature);
    assert!(matches!(outcome("44"), MemberOutcome::Malformed(_)));
    assert!(result.members.check_signatures().is_err());
}

#[test]
fn a_421_body_is_the_new_swarm() {
    let body = json!({
        "snodes": [{"address": "x.snode", "pubkey_legacy": "00", "pubkey_x25519": "ab".repeat(32),
                    "pubkey_ed25519": "cd".repeat(32), "port": "22021", "port_https": 22021,
                    "port_omq": 22020, "port_quic": 22020, "ip": "1.2.3.4"}],
        "swarm": "3fff", "t": 9, "hf": [19, 4]
    });
    match Reply::from_http(421, body.to_string().as_bytes()).unwrap() {
        Reply::WrongSwarm(swarm) => {
            assert_eq!(swarm.swarm_id, Some(0x3fff));
            assert_eq!(swarm.snodes[0].ed25519, [0xcd; 32]);
            assert_eq!(swarm.snodes[0].port_https, 22021);
            assert_eq!(swarm.meta.t, Some(9));
        }
        other => panic!("{other:?}"),
    }
    let none = json!({"snodes": [], "swarm": "ffffffffffffffff"});
    assert_eq!(SwarmResult::from_body(&none).unwrap().swarm_id, None);
    // A 421 without a usable swarm is an ordinary failure, as is one inside a batch.
    assert!(matches!(Reply::from_http(421, b"nope").unwrap(), Reply::Failed(f) if f.status == 421));
    assert!(matches!(
        Reply::from_value(421, Value::String(body.to_string())),
        Reply::WrongSwarm(_)
    ));
}
