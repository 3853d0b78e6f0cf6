#!/usr/bin/env bash
# Every check the project lands through, in the order a failure is cheapest to find.
# `.ci/run` calls exactly this script; run it locally before you push.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n==> %s\n' "$*"; }

step "format"
cargo fmt --all --check

step "clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "generated protobuf code is current"
cargo xtask gen-proto --check

step "tests"
mkdir -p target
cargo test --workspace --locked -- --nocapture 2>&1 | tee target/test-output.log

step "vector cases per file"
grep '^vectors:' target/test-output.log | sort

step "docs"
RUSTDOCFLAGS=-Dwarnings cargo doc --workspace --no-deps --locked

step "benches compile"
cargo bench --workspace --locked --no-run

step "one crypto generation"
scripts/check-crypto-duplicates.sh

step "facade: full is complete, no internal crate depends on it"
scripts/check-facade.sh

step "the README's demo, the echo bot and the community bot run"
cargo run --locked --example quickstart
cargo run --locked --example echo_bot
cargo run --locked --example community_bot

if [ -f fuzz/Cargo.toml ]; then
  step "fuzz targets compile"
  cargo check --manifest-path fuzz/Cargo.toml --locked --bins
fi

step "all checks passed"
