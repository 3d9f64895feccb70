#!/usr/bin/env bash
# The test command: local services and interop peers first, then the whole build with every test.
set -euo pipefail
cd "$(dirname "$0")/.."
# The start script's processes use the same local RabbitMQ (default virtual host) and ports as the tests: its
# coordinator would take the tests' span requests. Refuse instead of failing tests one by one.
RUN=${SPANNER_RUN_DIR:-$(pwd)/run}
if [ -s "$RUN/pids" ]; then
  while read -r pid name; do
    if kill -0 "$pid" 2>/dev/null; then
      echo "the start script's $name (pid $pid) is running and would take the tests' messages:" \
        "run scripts/stop_enterprise_spanner.sh first" >&2
      exit 1
    fi
  done < "$RUN/pids"
fi
scripts/dev-services.sh
exec ./mvnw -B verify "$@"
