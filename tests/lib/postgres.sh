# Sourced by test scripts: a throw-away PostgreSQL 15 on 127.0.0.1 (docs/testing.md §6).
#
#   . tests/lib/postgres.sh
#   pg_start            # initdb in a temp dir, start on $PG_PORT, create $PG_DB, export the URL
#   ...                 # PARLONS_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5433/parlons_test
#   pg_stop             # stop the server and delete its directory (also done by the EXIT trap)
#
# initdb/postgres refuse to run as root, hence `su postgres`; the data lives in a fresh temp dir
# (fsync off: nothing here needs to survive a crash). Port 5433 keeps clear of a packaged cluster
# on 5432. Variables (all optional): PG_PORT (5433), PG_DB (parlons_test), PG_BINDIR (the
# PostgreSQL 15 bin directory), PG_KEEP=1 (keep the directory, for post-mortems).

PG_PORT=${PG_PORT:-5433}
PG_DB=${PG_DB:-parlons_test}
PG_BINDIR=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
PG_DIR=
PG_STARTED=

# Runs a PostgreSQL program as the postgres user, from a directory that user can read.
pg__as_postgres() {
  (cd "$PG_DIR" && su postgres -s /bin/sh -c "$*")
}

pg_start() {
  if [ ! -x "$PG_BINDIR/postgres" ]; then
    echo "[postgres] $PG_BINDIR/postgres not found: install PostgreSQL 15 (tests/setup.sh)" >&2
    return 2
  fi
  if ! id postgres > /dev/null 2>&1; then
    echo "[postgres] no 'postgres' user (Debian's postgresql package creates it)" >&2
    return 2
  fi
  if "$PG_BINDIR/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" 2> /dev/null; then
    echo "[postgres] something already answers on 127.0.0.1:$PG_PORT; refusing to share it" >&2
    return 2
  fi
  PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/parlons-pg.XXXXXX")
  chmod 755 "$PG_DIR"
  install -d -o postgres -g postgres -m 700 "$PG_DIR/data" "$PG_DIR/sock" "$PG_DIR/log"
  trap pg_stop EXIT
  # a TERM/INT must still run the EXIT trap (bash skips it when killed by an untrapped signal)
  trap 'exit 143' TERM
  trap 'exit 130' INT
  if ! pg__as_postgres "'$PG_BINDIR/initdb' -D '$PG_DIR/data' -A trust -U postgres -E UTF8 --no-sync" \
      > "$PG_DIR/initdb.log" 2>&1; then
    echo "[postgres] initdb failed:" >&2
    tail -20 "$PG_DIR/initdb.log" >&2
    return 1
  fi
  # -w: pg_ctl returns once the server accepts connections (or fails).
  if ! pg__as_postgres "'$PG_BINDIR/pg_ctl' -D '$PG_DIR/data' -l '$PG_DIR/log/postgres.log' -w -t 30 \
      -o \"-c listen_addresses=127.0.0.1 -c port=$PG_PORT -k $PG_DIR/sock -c fsync=off \
      -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start" > /dev/null; then
    echo "[postgres] the server did not start:" >&2
    tail -20 "$PG_DIR/log/postgres.log" >&2
    return 1
  fi
  PG_STARTED=1
  local i
  for i in $(seq 100); do
    "$PG_BINDIR/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && break
    sleep 0.1
  done
  if ! "$PG_BINDIR/psql" -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
      -c "CREATE DATABASE \"$PG_DB\"" > /dev/null; then
    echo "[postgres] could not create database $PG_DB" >&2
    return 1
  fi
  export PARLONS_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/$PG_DB"
  echo "[postgres] PostgreSQL $("$PG_BINDIR/postgres" --version | awk '{print $3}') ready: $PARLONS_TEST_DATABASE_URL (dir $PG_DIR)" >&2
}

# Runs SQL on the test database: pg_psql -c 'select 1'
pg_psql() {
  "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$PG_DB" "$@"
}

# Stops the server (immediate: the data is thrown away) and removes its directory. Idempotent.
pg_stop() {
  local rc=$?
  if [ -n "$PG_STARTED" ] && [ -n "$PG_DIR" ]; then
    pg__as_postgres "'$PG_BINDIR/pg_ctl' -D '$PG_DIR/data' -m immediate -w -t 20 stop" > /dev/null 2>&1 \
      || echo "[postgres] pg_ctl stop failed; see $PG_DIR/log/postgres.log" >&2
    PG_STARTED=
  fi
  if [ -n "$PG_DIR" ] && [ -d "$PG_DIR" ]; then
    if [ -n "${PG_KEEP:-}" ]; then
      echo "[postgres] kept $PG_DIR (PG_KEEP)" >&2
    else
      rm -rf "$PG_DIR"
    fi
  fi
  PG_DIR=
  return "$rc"
}
