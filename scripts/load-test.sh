#!/usr/bin/env bash
# Spanning-latency load test against a running spanner (scripts/start_enterprise_spanner.sh): concurrent QIDO-RS
# clients (unique queries = cache misses, one repeated query = cache hits), compared with asking each PACS alone one
# after the other. Prints Markdown tables; docs/benchmarks.md shows the figures and how to read them.
#
# Options: see --help (passed to the tool). --build first builds benchmarks/target/benchmarks.jar.
# The API key comes from SPANNER_API_KEY, else from the start script's $SPANNER_RUN_DIR/secrets (default ./run); the
# baseline reads the config's sources through the admin API, so the key needs the admin scope.
# LOAD_TEST_JAVA_OPTS is passed to the tool's JVM (e.g. -Xlog:gc:file=lt-gc.log to see its own GC pauses).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/jars.sh
. scripts/lib/processes.sh
JAR=$(jar_of benchmarks)

if [ "${1:-}" = --build ]; then
  shift
  ./mvnw -B -q -pl benchmarks -am package -DskipTests
fi
if [ ! -f "$JAR" ]; then
  echo "no $JAR: run with --build first (or ./mvnw -B -q -pl benchmarks -am package -DskipTests)" >&2
  exit 2
fi
if [ -z "${SPANNER_API_KEY:-}" ] && [ -f "$RUN/secrets" ]; then
  SPANNER_API_KEY=$(sed -n 's/^SPANNER_BOOTSTRAP_API_KEY=//p' "$RUN/secrets")
fi
export SPANNER_API_KEY=${SPANNER_API_KEY:-}
# CPU time per query of each part
. scripts/lib/cpu-pids.sh
case " $* " in
  *" --help "*|*" -h "*) exec java -cp "$JAR" io.dicomspanner.bench.load.LoadTest --help ;;
esac
exec java ${LOAD_TEST_JAVA_OPTS:-} -cp "$JAR" io.dicomspanner.bench.load.LoadTest ${CPU_PIDS:+--cpu-pids "$CPU_PIDS"} "$@"
