//! The bodies of the `fuzz/` targets for what this crate reads from the network: storage
//! RPC answers, node lists, clock samples and file-server answers. They live here so the
//! committed corpus replays on stable (`tests/fuzz_corpus.rs`) and so the targets can reach
//! the crate's private parsers. Every input must give a typed error, never a panic.
//!
//! ```
//! session_swarm::fuzzing::rpc_answer(b"\x00\xc8\x00{\"swarm\":{}}");
//! session_swarm::fuzzing::node_list(b"{\"snodes\":[]}");
//! session_swarm::fuzzing::file_server_answer(b"{\"id\":1}");
//! ```

use session_crypto::Ed25519Seed;
use session_identity::Keypair;

use crate::files::{FileLocation, reply};
use crate::net::{NetworkClock, SwarmCache, parse_service_node_states, parse_swarm};
use crate::rpc::{
    Account, Auth, Batch, Bulk, Call, Delete, Expire, ExpireMode, GetExpiries, GetServiceNodes,
    GetSwarm, Info, Lifetime, NamespaceScope, Reply, Retrieve, Revocation, Signer, Store,
    SubaccountFlags, SubaccountToken,
};

/// The signing time the fuzzed requests are built with.
const NOW_MS: u64 = 1_700_000_000_000;

/// One storage RPC answer: two bytes of HTTP status (big-endian), one byte choosing the
/// request it answers, then the body, parsed as that request's answer (the swarm members'
/// signatures checked where the method has them).
pub fn rpc_answer(data: &[u8]) {
    let [high, low, method, body @ ..] = data else {
        return;
    };
    let status = u16::from_be_bytes([*high, *low]);
    let signer = Signer::user(Keypair::from_ed25519_seed(&Ed25519Seed::from_bytes(
        [7; 32],
    )));
    let hashes = ["hash"];
    let account = Account::new(0x05, &[7; 32]);
    let token = SubaccountToken::new(0x03, SubaccountFlags(1), &[9; 32]);
    // Building a request from fixed, valid arguments cannot fail; if it ever did, there
    // would be nothing to parse.
    match method % 11 {
        0 => parse(
            Retrieve::new(Auth::Signed(&signer), 0, NOW_MS),
            status,
            body,
        ),
        1 => parse(
            Store::new(
                Auth::Signed(&signer),
                0,
                b"data",
                Lifetime::Ttl(86_400_000),
                NOW_MS,
            ),
            status,
            body,
        ),
        2 => parse(Delete::new(&signer, &hashes), status, body),
        3 => parse(
            Expire::new(&signer, &hashes, NOW_MS, ExpireMode::Any),
            status,
            body,
        ),
        4 => parse(GetExpiries::new(&signer, &hashes, NOW_MS), status, body),
        5 => parse(Ok(Info::new()), status, body),
        6 => parse(Ok(GetSwarm::new(&account)), status, body),
        7 => parse(
            Ok(GetServiceNodes::new(&["public_ip", "storage_port"])),
            status,
            body,
        ),
        8 => parse(Revocation::revoke(&signer, &[token], NOW_MS), status, body),
        9 => parse(
            Ok(Bulk::delete_all(&signer, NamespaceScope::All, NOW_MS)),
            status,
            body,
        ),
        _ => {
            let requests = Info::new().request().clone();
            parse(
                Batch::sequence(vec![requests.clone(), requests]),
                status,
                body,
            );
        }
    }
}

fn parse<C: Call>(call: crate::Result<C>, status: u16, body: &[u8]) {
    let Ok(call) = call else {
        return;
    };
    if let Ok(Reply::Ok(_)) = call.parse_http(status, body) {
        // Parsing twice must agree: the parsers keep no state between answers.
        let again = call.parse_http(status, body);
        assert!(matches!(again, Ok(Reply::Ok(_))));
    }
}

/// A node list as nodes and seeds send it: a `get_swarm` answer, the swarm cache's reading
/// of it, a `get_service_nodes` result, and the clock sample (`t`) every answer carries.
pub fn node_list(data: &[u8]) {
    let _ = parse_swarm(data);
    let _ = SwarmCache::new().set_from_body(&format!("05{}", "07".repeat(32)), data);
    if let Ok(value) = serde_json::from_slice(data) {
        let _ = parse_service_node_states(&value);
    }
    let mut clock = NetworkClock::new();
    let _ = clock.record_body(NOW_MS.cast_signed(), data);
    let _ = clock.now_ms(NOW_MS.cast_signed());
}

/// The file server's answers (upload, extend) and file URLs as they arrive in messages.
pub fn file_server_answer(data: &[u8]) {
    let _ = reply::uploaded(data);
    let _ = reply::extended(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = FileLocation::parse(text);
    }
}
