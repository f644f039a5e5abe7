#!/usr/bin/env bash
# Installs what the tests need (Debian's Chromium and PostgreSQL, npm packages, a Python venv) and
# runs every test: Rust (fmt, clippy, unit, sans-IO simulations, integration, the store contract
# on SQLite and on a throw-away PostgreSQL), the web client (lint, types, format, unit), the test
# harness's self-test, the LiveKit SDK conformance and access-control suites, API fuzzing
# (schemathesis) and the browser end-to-end tests.
# Runs as root on Debian 12; everything talks to 127.0.0.1 only, inside network namespaces.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export CARGO_TERM_COLOR=never
SECONDS=0
step() { printf '\n==> [%4ss] %s\n' "$SECONDS" "$*"; }

step "test dependencies: Debian Chromium and PostgreSQL, npm packages of the test clients, Python venv"
bash tests/setup.sh

step "web client: install, lint, types, format, unit tests, build"
npm --prefix web ci --no-audit --no-fund --loglevel=error
npm --prefix web run lint
npm --prefix web run typecheck
npm --prefix web run format:check
# API types are generated from docs/openapi.json, never edited by hand: fail on drift.
npm --prefix web run -s api:types >/dev/null
git diff --exit-code -- web/src/api/schema.d.ts || { echo "FAIL: web/src/api/schema.d.ts is stale: run npm --prefix web run api:types"; exit 1; }
npm --prefix web test
npm --prefix web run build

step "rust: format, lints, sans-IO check"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
for core in parlons-sfu parlons-room; do
  if cargo tree --locked -p "$core" -e normal | grep -qE '(tokio|axum|sqlx) v'; then
    echo "FAIL: $core must stay sans-IO (no tokio/axum/sqlx)"; exit 1
  fi
done

step "rust: unit, simulation and integration tests; store contract on SQLite and PostgreSQL 15"
# Build (and fetch) in this namespace, then run offline in a loopback-only one holding a
# throw-away PostgreSQL on 127.0.0.1:5433 (PARLONS_TEST_DATABASE_URL), stopped however the tests end.
cargo test --workspace --locked --no-run
bash tests/with-postgres.sh cargo test --workspace --locked --offline

step "test harness self-test: the OIDC provider and the login flow (no server needed)"
unshare -n sh -c 'ip link set lo up && cd tests && node --test --test-reporter=spec selftest/'

step "black-box suites: SDK conformance and access control (Node, Python), API fuzzing, browser end-to-end"
cargo build --locked -p parlons-server
export PARLONS_BIN="$ROOT/target/debug/parlons"
# docs/openapi.json is what the server generates: fail on drift.
"$PARLONS_BIN" openapi > docs/openapi.json
git diff --exit-code -- docs/openapi.json || { echo "FAIL: docs/openapi.json is stale: run parlons openapi > docs/openapi.json"; exit 1; }
bash tests/run-conformance.sh
bash tests/run-schemathesis.sh
bash tests/run-e2e.sh

step "all tests passed in ${SECONDS}s"
