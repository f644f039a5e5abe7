#!/usr/bin/env bash
# Installs what the black-box tests need, idempotently (Debian 12, as root):
#   apt: chromium (Debian's; no browser is ever downloaded by playwright), postgresql (15: the
#        store contract suite's throw-away server, lib/postgres.sh), node/npm/python checks
#   npm: `npm ci` in tests/ (exact versions from package-lock.json: livekit-client, oidc-provider, …)
#   pip: a virtualenv in tests/.venv with conformance/python/requirements.txt and
#        schemathesis/requirements.txt, pinned by their constraints.txt
# Each part is skipped when already in place, so a re-run takes about a second.
# SETUP_SKIP_APT=1 skips apt (no root, or everything already there).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$HERE"

need() { command -v "$1" > /dev/null || { echo "setup: $1 is required ($2)" >&2; exit 2; }; }

if [ -z "${SETUP_SKIP_APT:-}" ]; then
  missing=()
  command -v chromium > /dev/null || missing+=(chromium)
  command -v ffmpeg > /dev/null || missing+=(ffmpeg)
  python3 -c 'import venv, ensurepip' 2> /dev/null || missing+=(python3-venv)
  command -v unshare > /dev/null || missing+=(util-linux)
  command -v ip > /dev/null || missing+=(iproute2)
  # Debian 12's postgresql is 15; lib/postgres.sh runs /usr/lib/postgresql/15/bin/* directly.
  { [ -x /usr/lib/postgresql/15/bin/postgres ] && [ -x /usr/lib/postgresql/15/bin/pg_ctl ]; } || missing+=(postgresql)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: apt-get install ${missing[*]}"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  fi
fi

need node "Node.js >= 20.10"
need npm "npm"
need python3 "Python >= 3.11"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=10)?0:1)' \
  || { echo "setup: Node.js >= 20.10 is required (have $(node --version))" >&2; exit 2; }

# npm ci is idempotent but slow-ish: skip it when node_modules matches the lockfile already.
stamp=node_modules/.parlons-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi

reqs=conformance/python/requirements.txt
cons=conformance/python/constraints.txt
streqs=schemathesis/requirements.txt
stcons=schemathesis/constraints.txt
pystamp=.venv/.parlons-reqs.sha256
pywant=$(cat "$reqs" "$cons" "$streqs" "$stcons" | sha256sum | cut -d' ' -f1)
if [ ! -x .venv/bin/python ]; then
  echo "setup: python3 -m venv tests/.venv"
  python3 -m venv .venv
fi
if [ ! -f "$pystamp" ] || [ "$(cat "$pystamp")" != "$pywant" ]; then
  echo "setup: pip install -r $reqs -r $streqs -c $cons -c $stcons"
  .venv/bin/pip install --quiet --disable-pip-version-check -r "$reqs" -r "$streqs" -c "$cons" -c "$stcons"
  echo "$pywant" > "$pystamp"
fi

echo "setup: ok (chromium: $(command -v chromium || echo 'not installed'), node $(node --version), $(.venv/bin/python --version), \
$(.venv/bin/schemathesis --version 2> /dev/null || echo 'schemathesis missing'), \
postgres $(/usr/lib/postgresql/15/bin/postgres --version 2> /dev/null | awk '{print $3}' || echo 'not installed'))"
