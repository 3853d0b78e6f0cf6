#!/usr/bin/env bash
# Fails if the normal (shipped) dependency graph holds two versions of any crypto crate:
# the workspace stays on one generation (dalek 5/3/3, RustCrypto aead 0.6 / digest 0.11).
set -euo pipefail
cd "$(dirname "$0")/.."

crypto='^(aead|aes|aes-gcm|blake2|chacha20|chacha20poly1305|cipher|crypto-common|curve25519-dalek|digest|ed25519|ed25519-dalek|ghash|hkdf|hmac|poly1305|polyval|rand_core|salsa20|sha2|signature|subtle|universal-hash|x25519-dalek|zeroize) v'

duplicates=$(cargo tree --workspace --locked -e normal --duplicates --depth 0 --prefix none --format '{p}' \
  | grep -E "$crypto" | sort -u || true)

if [ -n "$duplicates" ]; then
  echo "duplicated crypto crates in the dependency graph:"
  echo "$duplicates"
  exit 1
fi
echo "crypto crates: one version each"
