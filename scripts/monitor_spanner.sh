#!/usr/bin/env bash
# A live terminal view of the DICOM Query Spanner: query rate and outcomes, latency, cache, workers, the SCP
# listener's C-FINDs, queue depths and each PACS (docs/operations.md). `--help` lists the options; `--once` prints
# one report and exits. The program is scripts/monitor/monitor_spanner.py (Python 3, standard library only).
exec /usr/bin/python3 "$(dirname "$0")/monitor/monitor_spanner.py" "$@"
