//! The committed fuzz corpus (`fuzz/corpus/<target>/`, plus any crash cargo-fuzz saved in
//! `fuzz/artifacts/<target>/`), replayed on stable through the function each fuzz target
//! calls, and the seed corpus written from inputs a crate's tests build.

use std::fs;
use std::panic;
use std::path::{Path, PathBuf};

/// A fuzz target's body.
pub type Target = fn(&[u8]);

/// The `fuzz/` directory of this repository.
pub fn fuzz_dir() -> PathBuf {
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

/// Feeds every corpus file and artifact of each `(name, target)` to its target, asserting
/// that each target has a corpus and that no input panics (all failing files are named).
pub fn replay(targets: &[(&str, Target)]) {
    let fuzz = fuzz_dir();
    let mut failed = Vec::new();
    for (name, target) in targets {
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

/// Writes `seeds` as `fuzz/corpus/<name>/seed-NN`.
pub fn write_seeds(name: &str, seeds: &[Vec<u8>]) {
    let dir = fuzz_dir().join("corpus").join(name);
    fs::create_dir_all(&dir).unwrap();
    for (index, seed) in seeds.iter().enumerate() {
        fs::write(dir.join(format!("seed-{index:02}")), seed).unwrap();
    }
}
