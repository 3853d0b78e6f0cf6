//! Test support shared by the workspace's crates: loading the known-answer vectors committed
//! under `testing/vectors/` and reading their fields, and (in [`fuzz`]) the bodies of the
//! fuzz targets, so that their corpus replays on stable.
//!
//! ```
//! let file = session_testkit::VectorFile::load("libsession/hash.json");
//! assert!(!file.cases().is_empty());
//! ```
#![forbid(unsafe_code)]
// Test support: a malformed vector file should stop the test loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod corpus;
pub mod fuzz;

use std::path::PathBuf;

use serde_json::Value;

/// The `testing/vectors` directory of this repository.
pub fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../vectors")
}

/// One vector file: its `cases` (or another top-level array) and a count of the cases used.
#[derive(Debug)]
pub struct VectorFile {
    name: String,
    root: Value,
}

impl VectorFile {
    /// Loads `testing/vectors/<relative>`, panicking with the path if it is missing or not
    /// JSON.
    pub fn load(relative: &str) -> Self {
        let path = vectors_dir().join(relative);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let root = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
        Self {
            name: relative.to_owned(),
            root,
        }
    }

    /// The whole document.
    pub fn root(&self) -> &Value {
        &self.root
    }

    /// The `cases` array.
    pub fn cases(&self) -> &[Value] {
        self.root["cases"]
            .as_array()
            .unwrap_or_else(|| panic!("{} has no cases array", self.name))
    }

    /// The cases whose `kind` is `kind`.
    pub fn cases_of_kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
        self.cases().iter().filter(move |c| c["kind"] == kind)
    }

    /// Prints how many cases of this file ran, for the test log, and checks that at least
    /// one did.
    pub fn report(&self, what: &str, ran: usize) {
        assert!(ran > 0, "{}: no {what} cases ran", self.name);
        println!("vectors: {} [{what}]: {ran} cases", self.name);
    }
}

/// Field `key` of `case` as a string.
pub fn str_field<'a>(case: &'a Value, key: &str) -> &'a str {
    case[key]
        .as_str()
        .unwrap_or_else(|| panic!("field {key} missing or not a string in {case}"))
}

/// Field `key` of `case`, hex-decoded.
pub fn hex_field(case: &Value, key: &str) -> Vec<u8> {
    hex::decode(str_field(case, key)).unwrap_or_else(|e| panic!("field {key} is not hex: {e}"))
}

/// Field `key` of `case`, hex-decoded into exactly `N` bytes.
pub fn hex_array<const N: usize>(case: &Value, key: &str) -> [u8; N] {
    let bytes = hex_field(case, key);
    bytes
        .try_into()
        .unwrap_or_else(|b: Vec<u8>| panic!("field {key} has {} bytes, want {N}", b.len()))
}
