//! Replays the committed fuzz corpus on stable: every file in `fuzz/corpus/<target>/` (and
//! in `fuzz/artifacts/<target>/`, where cargo-fuzz saves crashing inputs) goes through the
//! same function its fuzz target calls.

use std::fs;
use std::path::{Path, PathBuf};

use session_testkit::fuzz::TARGETS;

/// The `fuzz/` directory of this repository.
fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

#[test]
fn corpus_replays_without_failures() {
    session_testkit::corpus::replay(&TARGETS);
}

#[test]
fn every_target_has_a_fuzz_target_file() {
    for (name, _) in TARGETS {
        let path = fuzz_dir().join("fuzz_targets").join(format!("{name}.rs"));
        let source = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        assert!(
            source.contains(&format!("session_testkit::fuzz::{name}(")),
            "{} does not call session_testkit::fuzz::{name}",
            path.display()
        );
    }
}
