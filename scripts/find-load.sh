#!/usr/bin/env bash
# DIMSE spanning-latency load test against a running spanner (scripts/start_enterprise_spanner.sh): findscu-style
# clients, each query a study-level C-FIND of its own through the dimse-scp-listener, each measured against the
# slowest PACS of that very query (io.dicomspanner.bench.dimse.FindLoad; docs/benchmarks.md, "DIMSE front door").
#
# Asks the config "Bench no cache" (made here when absent: cache off, first_wins, partial_results, the PACS of
# "Enterprise Production" in the same order, SCP AE title SPANNER_BENCH), so every query asks every PACS.
# Options: --build first builds benchmarks/target/benchmarks.jar; the rest go to the tool (--clients, --queries,
# --seed, --port, ...; --help lists them). The admin API key comes from SPANNER_API_KEY, else from the start
# script's $SPANNER_RUN_DIR/secrets (default ./run).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/jars.sh
. scripts/lib/processes.sh
. scripts/lib/bench-tool.sh
. scripts/lib/admin-api.sh
JAR=$(jar_of benchmarks)
API=${SPANNER_GATEWAY:-http://localhost:8001}/api/v1
CONFIG_NAME="Bench no cache"
SCP_AE=SPANNER_BENCH

bench_tool_wants_build "$@" && shift
bench_tool_setup io.dicomspanner.bench.dimse.FindLoad "$@"
API_KEY=$SPANNER_API_KEY

config_id=$(find_id config/spanner "$CONFIG_NAME")
if [ -z "$config_id" ]; then
  production=$(find_id config/spanner "Enterprise Production")
  if [ -z "$production" ]; then
    echo "no config \"Enterprise Production\" to take the PACS from: start the stack with the simulator first" >&2
    exit 1
  fi
  config_id=$(api_create config/spanner/ "{\"name\": \"$CONFIG_NAME\",
    \"description\": \"FindLoad: every query asks every PACS (no cache)\", \"max_concurrent_sources\": 8,
    \"timeout_seconds\": 30, \"retry_attempts\": 2, \"failure_strategy\": \"partial_results\",
    \"deduplication_enabled\": true, \"deduplication_strategy\": \"first_wins\", \"enterprise_mode\": true,
    \"cache_ttl_seconds\": 0, \"scp_ae_title\": \"$SCP_AE\"}")
  # each mapping of the production config, in priority order: {"id":..,"config_id":..,"source_type":"..",
  # "source_id":..,"priority":..,...}
  api "$API/config/spanner/$production/sources/?size=500" | sed 's/"source_type":/\n&/g' |
    sed -n 's/^"source_type":"\([a-z_]*\)","source_id":\([0-9]*\),"priority":\([0-9]*\).*/\1 \2 \3/p' | sort -k3n |
  while read -r type source priority; do
    api -X POST "$API/config/spanner/$config_id/sources/" \
      -d "{\"source_type\": \"$type\", \"source_id\": $source, \"priority\": $priority}" > /dev/null
  done
  echo "[find-load] created config \"$CONFIG_NAME\" (id $config_id), SCP AE title $SCP_AE, with the PACS of config $production" >&2
fi
# CPU time per query of each part
. scripts/lib/cpu-pids.sh
exec java -cp "$JAR" io.dicomspanner.bench.dimse.FindLoad --config "$config_id" --called "$SCP_AE" \
  ${CPU_PIDS:+--cpu-pids "$CPU_PIDS"} "$@"
