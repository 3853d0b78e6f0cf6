//! Running the built `session-cli` binary and checking its JSON contract, for every
//! integration test file.

// Each test binary compiles this module and uses part of it.
#![allow(dead_code)]

use std::process::{Command, Output};

use serde_json::{Map, Value};

/// Runs the binary with `args`.
pub(crate) fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_session-cli"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Runs a command that must succeed and returns its one JSON object.
pub(crate) fn ok(args: &[&str]) -> Map<String, Value> {
    let out = run(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?} failed: {stderr}");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 stdout");
    assert_eq!(stdout.lines().count(), 1, "one line of JSON: {stdout}");
    match serde_json::from_str(&stdout).expect("stdout is JSON") {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

/// Runs a command that must fail and checks the contract: a non-zero exit, nothing on stdout,
/// `{"error": "..."}` on stderr, none of `secrets` repeated. Returns the exit code and the
/// message.
pub(crate) fn fails_with(args: &[&str], secrets: &[&str]) -> (i32, String) {
    let out = run(args);
    let code = out.status.code().expect("exited normally");
    assert_ne!(code, 0, "{args:?} succeeded");
    assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
    let stderr = String::from_utf8(out.stderr).expect("UTF-8 stderr");
    let json: Value = serde_json::from_str(&stderr).expect("stderr is JSON");
    let message = json["error"].as_str().expect("an error string").to_owned();
    assert!(!message.is_empty());
    for secret in secrets {
        assert!(
            !message.contains(secret),
            "{args:?}: {message} leaks {secret}"
        );
    }
    (code, message)
}

/// Runs a command that must fail with exit code `code`; returns the message.
pub(crate) fn fails(args: &[&str], code: i32, secrets: &[&str]) -> String {
    let (exit, message) = fails_with(args, secrets);
    assert_eq!(exit, code, "{args:?}: {message}");
    message
}

/// The string field `key` of a command's JSON output.
pub(crate) fn field<'a>(map: &'a Map<String, Value>, key: &str) -> &'a str {
    map.get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string field {key} in {map:?}"))
}

/// The keys of a command's JSON output, in order (a `serde_json::Map` iterates sorted).
pub(crate) fn keys(map: &Map<String, Value>) -> Vec<&str> {
    map.keys().map(String::as_str).collect()
}
