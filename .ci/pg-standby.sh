#!/usr/bin/env bash
# A throw-away PostgreSQL hot standby of the local server, for test/clusters/hot-standby.test.ts.
#
#   .ci/pg-standby.sh start   pg_basebackup of the primary at TSMIG_PG_STANDBY_PRIMARY (default
#                             127.0.0.1:5432, user postgres), started as a streaming replica on
#                             127.0.0.1:TSMIG_PG_STANDBY_PORT (default 5439); prints its URL
#   .ci/pg-standby.sh stop    stops it, removes its directory and undoes the change below, if made
#
# The data directory, config and log live in TSMIG_PG_STANDBY_DIR (default /tmp/tsmig-pg-standby), owned
# by the postgres account. The primary is not stopped or restarted. One change to it may be needed: a
# replication connection needs a pg_hba.conf line of its own ("all" does not cover it). When the primary
# refuses one from 127.0.0.1, start appends
#     host replication postgres 127.0.0.1/32 trust   # added by tsmig .ci/pg-standby.sh
# to its hba_file and reloads it (pg_reload_conf(): no restart, sessions go on); stop removes that line
# and reloads again. The primary must have wal_level replica and a free WAL sender (Debian's defaults).
set -euo pipefail

DIR=${TSMIG_PG_STANDBY_DIR:-/tmp/tsmig-pg-standby}
PORT=${TSMIG_PG_STANDBY_PORT:-5439}
PRIMARY=${TSMIG_PG_STANDBY_PRIMARY:-127.0.0.1:5432}
PRIMARY_HOST=${PRIMARY%:*} PRIMARY_PORT=${PRIMARY##*:}
HBA_MARK='# added by tsmig .ci/pg-standby.sh'
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

as_postgres() { if [[ $(id -un) == postgres ]]; then "$@"; else runuser -u postgres -- "$@"; fi; }
primary_sql() { psql -X -At -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -d postgres -c "$1"; }
replication_allowed() { psql -X -At "host=$PRIMARY_HOST port=$PRIMARY_PORT user=postgres replication=true" -c IDENTIFY_SYSTEM >/dev/null 2>&1; }
in_recovery() { [[ $(psql -X -At -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -c 'SELECT pg_is_in_recovery()' 2>/dev/null) == t ]]; }

allow_replication() {
  replication_allowed && return 0
  local hba
  hba=$(primary_sql 'SHOW hba_file')
  [[ -z $(tail -c 1 "$hba") ]] || echo >>"$hba"
  echo "host replication postgres 127.0.0.1/32 trust   $HBA_MARK" >>"$hba"
  primary_sql 'SELECT pg_reload_conf()' >/dev/null
  echo "$hba" >"$DIR/hba-changed"
  echo "note: appended a replication line to $hba and reloaded the primary; '$0 stop' removes it" >&2
  local waited=0
  until replication_allowed; do
    if (( waited >= 10 )); then echo "error: the primary still refuses replication connections from 127.0.0.1 (see $hba)" >&2; return 1; fi
    sleep 1
    waited=$((waited + 1))
  done
}

start() {
  if [[ -e $DIR ]]; then
    echo "error: $DIR exists (a standby is running or was not stopped): run '$0 stop' first" >&2
    exit 1
  fi
  [[ -n $BIN ]] || { echo "error: needs Debian's postgresql server binaries (/usr/lib/postgresql/*/bin)" >&2; exit 1; }
  mkdir -p "$DIR"
  chown postgres "$DIR"
  allow_replication
  # -R writes standby.signal and primary_conninfo: the copy starts as a streaming replica.
  as_postgres "$BIN/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -D "$DIR/data" -R -X stream -c fast --no-sync
  # Debian keeps the server's config outside the data directory, so the copy gets its own. A standby
  # must allow at least as many connections, workers, ... as its primary; fsync is off for a copy that
  # is thrown away (it also spares the start a sync of the whole directory).
  {
    printf "listen_addresses = '127.0.0.1'\nport = %s\nunix_socket_directories = '%s'\nhot_standby = on\nshared_buffers = 32MB\nfsync = off\n" "$PORT" "$DIR"
    primary_sql "SELECT name || ' = ' || setting FROM pg_settings WHERE name IN ('max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction')"
  } | as_postgres tee "$DIR/data/postgresql.conf" >/dev/null
  as_postgres tee "$DIR/data/pg_hba.conf" >/dev/null <<HBA
local all all trust
host all all 127.0.0.1/32 trust
HBA
  as_postgres touch "$DIR/data/pg_ident.conf"
  as_postgres "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/standby.log" -w -t 60 start >/dev/null
  local waited=0
  until in_recovery; do
    if (( waited >= 60 )); then echo "error: the standby is not accepting reads after 60s; see $DIR/standby.log" >&2; exit 1; fi
    sleep 1
    waited=$((waited + 1))
  done
  echo "postgresql://postgres@127.0.0.1:$PORT"
}

stop() {
  if [[ -f $DIR/data/postmaster.pid ]]; then
    as_postgres "$BIN/pg_ctl" -D "$DIR/data" -m fast -w -t 60 stop >/dev/null || true
  fi
  if [[ -f $DIR/hba-changed ]]; then
    local hba
    hba=$(cat "$DIR/hba-changed")
    sed -i "\\|$HBA_MARK|d" "$hba"
    primary_sql 'SELECT pg_reload_conf()' >/dev/null
  fi
  rm -rf "$DIR"
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
