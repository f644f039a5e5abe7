#!/usr/bin/env bash
# Builds the web client and the `parlons` binary, then runs Parlons on its embedded default
# (single node, in-memory rooms, LiveKit dev credentials) and prints the URL to open.
# Extra arguments go to `parlons serve`, e.g. `./scripts/run.sh --http-addr 0.0.0.0:7880`.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v npm >/dev/null || { echo "run.sh: Node.js and npm are required (apt-get install nodejs npm)" >&2; exit 1; }
command -v cargo >/dev/null || { echo "run.sh: a Rust toolchain is required (rustup)" >&2; exit 1; }

echo "==> building the web client (web/dist)"
npm --prefix web ci --no-audit --no-fund --loglevel=error
npm --prefix web run build --silent

echo "==> building parlons (release)"
cargo build --release --locked -p parlons-server

echo "==> starting parlons (Ctrl-C to stop)"
exec ./target/release/parlons serve --dev --data-dir data "$@"
