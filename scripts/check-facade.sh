#!/usr/bin/env bash
# Checks the `session` facade's two promises:
#  (a) its `full` feature enables every feature that turns on an internal (session-*)
#      optional dependency, so `features = ["full"]` really is everything;
#  (b) no crate under crates/ depends on the facade, except session-cli (a tool over the
#      facade by design): the layers below must never reach up to it.
# Run from anywhere; exits non-zero, naming each problem, on failure.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 - <<'PY'
import pathlib
import sys
import tomllib

ALLOWED_DEPENDENTS = {"session", "session-cli"}
problems = []

facade = tomllib.loads(pathlib.Path("crates/session/Cargo.toml").read_text())
features = facade.get("features", {})
full = set(features.get("full", []))
internal = sorted(
    name
    for name, enables in features.items()
    if name != "full"
    and any(item.startswith("dep:session-") for item in enables)
)
if "full" not in features:
    problems.append("crates/session/Cargo.toml has no `full` feature")
for name in internal:
    if name not in full:
        problems.append(f"the facade's `full` feature does not enable `{name}`")
# An optional internal dependency reachable through no feature at all is a mistake too.
deps = facade.get("dependencies", {})
for dep, spec in sorted(deps.items()):
    if dep.startswith("session-") and isinstance(spec, dict) and spec.get("optional"):
        if not any(f"dep:{dep}" in enables for enables in features.values()):
            problems.append(f"optional dependency `{dep}` is enabled by no feature")

for manifest in sorted(pathlib.Path("crates").glob("*/Cargo.toml")):
    data = tomllib.loads(manifest.read_text())
    name = data.get("package", {}).get("name", manifest.parent.name)
    if name in ALLOWED_DEPENDENTS:
        continue
    tables = [data.get(key, {}) for key in ("dependencies", "dev-dependencies", "build-dependencies")]
    for target in data.get("target", {}).values():
        tables += [target.get(key, {}) for key in ("dependencies", "dev-dependencies", "build-dependencies")]
    for table in tables:
        for dep, spec in table.items():
            package = spec.get("package", dep) if isinstance(spec, dict) else dep
            if package == "session":
                problems.append(f"{manifest} depends on the `session` facade")

for problem in problems:
    print(f"check-facade: {problem}", file=sys.stderr)
if problems:
    sys.exit(1)
print(f"check-facade: ok (`full` enables {', '.join(internal)}; no crate below depends on the facade)")
PY
