#!/usr/bin/env bash
# Start a throw-away PostgreSQL server on 127.0.0.1 for the store tests and benchmarks.
# Installs the server with apt when it is missing. Prints the DATABASE URL to use.
#   eval "$(scripts/postgres.sh start)"   -> exports TEST_POSTGRES_URL
#   scripts/postgres.sh stop
set -euo pipefail
PGPORT="${PGPORT:-54329}"
PGDATA="${PGDATA:-/tmp/studybot-pg}"
find_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}
as_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}
case "${1:-start}" in
  start)
    BIN=$(find_bin || true)
    if [ -z "$BIN" ]; then
      echo "installing PostgreSQL with apt..." >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
      BIN=$(find_bin)
    fi
    if ! as_pg "$BIN/pg_ctl -D $PGDATA status" >/dev/null 2>&1; then
      rm -rf "$PGDATA"; mkdir -p "$PGDATA"
      [ "$(id -u)" = 0 ] && chown postgres "$PGDATA"
      as_pg "$BIN/initdb -D $PGDATA -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >&2
      as_pg "$BIN/pg_ctl -D $PGDATA -l $PGDATA/server.log -o '-c listen_addresses=127.0.0.1 -p $PGPORT -k /tmp -c fsync=off' -w start" >&2
      as_pg "$BIN/createdb -h 127.0.0.1 -p $PGPORT -U postgres studybot" >&2
    fi
    echo "export TEST_POSTGRES_URL=postgresql+asyncpg://postgres@127.0.0.1:$PGPORT/studybot"
    ;;
  stop)
    BIN=$(find_bin) && as_pg "$BIN/pg_ctl -D $PGDATA -m fast stop" >&2 || true
    ;;
esac
