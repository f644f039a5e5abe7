# Sourced by the run-*.sh scripts: re-executes the calling script inside a fresh network
# namespace that has only loopback (docs/testing.md §3), so nothing a test starts can reach
# anything but 127.0.0.1. Needs root (or CAP_SYS_ADMIN) for `unshare -n`.
#
# PARLONS_URL (a server started outside) cannot be reached from a fresh namespace: with it, or
# with PARLONS_NO_NETNS=1, the suite runs in the current namespace instead (your responsibility).

parlons_enter_netns() {
  if [ -n "${PARLONS_IN_NETNS:-}" ]; then
    ip link set lo up
    # libwebrtc in the Python/Rust SDK ignores loopback when it gathers ICE candidates: with lo
    # alone it has none and never connects. A veth pair whose both ends stay in this namespace
    # gives it an address (198.18.0.0/15, the benchmarking range); nothing routes out of here.
    ip link add pv0 type veth peer name pv1
    ip addr add 198.18.0.1/24 dev pv0
    ip link set pv0 up
    ip link set pv1 up
    return 0
  fi
  if [ -n "${PARLONS_URL:-}" ] || [ -n "${PARLONS_NO_NETNS:-}" ]; then
    echo "[netns] PARLONS_URL or PARLONS_NO_NETNS set: running in the current network namespace" >&2
    return 0
  fi
  if ! command -v unshare > /dev/null; then
    echo "[netns] unshare not found (util-linux)" >&2
    exit 2
  fi
  echo "[netns] re-running $0 in a new network namespace (loopback only)" >&2
  exec unshare -n env PARLONS_IN_NETNS=1 "$0" "$@"
}

# Resolves PARLONS_BIN to an absolute path (or fails), unless PARLONS_URL is used.
parlons_require_server() {
  if [ -n "${PARLONS_URL:-}" ]; then
    return 0
  fi
  if [ -z "${PARLONS_BIN:-}" ]; then
    echo "set PARLONS_BIN to the parlons binary (or PARLONS_URL to a running server)" >&2
    exit 2
  fi
  if [ ! -x "$PARLONS_BIN" ]; then
    echo "PARLONS_BIN=$PARLONS_BIN is not an executable file" >&2
    exit 2
  fi
  PARLONS_BIN=$(realpath "$PARLONS_BIN")
  export PARLONS_BIN
}
