#!/usr/bin/env bash
# A throw-away PgBouncer in transaction pooling mode, for test/clusters/pgbouncer.test.ts.
#
#   .ci/pgbouncer.sh start   starts it in front of the PostgreSQL server at TSMIG_PGBOUNCER_UPSTREAM
#                            (default 127.0.0.1:5432; every database, the client's user); prints its URL
#   .ci/pgbouncer.sh stop    stops it and removes its directory
#
# Needs Debian's pgbouncer. Config, log and pid file live in TSMIG_PGBOUNCER_DIR (default
# /tmp/tsmig-pgbouncer); it listens on 127.0.0.1:TSMIG_PGBOUNCER_PORT (default 6439) and trusts the
# users of its user list (postgres), as the local server does. Four server connections per database and
# user, so that concurrent clients really share them. The PostgreSQL server is not touched.
set -euo pipefail

DIR=${TSMIG_PGBOUNCER_DIR:-/tmp/tsmig-pgbouncer}
PORT=${TSMIG_PGBOUNCER_PORT:-6439}
UPSTREAM=${TSMIG_PGBOUNCER_UPSTREAM:-127.0.0.1:5432}
RUN_AS=${TSMIG_PGBOUNCER_USER:-postgres}

ready() { pg_isready -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres; }

start() {
  if [[ -e $DIR ]]; then
    echo "error: $DIR exists (PgBouncer is running or was not stopped): run '$0 stop' first" >&2
    exit 1
  fi
  command -v pgbouncer >/dev/null || { echo "error: needs Debian's pgbouncer (apt-get install -y pgbouncer)" >&2; exit 1; }
  mkdir -p "$DIR"
  cat >"$DIR/pgbouncer.ini" <<INI
[databases]
* = host=${UPSTREAM%:*} port=${UPSTREAM##*:}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PORT
unix_socket_dir =
auth_type = trust
auth_file = $DIR/userlist.txt
pool_mode = transaction
default_pool_size = 4
max_client_conn = 200
logfile = $DIR/pgbouncer.log
pidfile = $DIR/pgbouncer.pid
INI
  echo '"postgres" ""' >"$DIR/userlist.txt"
  # PgBouncer refuses to run as root: -u drops to RUN_AS, which must read the directory.
  chown -R "$RUN_AS" "$DIR"
  local user_flag=()
  [[ $(id -u) == 0 ]] && user_flag=(-u "$RUN_AS")
  pgbouncer -d "${user_flag[@]}" "$DIR/pgbouncer.ini" >"$DIR/start.log" 2>&1 || { cat "$DIR/start.log" "$DIR/pgbouncer.log" >&2 2>/dev/null; exit 1; }
  local waited=0
  until ready; do
    if (( waited >= 30 )); then echo "error: PgBouncer is not ready after 30s; see $DIR/pgbouncer.log" >&2; exit 1; fi
    sleep 1
    waited=$((waited + 1))
  done
  echo "postgresql://postgres@127.0.0.1:$PORT"
}

stop() {
  if [[ -f $DIR/pgbouncer.pid ]]; then
    local pid waited=0
    pid=$(cat "$DIR/pgbouncer.pid")
    kill "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && (( waited < 30 )); do sleep 1; waited=$((waited + 1)); done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$DIR"
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
