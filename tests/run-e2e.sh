#!/usr/bin/env bash
# Browser end-to-end tests: `parlons serve` + headless Debian Chromium (playwright-core), in a
# loopback-only network namespace.
#
#   PARLONS_BIN=target/release/parlons tests/run-e2e.sh
#
# Environment:
#   PARLONS_BIN / PARLONS_URL     see lib/server.mjs (the server must serve the web client)
#   CHROMIUM                      Chromium binary (default /usr/bin/chromium)
#   E2E_TEST_FILES                test files (default: e2e/*.test.mjs)
#   NODE_TEST_ARGS                extra `node --test` arguments
# Screenshots, JUnit XML and server logs: tests/artifacts/. Exit status non-zero on any failure.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/netns.sh
. "$HERE/lib/netns.sh"
parlons_require_server
parlons_enter_netns "$@"

cd "$HERE"
ART="$HERE/artifacts"
if [ ! -d node_modules ]; then
  echo "dependencies missing: run tests/setup.sh first" >&2
  exit 2
fi
rm -rf "$ART/e2e"
mkdir -p "$ART/e2e" "$ART/logs"
rm -f "$ART"/logs/e2e-*.log  # this run's logs only (run-conformance.sh keeps its own)
# shellcheck disable=SC2206
files=(${E2E_TEST_FILES:-e2e/*.test.mjs})
out="$ART/e2e.tap"
echo "== browser E2E: ${files[*]}"
set +e
# shellcheck disable=SC2086
timeout --kill-after=10 1200 node --test --test-concurrency=1 \
  --test-reporter=tap --test-reporter-destination=stdout \
  --test-reporter=junit --test-reporter-destination="$ART/e2e.xml" \
  ${NODE_TEST_ARGS:-} "${files[@]}" 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
set -e
pass=$(grep -E '^# pass [0-9]+' "$out" | tail -1 | awk '{print $3}')
fail=$(grep -E '^# fail [0-9]+' "$out" | tail -1 | awk '{print $3}')
echo
echo "== E2E summary: pass ${pass:-?}, fail ${fail:-?} (exit $rc)"
[ "$rc" = 124 ] && echo "!! the suite ran past its 20 min limit and was stopped"
if [ "$rc" != 0 ]; then
  echo "-- failed tests:"
  grep -E '^\s*not ok' "$out" | sed 's/^/   /' || true
fi
echo "   screenshots: $ART/e2e/   server logs: $ART/logs/"
exit "$rc"
