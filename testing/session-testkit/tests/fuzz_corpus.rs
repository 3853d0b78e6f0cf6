//! Replays the committed fuzz corpus on stable: every file in `fuzz/corpus/<target>/` (and
//! in `fuzz/artifacts/<target>/`, where cargo-fuzz saves crashing inputs) goes through the
//! same function its fuzz target calls.

use std::fs;
use std::panic;
use std::path::{Path, PathBuf};

use session_testkit::fuzz::TARGETS;

/// The `fuzz/` directory of this repository.
fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// The files directly in `dir`, sorted; none if it does not exist.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|entry| {
            entry
                .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
                .path()
        })
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn corpus_replays_without_failures() {
    let fuzz = fuzz_dir();
    let mut failed = Vec::new();
    for (name, target) in TARGETS {
        let corpus = files_in(&fuzz.join("corpus").join(name));
        let artifacts = files_in(&fuzz.join("artifacts").join(name));
        for file in corpus.iter().chain(&artifacts) {
            let data = fs::read(file).unwrap();
            // Keep going after a failure, so that the report names every failing file.
            if panic::catch_unwind(|| target(&data)).is_err() {
                failed.push(file.display().to_string());
            }
        }
        assert!(
            !corpus.is_empty(),
            "no corpus files for fuzz target {name} in {}",
            fuzz.join("corpus").join(name).display()
        );
        println!(
            "fuzz corpus: {name}: {} corpus files, {} artifacts replayed",
            corpus.len(),
            artifacts.len()
        );
    }
    assert!(failed.is_empty(), "fuzz inputs that fail: {failed:#?}");
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
