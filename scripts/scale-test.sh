#!/usr/bin/env bash
# How the spanner's overhead, CPU per query and memory grow with the number of sources: starts the local stack afresh
# with N simulated PACS (latencies spread over 50-150 ms), lets the spanning config ask all of them at once, runs the
# load tool, and stops the stack. docs/benchmarks.md ("Enterprise scale: where it stands") shows the figures.
#
#   scripts/scale-test.sh --pacs N [--clients C] [--think-ms MS] [--duration-s S]
#
# Defaults: 20 clients thinking 1 s, 60 s measured, unique queries, after a 25 s warm-up of 50 closed-loop clients.
# The run has a database (spanner_scale_N, dropped and created again), a RabbitMQ virtual host (spanner-scale) and a
# Redis database (SPANNER_SCALE_REDIS_DB, default 6, flushed) of its own, and a run folder /tmp/spanner-scale-N, so
# it touches neither a running demo nor the tests. The load tool's report goes to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/admin-api.sh

PACS= CLIENTS=20 THINK_MS=1000 DURATION_S=60
while [ $# -gt 0 ]; do
  case $1 in
    --pacs) PACS=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --think-ms) THINK_MS=$2; shift 2 ;;
    --duration-s) DURATION_S=$2; shift 2 ;;
    *) sed -n '2,11p' "$0" >&2; exit 2 ;;
  esac
done
[ -n "$PACS" ] || { sed -n '2,11p' "$0" >&2; exit 2; }

REDIS_DB=${SPANNER_SCALE_REDIS_DB:-6}
export SPANNER_RUN_DIR=/tmp/spanner-scale-$PACS
export SPRING_RABBITMQ_VIRTUAL_HOST=spanner-scale SPRING_DATA_REDIS_DATABASE=$REDIS_DB
export SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:5432/spanner_scale_$PACS

log() { printf '[scale-test] %s\n' "$*" >&2; }

scripts/stop_enterprise_spanner.sh > /dev/null 2>&1 || true
rabbitmqctl -q add_vhost spanner-scale 2> /dev/null || true
rabbitmqctl -q set_permissions -p spanner-scale guest '.*' '.*' '.*'
redis-cli -n "$REDIS_DB" flushdb > /dev/null
psql -h 127.0.0.1 -U postgres -q -c "drop database if exists spanner_scale_$PACS" \
  -c "create database spanner_scale_$PACS" postgres
log "starting $PACS simulated PACS and the services (log: $SPANNER_RUN_DIR/start.log)"
mkdir -p "$SPANNER_RUN_DIR"
scripts/start_enterprise_spanner.sh --local --no-build --pacs "$PACS" --latency-spread 50-150 \
  > "$SPANNER_RUN_DIR/start.log" 2>&1 || { tail -5 "$SPANNER_RUN_DIR/start.log" >&2; exit 1; }
trap 'scripts/stop_enterprise_spanner.sh > /dev/null 2>&1' EXIT

API=http://localhost:8001/api/v1
API_KEY=$(sed -n 's/^SPANNER_BOOTSTRAP_API_KEY=//p' "$SPANNER_RUN_DIR/secrets")
CONFIG_ID=$(find_id config/spanner "Enterprise Production")
# every source asked at once (max_concurrent_sources allows 1-256)
body=$(api "$API/config/spanner/$CONFIG_ID" | python3 -c '
import json, sys
c = json.load(sys.stdin)
keep = ["name", "description", "enabled", "max_concurrent_sources", "timeout_seconds", "retry_attempts", "failure_strategy",
        "minimum_success_threshold", "deduplication_enabled", "deduplication_strategy", "enterprise_mode", "scp_ae_title", "allowed_calling_ae_titles", "include_locations",
        "include_tags", "cache_ttl_seconds"]
body = {k: c[k] for k in keep if c.get(k) is not None}
body["max_concurrent_sources"] = min(256, max(8, int(sys.argv[1])))
print(json.dumps(body))' "$PACS")
api -X PUT "$API/config/spanner/$CONFIG_ID" -d "$body" > /dev/null
log "config $CONFIG_ID asks its $PACS sources at once"
sleep 12 # the coordinators' config cache

export SPANNER_API_KEY=$API_KEY
scripts/load-test.sh --config "$CONFIG_ID" --clients 50 --think-ms 0 --warmup-s 5 --duration-s 25 \
  --baseline-queries 0 --repeated-share 0 > "$SPANNER_RUN_DIR/warm-up.txt"
scripts/load-test.sh --config "$CONFIG_ID" --clients "$CLIENTS" --think-ms "$THINK_MS" --warmup-s 10 \
  --duration-s "$DURATION_S" --baseline-queries 0 --repeated-share 0 --rabbitmq-vhost spanner-scale
