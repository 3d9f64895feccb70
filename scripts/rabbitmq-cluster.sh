#!/usr/bin/env bash
# A local 3-node RabbitMQ cluster on one machine, beside the machine's own node (rabbit@localhost on 5672, which is
# never touched nor joined). Each node has its own name, AMQP and distribution ports, config file, plugins file (no
# plugins), and mnesia/log folders owned by the rabbitmq user (rabbitmq-server drops to it).
#
#   scripts/rabbitmq-cluster.sh start|stop|status [--base-port P] [--dir D] [--prefix NAME]
#   scripts/rabbitmq-cluster.sh stop-node N|kill-node N|start-node N [--base-port P] [--dir D] [--prefix NAME]
#
# Node N (1..3) is <prefix>-rN@localhost (prefix: spanner), AMQP on 127.0.0.1:P+N-1, distribution on P+8+N-1
# (P defaults to 22672: AMQP 22672-22674, distribution 22680-22682). The folder D defaults to
# /tmp/spanner-rabbit-cluster-P. `start` also creates the user spanner/spanner (administrator, all permissions on
# vhost /); users and vhosts are cluster-wide. `stop` stops the nodes and removes D. `stop-node` stops a node
# cleanly, `kill-node` kills its Erlang VM (SIGKILL) like a crash; `start-node` starts it again on its own data, and it
# rejoins the cluster by itself.
set -euo pipefail

COMMAND=${1:-}
shift || true
NODE_ARG=""
case "$COMMAND" in
  stop-node|kill-node|start-node) NODE_ARG=${1:?"$COMMAND needs a node number 1..3"}; shift ;;
esac
BASE=22672
DIR=""
PREFIX=spanner
while [ $# -gt 0 ]; do
  case "$1" in
    --base-port) BASE=$2; shift 2 ;;
    --dir) DIR=$2; shift 2 ;;
    --prefix) PREFIX=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
DIR=${DIR:-/tmp/spanner-rabbit-cluster-$BASE}
USER_NAME=spanner
USER_PASSWORD=spanner

node_name() { echo "$PREFIX-r$1@localhost"; }
amqp_port() { echo $((BASE + $1 - 1)); }
dist_port() { echo $((BASE + 8 + $1 - 1)); }
ctl() { local n=$1; shift; rabbitmqctl -q -n "$(node_name "$n")" "$@"; }

prepare_node() {
  local n=$1 d="$DIR/r$1"
  mkdir -p "$d/mnesia" "$d/log"
  cat > "$d/node.conf" <<CONF
listeners.tcp.1 = 127.0.0.1:$(amqp_port "$n")
loopback_users = none
CONF
  echo '[].' > "$d/plugins"
  chown -R rabbitmq:rabbitmq "$d"
}

start_node() {
  local n=$1 d="$DIR/r$1"
  [ -f "$d/node.conf" ] || { echo "no folder $d: run start first" >&2; exit 1; }
  RABBITMQ_NODENAME=$(node_name "$n") \
  RABBITMQ_NODE_PORT=$(amqp_port "$n") \
  RABBITMQ_DIST_PORT=$(dist_port "$n") \
  RABBITMQ_CONFIG_FILE="$d/node" \
  RABBITMQ_MNESIA_BASE="$d/mnesia" \
  RABBITMQ_LOG_BASE="$d/log" \
  RABBITMQ_PID_FILE="$d/node.pid" \
  RABBITMQ_ENABLED_PLUGINS_FILE="$d/plugins" \
    rabbitmq-server -detached
  # -detached returns before the node has registered with epmd; await_startup fails until it has
  local i
  for i in $(seq 1 120); do
    if ctl "$n" await_startup --timeout 30 >/dev/null 2>&1; then
      return 0
    fi
    sleep 1
  done
  echo "node $(node_name "$n") did not start; log:" >&2
  tail -n 40 "$d"/log/*.log >&2 || true
  exit 1
}

stop_node() {
  ctl "$1" stop >/dev/null 2>&1 || true
}

kill_node() {
  local pidfile="$DIR/r$1/node.pid"
  [ -s "$pidfile" ] || { echo "no pid file $pidfile" >&2; exit 1; }
  kill -9 "$(cat "$pidfile")"
  # wait until epmd has forgotten the node, so start-node can register the name again
  local i
  for i in $(seq 1 30); do
    epmd -names 2>/dev/null | grep -q "name $PREFIX-r$1 " || return 0
    sleep 1
  done
}

case "$COMMAND" in
  start)
    if ctl 1 status >/dev/null 2>&1; then
      echo "node $(node_name 1) already runs" >&2; exit 1
    fi
    rm -rf "$DIR"
    mkdir -p "$DIR"
    chmod 755 "$DIR"
    for n in 1 2 3; do prepare_node "$n"; done
    for n in 1 2 3; do start_node "$n"; done
    for n in 2 3; do
      ctl "$n" stop_app
      ctl "$n" join_cluster "$(node_name 1)"
      ctl "$n" start_app
    done
    ctl 1 add_user "$USER_NAME" "$USER_PASSWORD" >/dev/null
    ctl 1 set_user_tags "$USER_NAME" administrator >/dev/null
    ctl 1 set_permissions -p / "$USER_NAME" '.*' '.*' '.*' >/dev/null
    echo "addresses=127.0.0.1:$(amqp_port 1),127.0.0.1:$(amqp_port 2),127.0.0.1:$(amqp_port 3)"
    ;;
  stop)
    for n in 3 2 1; do stop_node "$n"; done
    rm -rf "$DIR"
    ;;
  status)
    for n in 1 2 3; do
      if ctl "$n" status >/dev/null 2>&1; then echo "$(node_name "$n") running"; else echo "$(node_name "$n") down"; fi
    done
    for n in 1 2 3; do
      if ctl "$n" cluster_status >/dev/null 2>&1; then
        ctl "$n" cluster_status
        echo
        ctl "$n" list_queues name type leader members
        break
      fi
    done
    ;;
  stop-node) stop_node "$NODE_ARG" ;;
  kill-node) kill_node "$NODE_ARG" ;;
  start-node) start_node "$NODE_ARG" ;;
  *)
    echo "usage: $0 start|stop|status|stop-node N|kill-node N|start-node N [--base-port P] [--dir D] [--prefix NAME]" >&2
    exit 2
    ;;
esac
