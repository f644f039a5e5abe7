#!/usr/bin/env bash
# Fuzzes the product API (/api/v1) from its OpenAPI document with schemathesis: any 5xx answer, a
# server crash or a panic in the server log fails the run. Three passes (anonymous, a signed-in
# session with its CSRF token, a bearer JWT), each bounded in time: about 2.5 minutes in all.
#
#   PARLONS_BIN=target/debug/parlons tests/run-schemathesis.sh
#
# Runs in a fresh loopback-only network namespace, like run-conformance.sh. Environment:
#   PARLONS_BIN / PARLONS_URL          see lib/server.mjs (PARLONS_URL: no session pass)
#   PARLONS_SCHEMATHESIS_MAX_TIME      total seconds for the passes (default 150)
#   PARLONS_SCHEMATHESIS_EXAMPLES      max examples per operation (default 25)
#   PARLONS_SCHEMATHESIS_PASSES        e.g. "anonymous" (default anonymous,session,bearer)
#   SCHEMATHESIS_ARGS, SCHEMATHESIS_SEED   more `schemathesis run` arguments / a fixed seed
# Artifacts: tests/artifacts/schemathesis-*.xml (JUnit), tests/artifacts/logs/schemathesis-*.log.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib/netns.sh
. "$HERE/lib/netns.sh"
parlons_require_server
parlons_enter_netns "$@"

cd "$HERE"
if [ ! -d node_modules ] || [ ! -x .venv/bin/schemathesis ]; then
  echo "dependencies missing: run tests/setup.sh first" >&2
  exit 2
fi
mkdir -p artifacts/logs
rm -f artifacts/schemathesis-*.xml artifacts/logs/schemathesis-*.log
budget=${PARLONS_SCHEMATHESIS_MAX_TIME:-150}
exec timeout --kill-after=10 "$((budget + 120))" node schemathesis/run.mjs
