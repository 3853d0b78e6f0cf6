//! The bodies of the `fuzz/` targets that reach a node's request handling, here so that the
//! committed corpus replays on stable (`tests/fuzz_corpus.rs`) and so the targets can reach
//! the crate's internals.
//!
//! Both run against one fixed network of three nodes in one swarm that never listens:
//! recursive requests reach the other members in-process, and onion relays to them find
//! their ports closed. The first node's keys come from [`FUZZ_NODE_SEED`], public on purpose,
//! so corpus onions can be encrypted to it and get past decryption.
//!
//! ```
//! session_localnet::fuzzing::storage_rpc(br#"{"method":"info","params":{}}"#);
//! session_localnet::fuzzing::onion_request(b"garbage");
//! session_localnet::fuzzing::sogs_request(b"GET /room/lobby/messages/recent?limit=5\n\n");
//! session_localnet::fuzzing::sogs_batch(br#"[{"method":"GET","path":"/capabilities"}]"#);
//! session_localnet::fuzzing::sogs_onion(b"garbage");
//! ```
//!
//! The SOGS targets run against one double (no socket) whose X25519 key comes from
//! [`FUZZ_SOGS_SEED`].

use std::sync::{Arc, OnceLock};

use session_crypto::Ed25519Seed;
use session_identity::Keypair;

use crate::http::Clients;
use crate::network::{Network, NetworkConfig};
use crate::node::Node;
use crate::storage::MemoryStorage;

/// The Ed25519 seed of the node the fuzz inputs are sent to (node 0); nodes 1 and 2 use
/// the seeds `[2; 32]` and `[3; 32]`.
pub const FUZZ_NODE_SEED: [u8; 32] = [1; 32];

/// The X25519 secret key of the SOGS double the `sogs_*` inputs are sent to.
pub const FUZZ_SOGS_SEED: [u8; 32] = [4; 32];

/// The statuses the SOGS double answers with.
const SOGS_STATUSES: [u16; 16] = [
    200, 201, 304, 400, 401, 403, 404, 405, 406, 412, 413, 415, 425, 429, 500, 501,
];

/// The statuses the storage server answers client requests with.
const KNOWN_STATUSES: [u16; 13] = [
    200, 400, 401, 403, 404, 406, 410, 413, 421, 429, 500, 502, 504,
];

struct Harness {
    runtime: tokio::runtime::Runtime,
    network: Arc<Network>,
    clients: Clients,
}

fn harness() -> Option<&'static Harness> {
    static HARNESS: OnceLock<Option<Harness>> = OnceLock::new();
    HARNESS
        .get_or_init(|| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            let nodes = (0u8..3)
                .map(|index| {
                    let seed = Ed25519Seed::from_bytes([index + 1; 32]);
                    // Ports that nothing listens on, so relays fail at once.
                    let node = Node::new(
                        usize::from(index),
                        Keypair::from_ed25519_seed(&seed),
                        0x4000_0000_0000_0000,
                        9,
                        Arc::new(MemoryStorage::new()),
                        [index; 32],
                    );
                    node.set_running(true);
                    Arc::new(node)
                })
                .collect();
            let network = Arc::new(Network::new(nodes, NetworkConfig::default()));
            let clients = Clients::new(&[]).ok()?;
            Some(Harness {
                runtime,
                network,
                clients,
            })
        })
        .as_ref()
}

/// A storage RPC request body (`{"method", "params"}`) sent to node 0: it must get an
/// answer with one of the storage server's statuses, and a body.
pub fn storage_rpc(data: &[u8]) {
    let Some(harness) = harness() else { return };
    let node = &harness.network.nodes()[0];
    let reply = harness
        .runtime
        .block_on(crate::rpc::handle_request(&harness.network, node, data));
    assert!(
        KNOWN_STATUSES.contains(&reply.status),
        "unexpected status {}",
        reply.status
    );
    if reply.status != 200 {
        assert!(!reply.body_text().is_empty(), "an error without a body");
    }
}

/// An onion request body (`POST /onion_req/v2`) arriving at node 0: it must get an answer
/// with one of the storage server's statuses.
pub fn onion_request(data: &[u8]) {
    let Some(harness) = harness() else { return };
    let node = &harness.network.nodes()[0];
    let response = harness.runtime.block_on(crate::onion::handle_onion(
        &harness.network,
        node,
        &harness.clients,
        data,
    ));
    let status = response.status().as_u16();
    assert!(
        KNOWN_STATUSES.contains(&status),
        "unexpected status {status}"
    );
}

fn sogs() -> Option<&'static crate::sogs::PreparedSogs> {
    static SOGS: OnceLock<Option<crate::sogs::PreparedSogs>> = OnceLock::new();
    SOGS.get_or_init(|| {
        crate::sogs::PreparedSogs::new(&crate::SogsOptions::default(), FUZZ_SOGS_SEED).ok()
    })
    .as_ref()
}

fn check_sogs(request: hyper::Request<bytes::Bytes>) {
    let Some(sogs) = sogs() else { return };
    let status = sogs.respond(&request).status().as_u16();
    assert!(
        SOGS_STATUSES.contains(&status),
        "unexpected SOGS status {status}"
    );
}

/// A whole request for the SOGS double, as text: `METHOD TARGET` on the first line,
/// `Name: value` header lines, an empty line, then the body. Inputs that are not a valid
/// HTTP request head are skipped (hyper would refuse them on the wire); everything else must
/// get an answer with one of pysogs' statuses.
pub fn sogs_request(data: &[u8]) {
    let (head, body) = match data.windows(2).position(|pair| pair == b"\n\n") {
        Some(at) => (&data[..at], &data[at + 2..]),
        None => (data, &[][..]),
    };
    let Ok(head) = std::str::from_utf8(head) else {
        return;
    };
    let mut lines = head.lines();
    let Some((method, target)) = lines.next().and_then(|line| line.split_once(' ')) else {
        return;
    };
    let mut builder = hyper::Request::builder().method(method).uri(target);
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            builder = builder.header(name.trim(), value.trim());
        }
    }
    if let Ok(request) = builder.body(bytes::Bytes::copy_from_slice(body)) {
        check_sogs(request);
    }
}

/// A `/batch` (and the same `/sequence`) body sent to the SOGS double.
pub fn sogs_batch(data: &[u8]) {
    for path in ["/batch", "/sequence"] {
        let request = hyper::Request::builder()
            .method("POST")
            .uri(path)
            .header("content-type", "application/json")
            .body(bytes::Bytes::copy_from_slice(data));
        if let Ok(request) = request {
            check_sogs(request);
        }
    }
}

/// An onion body posted to the SOGS double's `/oxen/v4/lsrpc`.
pub fn sogs_onion(data: &[u8]) {
    let request = hyper::Request::builder()
        .method("POST")
        .uri("/oxen/v4/lsrpc")
        .header("content-type", "application/octet-stream")
        .body(bytes::Bytes::copy_from_slice(data));
    if let Ok(request) = request {
        check_sogs(request);
    }
}
