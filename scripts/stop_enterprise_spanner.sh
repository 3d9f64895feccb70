#!/usr/bin/env bash
# Stops exactly what scripts/start_enterprise_spanner.sh started: the processes listed in run/pids, newest first, or
# (Docker deployment, run/mode) the compose project's containers.
# PostgreSQL, Redis and RabbitMQ keep running: they were not started for the spanner alone.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/processes.sh
if [ "$(cat "$RUN/mode" 2>/dev/null)" = docker ]; then
  # The Docker deployment: its containers stop, its volumes (database, broker) stay for the next start.
  if docker compose version >/dev/null 2>&1; then compose=(docker compose); else compose=(docker-compose); fi
  "${compose[@]}" -f docker-compose.enterprise.yml --profile simulator down
  rm -f "$RUN/mode"
  exit 0
fi
[ -s "$RUN/pids" ] || { echo "nothing to stop ($RUN/pids is empty or missing)"; exit 0; }
tac "$RUN/pids" | while read -r pid name; do
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; echo "killed $name (pid $pid)"; else echo "stopped $name (pid $pid)"; fi
  else
    echo "$name (pid $pid) was not running"
  fi
done
: > "$RUN/pids"
