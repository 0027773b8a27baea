#!/usr/bin/env bash
# A throw-away three-node MariaDB Galera cluster on this machine, for test/cluster/galera.test.ts.
#
#   .ci/galera.sh start   initialise node 1, bootstrap the cluster on it, join nodes 2 and 3 (rsync SST);
#                         prints the three nodes' URLs, one a line
#   .ci/galera.sh stop    shut the nodes down and remove their data directories
#
# Needs Debian's mariadb-server and galera-4. Everything lives in TSMIG_GALERA_DIR (default
# /tmp/tsmig-galera): data directories, sockets, logs. Nodes listen on 127.0.0.1 only, SQL on
# TSMIG_GALERA_PORT+0..2 (default 3311-3313), group communication on 4571-4573, IST on 4581-4583 and SST
# on 4591-4593. The shared server on 3306 is not touched. Root has no password on these nodes.
set -euo pipefail

DIR=${TSMIG_GALERA_DIR:-/tmp/tsmig-galera}
BASE_PORT=${TSMIG_GALERA_PORT:-3311}
PROVIDER=${TSMIG_GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}
NODES=(1 2 3)
READY_TIMEOUT=${TSMIG_GALERA_READY_TIMEOUT:-120}

sql_port() { echo $((BASE_PORT + $1 - 1)); }
gcomm_port() { echo $((4570 + $1)); }
socket() { echo "$DIR/node$1.sock"; }

client() { local node=$1; shift; mariadb --no-defaults --protocol=socket --socket="$(socket "$node")" --user=root "$@"; }

# wait_until SECONDS DESCRIPTION COMMAND...: polls COMMAND once a second.
wait_until() {
  local limit=$1 what=$2 waited=0; shift 2
  until "$@" >/dev/null 2>&1; do
    if (( waited >= limit )); then
      echo "error: $what after ${limit}s; see $DIR/node*.err" >&2
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

synced() { [[ $(client "$1" -N -e "SHOW STATUS LIKE 'wsrep_local_state_comment'" | cut -f2) == Synced ]]; }
cluster_of_three() { [[ $(client "$1" -N -e "SHOW STATUS LIKE 'wsrep_cluster_size'" | cut -f2) == 3 ]]; }

start_node() {
  local node=$1 bootstrap=${2:-} members=() n
  for n in "${NODES[@]}"; do members+=("127.0.0.1:$(gcomm_port "$n")"); done
  local address
  address=$(IFS=,; echo "${members[*]}")
  # mysqld_safe is not used: the node is a plain background process whose pid file `stop` reads.
  setsid /usr/sbin/mariadbd --no-defaults --user=mysql \
    --datadir="$DIR/node$node" --socket="$(socket "$node")" --pid-file="$DIR/node$node.pid" \
    --log-error="$DIR/node$node.err" --port="$(sql_port "$node")" --bind-address=127.0.0.1 \
    --skip-name-resolve --innodb-buffer-pool-size=32M --innodb-log-file-size=16M \
    --binlog-format=ROW --default-storage-engine=InnoDB --innodb-autoinc-lock-mode=2 \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --wsrep-on=ON --wsrep-provider="$PROVIDER" --wsrep-cluster-name=tsmig_test \
    --wsrep-node-name="node$node" --wsrep-node-address="127.0.0.1:$(gcomm_port "$node")" \
    --wsrep-cluster-address="gcomm://$address" \
    --wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:$(gcomm_port "$node");ist.recv_addr=127.0.0.1:$((4580 + node));gcache.size=32M" \
    --wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:$((4590 + node))" \
    ${bootstrap:+--wsrep-new-cluster} </dev/null >/dev/null 2>&1 &
  wait_until "$READY_TIMEOUT" "Galera node $node is not synced" synced "$node"
}

start() {
  if [[ -e $DIR ]]; then
    echo "error: $DIR exists (a cluster is running or was not stopped): run '$0 stop' first" >&2
    exit 1
  fi
  [[ -x /usr/sbin/mariadbd && -f $PROVIDER ]] || { echo "error: needs Debian's mariadb-server and galera-4 (apt-get install -y mariadb-server galera-4)" >&2; exit 1; }
  mkdir -p "$DIR"
  local n
  for n in "${NODES[@]}"; do mkdir -p "$DIR/node$n"; done
  chown -R mysql:mysql "$DIR"
  mariadb-install-db --no-defaults --user=mysql --datadir="$DIR/node1" --auth-root-authentication-method=normal \
    --skip-test-db >"$DIR/install.log" 2>&1 || { cat "$DIR/install.log" >&2; exit 1; }
  start_node 1 bootstrap
  # Tests connect over TCP from 127.0.0.1, which root@localhost does not cover; the grant replicates.
  client 1 -e "CREATE USER IF NOT EXISTS root@'127.0.0.1'; GRANT ALL ON *.* TO root@'127.0.0.1' WITH GRANT OPTION"
  start_node 2
  start_node 3
  wait_until "$READY_TIMEOUT" "the cluster has not three members" cluster_of_three 1
  for n in "${NODES[@]}"; do echo "mysql://root@127.0.0.1:$(sql_port "$n")"; done
}

stop() {
  local n pid
  # Joiners first, the bootstrap node last, each waited for, so no node is left running.
  for n in 3 2 1; do
    [[ -f $DIR/node$n.pid ]] || continue
    pid=$(cat "$DIR/node$n.pid")
    kill "$pid" 2>/dev/null || true
    wait_until 60 "Galera node $n (pid $pid) does not stop" bash -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$DIR"
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
