#!/usr/bin/env bash
# SDK conformance: the official LiveKit SDKs (livekit-client 2.23.0 in Node on @roamhq/wrtc,
# Python livekit 1.2.1) against the Parlons server, in a loopback-only network namespace.
#
#   PARLONS_BIN=target/release/parlons tests/run-conformance.sh [node] [python]
#
# Suites: `node`, `python` (default: both). Environment:
#   PARLONS_BIN / PARLONS_URL, LIVEKIT_API_KEY / LIVEKIT_API_SECRET   see lib/server.mjs
#   NODE_TEST_ARGS    extra `node --test` arguments, e.g. "--test-name-pattern=resume"
#   NODE_TEST_FILES   Node test files to run (default: conformance/node/*.test.mjs)
#   PYTEST_ARGS       extra pytest arguments, e.g. "-k audio"
#   PARLONS_TEST_RESUME=fallback   accept leave{RECONNECT} (full rejoin) instead of a real resume
#   LKLOG=debug       livekit-client log level in Node (default warn)
# Artifacts (server logs, JUnit XML): tests/artifacts/. Exit status non-zero on any failure.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/netns.sh
. "$HERE/lib/netns.sh"
parlons_require_server
parlons_enter_netns "$@"

cd "$HERE"
SUITES=("$@")
[ ${#SUITES[@]} -eq 0 ] && SUITES=(node python)
ART="$HERE/artifacts"
mkdir -p "$ART/logs"
rm -f "$ART"/logs/conformance-*.log  # this run's logs only (run-e2e.sh keeps its own)
SUMMARY=()
FAILED=0

if [ ! -d node_modules ] || [ ! -x .venv/bin/python ]; then
  echo "dependencies missing: run tests/setup.sh first" >&2
  exit 2
fi

run_node() {
  local files out rc
  # shellcheck disable=SC2206
  files=(${NODE_TEST_FILES:-conformance/node/*.test.mjs})
  out="$ART/conformance-node.tap"
  echo "== Node livekit-client conformance: ${files[*]}"
  set +e
  # shellcheck disable=SC2086
  timeout --kill-after=10 1200 node --experimental-websocket --test --test-concurrency=1 \
    --test-reporter=tap --test-reporter-destination=stdout \
    --test-reporter=junit --test-reporter-destination="$ART/conformance-node.xml" \
    ${NODE_TEST_ARGS:-} "${files[@]}" 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  set -e
  local pass fail
  pass=$(grep -E '^# pass [0-9]+' "$out" | tail -1 | awk '{print $3}')
  fail=$(grep -E '^# fail [0-9]+' "$out" | tail -1 | awk '{print $3}')
  [ "$rc" = 124 ] && echo "!! the Node suite ran past its 20 min limit and was stopped"
  SUMMARY+=("node: pass ${pass:-?}, fail ${fail:-?} (exit $rc)")
  if [ "$rc" != 0 ]; then
    FAILED=1
    echo "-- failed Node tests:"
    grep -E '^\s*not ok' "$out" | sed 's/^/   /' || true
  fi
}

run_python() {
  local f name xml rc counts
  for f in conformance/python/test_*.py; do
    name=$(basename "$f" .py)
    xml="$ART/conformance-python-$name.xml"
    rm -f "$xml"
    echo "== Python livekit conformance: $f"
    # One pytest process per file: the SDK aborts the whole process on some protocol errors
    # (a Rust panic through FFI), which must not hide the other files' results.
    set +e
    # shellcheck disable=SC2086
    timeout --kill-after=10 600 .venv/bin/python -m pytest -c conformance/python/pytest.ini \
      --junitxml="$xml" ${PYTEST_ARGS:-} "$f"
    rc=$?
    set -e
    if [ -f "$xml" ]; then
      counts=$(.venv/bin/python - "$xml" <<'PY'
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
s = r if r.tag == "testsuite" else r.find("testsuite")
t, f, e, k = (int(s.get(a, 0)) for a in ("tests", "failures", "errors", "skipped"))
print(f"pass {t - f - e - k}, fail {f + e}, skipped {k}")
PY
)
    else
      counts="no results: pytest died (exit $rc; 134 = SDK abort, 124 = timeout); see the output above"
    fi
    SUMMARY+=("python $name: $counts (exit $rc)")
    # 5 = no tests collected (e.g. PYTEST_ARGS -k filtered them all out): not a failure
    if [ "$rc" != 0 ] && [ "$rc" != 5 ]; then FAILED=1; fi
  done
}

for s in "${SUITES[@]}"; do
  case "$s" in
    node) run_node ;;
    python) run_python ;;
    *) echo "unknown suite $s (node, python)" >&2; exit 2 ;;
  esac
done

echo
echo "== conformance summary"
for line in "${SUMMARY[@]}"; do echo "   $line"; done
echo "   server logs: $ART/logs/"
exit "$FAILED"
