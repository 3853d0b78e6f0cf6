#!/usr/bin/env bash
# Checks the `session` facade's two promises, with nothing but cargo and awk:
#  (a) its `full` feature enables every feature that turns on an internal (session-*)
#      optional dependency, so `features = ["full"]` really is everything;
#  (b) no crate depends on the facade except session-cli (a tool over the facade by
#      design) and the examples and benches (dev-dependencies): the layers below must never
#      reach up to it.
# Run from anywhere; exits non-zero, naming each problem, on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

manifest=crates/session/Cargo.toml
problems=0

# (a) Feature lines of the [features] table: `name = ["item", ...]`, one per line.
features=$(awk '/^\[features\]/ { on = 1; next } /^\[/ { on = 0 } on && /^[a-z0-9_-]+ *=/' "$manifest")
full=$(printf '%s\n' "$features" | awk -F'=' '$1 ~ /^full *$/ { print $2 }')
if [ -z "$full" ]; then
  echo "$manifest has no \`full\` feature"
  problems=1
fi
internal=$(printf '%s\n' "$features" | awk -F'=' '$2 ~ /"dep:session-/ { gsub(/ /, "", $1); print $1 }')
for feature in $internal; do
  if ! printf '%s' "$full" | grep -q "\"$feature\""; then
    echo "\`full\` does not enable \`$feature\`, which turns on an internal crate"
    problems=1
  fi
done
# Every optional internal dependency needs a feature that turns it on.
optional=$(awk '/^\[dependencies\]/ { on = 1; next } /^\[/ { on = 0 }
  on && /^session-[a-z0-9-]+ *=.*optional *= *true/ { sub(/ .*/, ""); print }' "$manifest")
for dependency in $optional; do
  if ! printf '%s\n' "$features" | grep -q "\"dep:$dependency\""; then
    echo "the optional dependency $dependency has no feature"
    problems=1
  fi
done

# (b) The crates that depend on the facade directly, dev-dependencies included.
dependents=$(cargo tree --workspace --locked -i session -e normal,build,dev --prefix none --depth 1 \
  | awk 'NR > 1 { print $1 }' | sort -u)
for crate in $dependents; do
  case "$crate" in
    session-cli | session-examples | session-benches) ;;
    *)
      echo "$crate depends on the facade; internal crates must not"
      problems=1
      ;;
  esac
done

if [ "$problems" -ne 0 ]; then
  exit 1
fi
echo "check-facade: ok (\`full\` enables $(echo $internal | tr ' ' ','); no internal crate depends on the facade)"
