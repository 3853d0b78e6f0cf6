//! Replays the committed corpus of this crate's fuzz targets (`fuzz/corpus/swarm_*`, and any
//! crash cargo-fuzz saved in `fuzz/artifacts/`) on stable, and writes the seed corpus
//! (`cargo test -p session-swarm --test fuzz_corpus -- --ignored write_seed_corpus`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use session_testkit::corpus;

use session_swarm::fuzzing;

const TARGETS: [(&str, corpus::Target); 3] = [
    ("swarm_rpc_answer", fuzzing::rpc_answer),
    ("swarm_node_list", fuzzing::node_list),
    ("swarm_file_server_answer", fuzzing::file_server_answer),
];

#[test]
fn corpus_replays_without_failures() {
    corpus::replay(&TARGETS);
}

/// A node's signed-member answer: `{"swarm": {<ed25519 hex>: <member>}, "t": ...}`.
fn swarm_answer(member: &str) -> String {
    format!(
        r#"{{"swarm":{{"{}":{member}}},"t":1700000000000,"hf":[19,3]}}"#,
        "ab".repeat(32)
    )
}

fn rpc_answer_seeds() -> Vec<Vec<u8>> {
    let answers: Vec<(u16, u8, String)> = vec![
        (200, 0, swarm_answer(r#"{"messages":[{"hash":"h","data":"aGk=","timestamp":1,"expiration":2}],"more":false,"signature":"AA=="}"#)),
        (200, 1, swarm_answer(r#"{"hash":"h","signature":"c2ln","already":false}"#)),
        (200, 2, swarm_answer(r#"{"deleted":["h"],"signature":"c2ln"}"#)),
        (200, 3, swarm_answer(r#"{"expiry":1700000000000,"updated":["h"],"unchanged":{},"signature":"c2ln"}"#)),
        (200, 3, swarm_answer(r#"{"failed":true,"code":404,"reason":"nope"}"#)),
        (200, 4, r#"{"expiries":{"h":1700000000000},"t":1}"#.to_owned()),
        (200, 5, r#"{"version":[2,10,0],"timestamp":1700000000000,"t":1700000000000,"hf":[19,3]}"#.to_owned()),
        (200, 6, r#"{"snodes":[{"ip":"127.0.0.1","port":"22021","pubkey_ed25519":"ab","pubkey_x25519":"cd","swarm_id":1}],"swarm":"1","t":1}"#.to_owned()),
        (200, 7, r#"{"result":{"service_node_states":[{"public_ip":"127.0.0.1","storage_port":22021}],"status":"OK"}}"#.to_owned()),
        (200, 8, swarm_answer(r#"{"signature":"c2ln"}"#)),
        (200, 9, swarm_answer(r#"{"deleted":{"0":["h"]},"signature":"c2ln"}"#)),
        (200, 10, r#"{"results":[{"code":200,"body":{"version":[2,10,0]}},{"code":406,"body":"clock"}]}"#.to_owned()),
        (421, 0, r#"{"snodes":[]}"#.to_owned()),
        (406, 1, "store signature timestamp too far from current time".to_owned()),
        (200, 0, "{nope".to_owned()),
        (500, 10, String::new()),
    ];
    answers
        .into_iter()
        .map(|(status, method, body)| {
            let mut seed = status.to_be_bytes().to_vec();
            seed.push(method);
            seed.extend_from_slice(body.as_bytes());
            seed
        })
        .collect()
}

fn node_list_seeds() -> Vec<Vec<u8>> {
    let node = r#"{"ip":"127.0.0.1","port":"22021","pubkey_ed25519":"ab01","pubkey_x25519":"cd","swarm_id":1}"#;
    [
        format!(r#"{{"snodes":[{node},{node}],"swarm":"1","t":1700000000000}}"#),
        r#"{"service_node_states":[{"public_ip":"1.2.3.4","storage_port":22021,"pubkey_ed25519":"00","pubkey_x25519":"00","swarm_id":5,"storage_lmq_port":1}]}"#.to_owned(),
        r#"{"t":-9223372036854775808}"#.to_owned(),
        r#"{"t":1.5e300}"#.to_owned(),
        "[]".to_owned(),
        "{".to_owned(),
    ]
    .into_iter()
    .map(String::into_bytes)
    .collect()
}

fn file_server_seeds() -> Vec<Vec<u8>> {
    [
        r#"{"id":"aGVsbG8gd29ybGQgaGVsbG8gd29ybGQgaGVsbG8gd29y","expires":1700000000.5}"#,
        r#"{"id":12345}"#,
        r#"{"expires":1e308,"uploaded":-1,"size":10}"#,
        r#"{"expires":"soon"}"#,
        "http://filev2.getsession.org/file/12345#p=00&d",
        "https://host:1/file/../../x",
        "",
    ]
    .into_iter()
    .map(|seed| seed.as_bytes().to_vec())
    .collect()
}

#[test]
#[ignore = "writes the seed corpus into fuzz/corpus"]
fn write_seed_corpus() {
    for (name, seeds) in [
        ("swarm_rpc_answer", rpc_answer_seeds()),
        ("swarm_node_list", node_list_seeds()),
        ("swarm_file_server_answer", file_server_seeds()),
    ] {
        corpus::write_seeds(name, &seeds);
    }
}
