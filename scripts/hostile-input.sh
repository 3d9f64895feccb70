#!/usr/bin/env bash
# Hostile input against a running local spanner (scripts/start_enterprise_spanner.sh --local): malformed QIDO-RS
# requests at the api-gateway and malformed PDU streams and associations at the dimse-scp-listener
# (io.dicomspanner.bench.hostile.HostileInput; docs/benchmarks.md, "Hostile input"). Reports crashes, hangs, 5xx
# answers, malformed requests accepted, leaked DICOM connections and heap growth after GC; exits 0 when each is 0.
# Options: --build first builds benchmarks/target/benchmarks.jar; the rest go to the tool (--qido, --dicom,
# --concurrency, --seed, ...; --help lists them). The API key comes from SPANNER_API_KEY, else from the start
# script's $SPANNER_RUN_DIR/secrets (default ./run); the services' pids from its pids file, for a full GC (jcmd)
# before each heap reading.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/jars.sh
. scripts/lib/processes.sh
. scripts/lib/bench-tool.sh
JAR=$(jar_of benchmarks)
MAIN=io.dicomspanner.bench.hostile.HostileInput

bench_tool_wants_build "$@" && shift
bench_tool_setup "$MAIN" "$@"
pid_of() { running_processes | awk -v name="$1" '$2 == name {print $1}' | head -1; }
pids=()
gateway_pid=$(pid_of api-gateway)
listener_pid=$(pid_of dimse-scp-listener)
[ -n "$gateway_pid" ] && pids+=(--gateway-pid "$gateway_pid")
[ -n "$listener_pid" ] && pids+=(--listener-pid "$listener_pid")
exec java -Xmx512m -cp "$JAR" "$MAIN" "${pids[@]}" "$@"
