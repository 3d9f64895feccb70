#!/usr/bin/env bash
# The test command: local services and interop peers first, then the whole build with every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/dev-services.sh
exec ./mvnw -B verify "$@"
