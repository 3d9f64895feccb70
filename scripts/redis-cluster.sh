#!/usr/bin/env bash
# A local Redis Cluster on loopback: 6 nodes, 3 masters with one replica each, for trying the spanner on a cluster
# and for the tests that do.
#
#   scripts/redis-cluster.sh start      [--base-port P] [--dir D] [--password PW] [--node-timeout MS] [--tls-...]
#   scripts/redis-cluster.sh stop       [--base-port P] [--dir D]
#   scripts/redis-cluster.sh status     [--base-port P] [--dir D] [--password PW]
#   scripts/redis-cluster.sh kill-master [--base-port P] [--dir D] [--password PW] [--port Q]
#
# Nodes listen on 127.0.0.1:P .. P+5 (default P=27000), their cluster bus on P+50 .. P+55 (not Redis' usual +10000,
# which lands in Linux's ephemeral port range), and keep their files in D (default /tmp/redis-cluster-P).
# --password: the default user is switched off and an ACL user "spanner" with that password gets every right; the
#   nodes authenticate to each other with it (masteruser/masterauth). Without it the nodes are open (loopback only).
# --tls-cert F --tls-key F --tls-ca F: the nodes speak TLS only (clients, replication and the cluster bus), with this
#   certificate (it must name 127.0.0.1) and key; clients are not asked for certificates. Give the same three to every
#   action.
# --node-timeout: cluster-node-timeout in ms (default 15000; tests lower it so a failover takes seconds).
# start waits until every node says cluster_state:ok and prints the nodes (host:port,...), the line
#   SPRING_DATA_REDIS_CLUSTER_NODES takes.
# kill-master stops one master with "shutdown nosave" (the one on --port, else the first master found) and prints its
#   port; its replica takes over after the node timeout.
set -euo pipefail

USER_NAME=spanner
action=${1:-}
[ -n "$action" ] && shift
base=27000
dir=""
password=""
node_timeout=15000
kill_port=""
tls_cert=""
tls_key=""
tls_ca=""
while [ $# -gt 0 ]; do
  case "$1" in
    --base-port) base=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --password) password=$2; shift 2 ;;
    --node-timeout) node_timeout=$2; shift 2 ;;
    --port) kill_port=$2; shift 2 ;;
    --tls-cert) tls_cert=$2; shift 2 ;;
    --tls-key) tls_key=$2; shift 2 ;;
    --tls-ca) tls_ca=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$dir" ] || dir=/tmp/redis-cluster-$base
ports=()
for i in 0 1 2 3 4 5; do ports+=($((base + i))); done

tls_cli=()
if [ -n "$tls_ca" ]; then tls_cli=(--tls --cacert "$tls_ca"); fi

cli() { # cli PORT ARGS...
  local port=$1; shift
  if [ -n "$password" ]; then
    REDISCLI_AUTH=$password redis-cli "${tls_cli[@]}" --user "$USER_NAME" --no-auth-warning -h 127.0.0.1 -p "$port" "$@"
  else
    redis-cli "${tls_cli[@]}" -h 127.0.0.1 -p "$port" "$@"
  fi
}

cluster_ok() {
  local p
  for p in "${ports[@]}"; do
    cli "$p" cluster info 2>/dev/null | grep -q '^cluster_state:ok' || return 1
  done
}

nodes_line() {
  local out="" p
  for p in "${ports[@]}"; do out="$out${out:+,}127.0.0.1:$p"; done
  echo "$out"
}

start() {
  mkdir -p "$dir"
  local p
  for p in "${ports[@]}"; do
    if [ -f "$dir/$p.pid" ] && kill -0 "$(cat "$dir/$p.pid")" 2>/dev/null; then
      echo "node $p already running (pid $(cat "$dir/$p.pid"))" >&2
      exit 1
    fi
    rm -f "$dir/nodes-$p.conf" "$dir/$p.pid"
    local auth=()
    if [ -n "$password" ]; then
      # the ACL user the services and the other nodes sign in as; the default user is off
      auth=(--user default off --user "$USER_NAME" on ">$password" '~*' '&*' '+@all'
        --masteruser "$USER_NAME" --masterauth "$password")
    fi
    local listen=(--port "$p")
    if [ -n "$tls_cert" ]; then
      listen=(--port 0 --tls-port "$p" --tls-cluster yes --tls-replication yes --tls-cert-file "$tls_cert"
        --tls-key-file "$tls_key" --tls-ca-cert-file "$tls_ca" --tls-auth-clients no)
    fi
    redis-server "${listen[@]}" --bind 127.0.0.1 --cluster-enabled yes --cluster-port $((p + 50)) --cluster-config-file "nodes-$p.conf" \
      --cluster-node-timeout "$node_timeout" --dir "$dir" --save '' --appendonly no \
      --daemonize yes --pidfile "$dir/$p.pid" --logfile "$dir/$p.log" "${auth[@]}"
  done
  for p in "${ports[@]}"; do
    for _ in $(seq 1 100); do
      cli "$p" ping 2>/dev/null | grep -q PONG && break
      sleep 0.1
    done
  done
  local create=()
  for p in "${ports[@]}"; do create+=("127.0.0.1:$p"); done
  if [ -n "$password" ]; then
    REDISCLI_AUTH=$password redis-cli "${tls_cli[@]}" --user "$USER_NAME" --no-auth-warning \
      --cluster create "${create[@]}" --cluster-replicas 1 --cluster-yes >"$dir/create.log"
  else
    redis-cli "${tls_cli[@]}" --cluster create "${create[@]}" --cluster-replicas 1 --cluster-yes >"$dir/create.log"
  fi
  for _ in $(seq 1 300); do
    if cluster_ok; then
      nodes_line
      return 0
    fi
    sleep 0.1
  done
  echo "cluster not ok after 30 s, see $dir" >&2
  exit 1
}

stop() {
  local p
  for p in "${ports[@]}"; do
    if [ -f "$dir/$p.pid" ]; then
      local pid
      pid=$(cat "$dir/$p.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$dir/$p.pid"
    fi
  done
}

status() {
  local p
  for p in "${ports[@]}"; do
    local role state
    role=$(cli "$p" role 2>/dev/null | head -1 || true)
    state=$(cli "$p" cluster info 2>/dev/null | grep '^cluster_state' | tr -d '\r' || true)
    echo "127.0.0.1:$p ${role:-down} ${state}"
  done
  cluster_ok
}

kill_master() {
  local p victim=$kill_port
  if [ -z "$victim" ]; then
    for p in "${ports[@]}"; do
      if [ "$(cli "$p" role 2>/dev/null | head -1)" = master ]; then victim=$p; break; fi
    done
  fi
  [ -n "$victim" ] || { echo "no master answers" >&2; exit 1; }
  cli "$victim" shutdown nosave >/dev/null 2>&1 || true
  rm -f "$dir/$victim.pid"
  echo "$victim"
}

case "$action" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  kill-master) kill_master ;;
  *) echo "usage: $0 start|stop|status|kill-master [--base-port P] [--dir D] [--password PW] [--node-timeout MS] [--port Q] [--tls-cert F --tls-key F --tls-ca F]" >&2; exit 2 ;;
esac
