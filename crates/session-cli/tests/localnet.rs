//! `session-cli localnet`: the ready line, a node that answers, and a clean stop on SIGTERM.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::Value;

#[test]
fn localnet_prints_its_ready_line_and_serves_until_terminated() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_session-cli"))
        .args(["localnet", "--nodes", "4", "--swarms", "2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("a ready line");
    let ready: Value = serde_json::from_str(&line).expect("the ready line is JSON");

    assert!(
        ready["seed_url"]
            .as_str()
            .unwrap()
            .starts_with("https://127.0.0.1:")
    );
    assert!(
        ready["seed_cert_pem"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----")
    );
    let nodes = ready["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 4);
    for node in nodes {
        assert_eq!(node["ed25519"].as_str().unwrap().len(), 64);
        assert_eq!(node["x25519"].as_str().unwrap().len(), 64);
        assert!(node["https_port"].as_u64().unwrap() > 0);
        assert!(u64::from_str_radix(node["swarm_id"].as_str().unwrap(), 16).is_ok());
    }
    let swarms: std::collections::BTreeSet<&str> = nodes
        .iter()
        .map(|n| n["swarm_id"].as_str().unwrap())
        .collect();
    assert_eq!(swarms.len(), 2);
    let sogs = &ready["sogs"];
    let sogs_url = sogs["url"].as_str().unwrap();
    assert!(sogs_url.starts_with("http://127.0.0.1:"), "{sogs_url}");
    let sogs_key = sogs["x25519"].as_str().unwrap();
    assert_eq!(sogs_key.len(), 64);
    assert_eq!(
        sogs["lobby_url"].as_str().unwrap(),
        format!("{sogs_url}/lobby?public_key={sogs_key}")
    );

    // A node accepts TCP connections while the command runs.
    let port = u16::try_from(nodes[0]["https_port"].as_u64().unwrap()).unwrap();
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_ok());

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let exit = child.wait().expect("the command exits");
    assert!(exit.success(), "exit status {exit}");
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
}

#[test]
fn localnet_refuses_more_swarms_than_nodes() {
    let message = common::fails(&["localnet", "--nodes", "2", "--swarms", "3"], 1, &[]);
    assert!(message.contains("swarms"), "{message}");
}
