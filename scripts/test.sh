#!/usr/bin/env bash
# The test command: local services and interop peers first, then the whole build with every test.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/processes.sh
# The start script's processes use the same local RabbitMQ (default virtual host) and ports as the tests: its
# coordinator would take the tests' span requests. Refuse instead of failing tests one by one.
running=$(first_running_process)
if [ -n "$running" ]; then
  echo "the start script's ${running#* } (pid ${running%% *}) is running and would take the tests' messages:" \
    "run scripts/stop_enterprise_spanner.sh first" >&2
  exit 1
fi
scripts/dev-services.sh
exec ./mvnw -B verify "$@"
