#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL 15 on 127.0.0.1:5433 and
# PARLONS_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5433/parlons_test set, inside a fresh
# network namespace holding only loopback (so nothing else listens there and nothing leaves the
# machine). PostgreSQL is stopped and its directory deleted when the command ends, pass or fail.
#
#   tests/with-postgres.sh cargo test --workspace --locked --offline
#
# Root is needed (unshare -n, su postgres). PARLONS_NO_NETNS=1 runs in the current namespace
# (then 127.0.0.1:5433 must be free). The exit status is the command's.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi
if [ -z "${WITH_POSTGRES_IN_NETNS:-}" ] && [ -z "${PARLONS_NO_NETNS:-}" ]; then
  exec unshare -n env WITH_POSTGRES_IN_NETNS=1 "$0" "$@"
fi
[ -n "${WITH_POSTGRES_IN_NETNS:-}" ] && ip link set lo up
# shellcheck source=lib/postgres.sh
. "$HERE/lib/postgres.sh"
pg_start
set +e
"$@"
rc=$?
set -e
pg_stop
exit "$rc"
