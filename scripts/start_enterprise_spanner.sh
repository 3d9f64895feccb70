#!/usr/bin/env bash
# Starts the DICOM Query Spanner on this machine. With a Docker engine at hand it runs docker-compose.enterprise.yml
# (with the simulated PACS behind its `simulator` profile); without one, as local processes (no Docker needed):
#   - PostgreSQL, Redis, RabbitMQ (installed/started by scripts/dev-services.sh)
#   - a fleet of 8 simulated PACS (pacs-simulator; leave it out with --no-simulator to use real PACS)
#   - the services: api-gateway (8001), spanner-coordinator (8002), a dimse-query-worker (8003) and the
#     dimse-scp-listener (DICOM 11112, HTTP 8004)
# then registers the simulated PACS and the "Enterprise Production" config through the admin API and prints
# ready-to-paste queries. scripts/stop_enterprise_spanner.sh stops exactly what this started.
#
# Options: --no-simulator  --no-build  --patients N (simulated population, default 30000)
#          --docker / --local (force one path; default: Docker when `docker info` answers, else local)
# Settings: SPANNER_BOOTSTRAP_API_KEY (admin key; generated and printed when unset), SPANNER_PHI_TOKEN_SECRET
# (generated once and kept in run/secrets when unset), SPANNER_RUN_DIR (default ./run).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUN=${SPANNER_RUN_DIR:-$ROOT/run}
SIMULATOR=1 BUILD=1 PATIENTS=30000 MODE=auto
while [ $# -gt 0 ]; do
  case "$1" in
    --no-simulator) SIMULATOR=0 ;;
    --no-build) BUILD=0 ;;
    --patients) PATIENTS=$2; shift ;;
    --docker) MODE=docker ;;
    --local) MODE=local ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

log() { printf '[start] %s\n' "$*"; }
compose() { # the v2 plugin when present, else docker-compose (v1); both read the same file
  if docker compose version >/dev/null 2>&1; then docker compose "$@"; else docker-compose "$@"; fi
}
if [ "$MODE" = auto ]; then
  if command -v docker >/dev/null && docker info >/dev/null 2>&1 \
      && { docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null; }; then
    MODE=docker
  else
    MODE=local
  fi
fi
log "deployment: $MODE"
mkdir -p "$RUN/logs"
if [ "$(cat "$RUN/mode" 2>/dev/null)" = docker ] && [ "$MODE" = docker ]; then
  log "the Docker deployment of an earlier start is brought up to date (compose up is idempotent)"
fi
if [ -s "$RUN/pids" ]; then
  while read -r pid name; do
    if kill -0 "$pid" 2>/dev/null; then
      echo "already running ($name, pid $pid): run scripts/stop_enterprise_spanner.sh first" >&2; exit 1
    fi
  done < "$RUN/pids"
fi
: > "$RUN/pids"

if [ "$MODE" = local ]; then
  scripts/dev-services.sh
  if [ "$BUILD" = 1 ]; then
    log "building (./mvnw -B -q -DskipTests package)"
    ./mvnw -B -q -DskipTests package
  fi
fi

# Secrets: kept in run/secrets (mode 600) so a restart keeps the same tokens and admin key.
umask 077
# What the environment sets wins over what run/secrets kept from an earlier start.
GIVEN_API_KEY=${SPANNER_BOOTSTRAP_API_KEY:-}
GIVEN_PHI_SECRET=${SPANNER_PHI_TOKEN_SECRET:-}
[ -f "$RUN/secrets" ] && . "$RUN/secrets"
random() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
SPANNER_BOOTSTRAP_API_KEY=${GIVEN_API_KEY:-${SPANNER_BOOTSTRAP_API_KEY:-$(random)}}
SPANNER_PHI_TOKEN_SECRET=${GIVEN_PHI_SECRET:-${SPANNER_PHI_TOKEN_SECRET:-$(random)}}
save_secrets() {
  (umask 077; printf 'SPANNER_BOOTSTRAP_API_KEY=%s\nSPANNER_PHI_TOKEN_SECRET=%s\n' \
    "$SPANNER_BOOTSTRAP_API_KEY" "$SPANNER_PHI_TOKEN_SECRET" > "$RUN/secrets")
}
save_secrets
export SPANNER_BOOTSTRAP_API_KEY SPANNER_PHI_TOKEN_SECRET
if [ "$MODE" = docker ] && [ ! -f .env ]; then
  # compose reads its settings from .env: every default of .env.example, with this run's secrets filled in.
  sed -e "s|^SPANNER_BOOTSTRAP_API_KEY=.*|SPANNER_BOOTSTRAP_API_KEY=$SPANNER_BOOTSTRAP_API_KEY|" \
      -e "s|^SPANNER_PHI_TOKEN_SECRET=.*|SPANNER_PHI_TOKEN_SECRET=$SPANNER_PHI_TOKEN_SECRET|" \
      -e "s|^GRAFANA_ADMIN_PASSWORD=.*|GRAFANA_ADMIN_PASSWORD=$(random)|" \
      -e "s|^SIMULATOR_PATIENTS=.*|SIMULATOR_PATIENTS=$PATIENTS|" .env.example > .env
  log "wrote .env from .env.example (mode 600) with this run's secrets"
elif [ "$MODE" = docker ]; then
  # compose takes the secrets from .env; the admin key printed below must be the one the gateway registers.
  SPANNER_BOOTSTRAP_API_KEY=$(sed -n 's/^SPANNER_BOOTSTRAP_API_KEY=//p' .env)
  save_secrets
fi
umask 022

start() { # name, log file (stderr; stdout goes to the same name with .out), command...
  local name=$1 logfile=$2; shift 2
  nohup "$@" > "${logfile%.log}.out" 2> "$logfile" &
  echo "$! $name" >> "$RUN/pids"
  log "started $name (pid $!, log ${logfile%.log}.out, stderr $logfile)"
}
wait_for() { # description, seconds, test command...
  local what=$1 secs=$2; shift 2
  for _ in $(seq "$secs"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "ERROR: $what not ready after ${secs}s (see $RUN/logs)" >&2; exit 1
}

SIM_BASE_PORT=11120
if [ "$MODE" = docker ]; then
  profile=(); [ "$SIMULATOR" = 1 ] && profile=(--profile simulator)
  log "docker-compose -f docker-compose.enterprise.yml ${profile[*]} up -d --build (images are built on the first run)"
  compose -f docker-compose.enterprise.yml "${profile[@]}" up -d --build
  echo docker > "$RUN/mode"
  wait_for "api-gateway (through the edge proxy)" 600 curl -sf http://localhost:8001/actuator/health/readiness
elif [ "$SIMULATOR" = 1 ]; then
  start pacs-simulator "$RUN/logs/pacs-simulator.log" \
    java -jar pacs-simulator/target/pacs-simulator.jar --pacs 8 --base-port "$SIM_BASE_PORT" --patients "$PATIENTS"
  wait_for "pacs-simulator" 180 grep -q '^READY' "$RUN/logs/pacs-simulator.out"
fi

if [ "$MODE" = local ]; then
  echo local > "$RUN/mode"
  start api-gateway "$RUN/logs/api-gateway.log" java -jar api-gateway/target/api-gateway-0.1.0-SNAPSHOT.jar
  wait_for "api-gateway" 180 curl -sf http://localhost:8001/actuator/health/readiness
fi

API=http://localhost:8001/api/v1
# The gateway registers the bootstrap key only while no admin key exists (docs/configuration.md): a database that
# already has one (an earlier installation) refuses a key generated now. Then mint an admin key with the gateway's
# own command line, as an operator would; a key the operator gave explicitly is never replaced.
key_status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Api-Key $SPANNER_BOOTSTRAP_API_KEY" \
  "$API/sources/?size=1")
if [ "$key_status" = 401 ]; then
  if [ -n "$GIVEN_API_KEY" ] || [ "$MODE" = docker ]; then
    echo "ERROR: SPANNER_BOOTSTRAP_API_KEY is not an active admin key of this database (another admin key exists)." >&2
    echo "       Use that key, or create one: java -jar api-gateway/target/api-gateway-0.1.0-SNAPSHOT.jar --create-api-key=NAME --scopes=admin" >&2
    exit 1
  fi
  SPANNER_BOOTSTRAP_API_KEY=$(java -jar api-gateway/target/api-gateway-0.1.0-SNAPSHOT.jar \
    --create-api-key=start-script --scopes=admin 2>> "$RUN/logs/api-gateway-cli.log")
  save_secrets
  log "this database has admin keys from an earlier installation: created a new admin key for this run"
fi
AUTH="Authorization: Api-Key $SPANNER_BOOTSTRAP_API_KEY"
api() { curl -sS --fail-with-body -H "$AUTH" -H 'Content-Type: application/json' "$@"; }
json_field() { /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
find_id() { # list path, name -> id or empty
  api "$API/$1?size=500" | /usr/bin/python3 -c '
import json, sys
for item in json.load(sys.stdin)["items"]:
    if item["name"] == sys.argv[1]: print(item["id"]); break' "$2"
}

if [ "$SIMULATOR" = 1 ]; then
  config_id=$(find_id config/spanner "Enterprise Production")
  if [ -z "$config_id" ]; then
    config_id=$(api -X POST "$API/config/spanner/" -d '{"name": "Enterprise Production",
      "description": "Production spanning across all 8 PACS", "max_concurrent_sources": 8, "timeout_seconds": 30,
      "retry_attempts": 2, "failure_strategy": "partial_results", "deduplication_enabled": true,
      "enterprise_mode": true, "scp_ae_title": "SPANNER"}' | json_field id)
    log "created config \"Enterprise Production\" (id $config_id)"
  else
    # A config made by an older run of this script has no SCP AE title: give it one, so the listener answers for it.
    updated=$(api "$API/config/spanner/$config_id" | /usr/bin/python3 -c '
import json, sys
config = json.load(sys.stdin)
if not config.get("scp_ae_title"):
    for read_only in ("id", "version", "created_at", "updated_at"):
        config.pop(read_only, None)
    config["scp_ae_title"] = "SPANNER"
    print(json.dumps(config))')
    if [ -n "$updated" ]; then
      if api -X PUT "$API/config/spanner/$config_id" -d "$updated" > /dev/null; then
        log "gave config \"Enterprise Production\" (id $config_id) the SCP AE title SPANNER"
      else
        log "WARNING: could not give config $config_id the SCP AE title SPANNER (taken by another config?)"
      fi
    fi
  fi
  mapped=$(api "$API/config/spanner/$config_id/sources/?size=500" | /usr/bin/python3 -c '
import json, sys
print(" ".join(str(m["source_id"]) for m in json.load(sys.stdin)["items"]))')
  priority=1
  # The simulator prints one line per PACS on stdout ("PACS_A PACSA 127.0.0.1:11120 NORMAL"), then READY. In the
  # Docker deployment the workers reach it by its service name.
  if [ "$MODE" = docker ]; then
    simulator_ready() { compose -f docker-compose.enterprise.yml logs --no-color pacs-simulator | grep -q 'READY'; }
    wait_for "pacs-simulator" 300 simulator_ready
    simulator_lines=$(compose -f docker-compose.enterprise.yml logs --no-color pacs-simulator | sed 's/^[^|]*| //')
    sim_host=pacs-simulator
  else
    simulator_lines=$(cat "$RUN/logs/pacs-simulator.out")
    sim_host=
  fi
  printf '%s\n' "$simulator_lines" | grep -E '^[A-Z0-9_]+ [A-Z0-9_]+ [0-9.]+:[0-9]+ [A-Z]+$' |
  while read -r name ae hostport mode; do
    host=${sim_host:-${hostport%:*}} port=${hostport##*:}
    source_id=$(find_id sources "$name")
    # 16 associations: a simulated PACS accepts 20 (docs/simulator.md), which leaves room for findscu and checks;
    # with 4, concurrent spanning queries wait for associations (docs/benchmarks-history.md, spanning latency under load).
    if [ -z "$source_id" ]; then
      source_id=$(api -X POST "$API/sources/" -d "{\"name\": \"$name\", \"ae_title\": \"$ae\", \"host\": \"$host\",
        \"port\": $port, \"calling_ae_title\": \"SPANNER\", \"max_associations\": 16, \"query_timeout_seconds\": 20,
        \"tls\": false, \"information_models\": [\"study_root\", \"patient_root\"]}" | json_field id)
      log "registered $name ($ae at $hostport, $mode) as source $source_id"
    fi
    case " $mapped " in
      *" $source_id "*) ;;
      *) api -X POST "$API/config/spanner/$config_id/sources/" \
           -d "{\"source_type\": \"modality\", \"source_id\": $source_id, \"priority\": $priority}" > /dev/null
         log "mapped $name into \"Enterprise Production\" with priority $priority" ;;
    esac
    priority=$((priority + 1))
  done
fi

if [ "$MODE" = local ]; then
# The coordinator reads configs and writes the query log in the same database; the worker serves every enabled
# source registered there, and takes up sources added later without a restart.
start spanner-coordinator "$RUN/logs/spanner-coordinator.log" \
  java -jar spanner-coordinator/target/spanner-coordinator-0.1.0-SNAPSHOT.jar
start dimse-query-worker "$RUN/logs/dimse-query-worker.log" \
  java -jar dimse-query-worker/target/dimse-query-worker-0.1.0-SNAPSHOT.jar
# The DIMSE front door: C-FIND on 11112, answered by the config whose scp_ae_title is the called AE title.
start dimse-scp-listener "$RUN/logs/dimse-scp-listener.log" \
  java -jar dimse-scp-listener/target/dimse-scp-listener-0.1.0-SNAPSHOT.jar
wait_for "spanner-coordinator" 180 curl -sf http://localhost:8002/actuator/health/readiness
wait_for "dimse-query-worker" 180 curl -sf http://localhost:8003/actuator/health/readiness
wait_for "dimse-scp-listener" 180 curl -sf http://localhost:8004/actuator/health/readiness
fi

if [ "$MODE" = docker ]; then
  cat <<MSG

DICOM Query Spanner is up in Docker (docker-compose.enterprise.yml; settings in .env). Stop: scripts/stop_enterprise_spanner.sh
  QIDO-RS and the admin API: http://localhost:8001 (HAProxy edge over every api-gateway replica)
  DICOM C-FIND/C-ECHO: localhost:11112 (edge over every dimse-scp-listener replica)
  Prometheus http://127.0.0.1:9090, Grafana http://127.0.0.1:3000 (admin / GRAFANA_ADMIN_PASSWORD in .env),
  RabbitMQ management http://127.0.0.1:15672, live view: scripts/monitor_spanner.sh --prometheus http://localhost:9090
  Scale: docker-compose -f docker-compose.enterprise.yml up -d --scale dimse-query-worker=24
Admin API key (keep it; also in $RUN/secrets): $SPANNER_BOOTSTRAP_API_KEY
MSG
else
  cat <<MSG

DICOM Query Spanner is up. Processes: $RUN/pids; logs: $RUN/logs/; stop: scripts/stop_enterprise_spanner.sh
Live view: scripts/monitor_spanner.sh
Admin API key (keep it; also in $RUN/secrets): $SPANNER_BOOTSTRAP_API_KEY
MSG
fi
cat <<MSG

Try:
  curl -s -H 'Authorization: Api-Key $SPANNER_BOOTSTRAP_API_KEY' http://localhost:8001/api/v1/config/spanner/ | python3 -m json.tool
  curl -s -H 'Authorization: Api-Key $SPANNER_BOOTSTRAP_API_KEY' http://localhost:8001/api/v1/sources/ | python3 -m json.tool
MSG
if [ "$SIMULATOR" = 1 ] && [ "$MODE" = local ]; then
  cat <<MSG
  TCP_NODELAY=1 findscu -v -S -aec PACSA 127.0.0.1 $SIM_BASE_PORT -k QueryRetrieveLevel=STUDY -k StudyDate=20250101-20250131 -k PatientName -k PatientID -k StudyInstanceUID -k ModalitiesInStudy
MSG
fi
if [ "$SIMULATOR" = 1 ] && [ "$MODE" = local ] && [ -x scripts/dicom ]; then
  cat <<MSG
  scripts/dicom echo 127.0.0.1:$SIM_BASE_PORT --called PACSA
  scripts/dicom find 127.0.0.1:$SIM_BASE_PORT --called PACSA --level STUDY -k StudyDate=20250101-20250131 -k PatientName -k PatientID -k ModalitiesInStudy
MSG
fi
if [ "$SIMULATOR" = 1 ]; then
  # A real Patient ID from the simulated population, so the first query has an answer: asked of PACS_A directly
  # here, through the spanner in Docker (where the simulated PACS are not published).
  if [ "$MODE" = local ]; then
    found=$(scripts/dicom find "127.0.0.1:$SIM_BASE_PORT" --called PACSA --level STUDY \
      -k StudyDate=20250101-20250131 -k PatientID 2>/dev/null || true)
  else
    found=$(curl -s -H "$AUTH" "http://localhost:8001/dicomweb/$config_id/studies?StudyDate=20250101-20250131&limit=1" || true)
  fi
  PATIENT_ID=$(printf '%s' "$found" | /usr/bin/python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)
    print(d[0]["00100020"]["Value"][0] if d else "12345")
except Exception:
    print("12345")')
  cat <<MSG

Spanning queries across all 8 PACS (QIDO-RS, DICOM JSON; a Warning header names any PACS that failed):
  curl -s -H 'Authorization: Api-Key $SPANNER_BOOTSTRAP_API_KEY' 'http://localhost:8001/api/v1/spanner/qido/studies?PatientID=$PATIENT_ID&spanner_config_id=$config_id' | python3 -m json.tool
  curl -s -H 'Authorization: Api-Key $SPANNER_BOOTSTRAP_API_KEY' 'http://localhost:8001/api/v1/spanner/qido/studies?StudyDate=20250101-20250103&ModalitiesInStudy=CT&spanner_config_id=$config_id' | python3 -m json.tool
  curl -s -i -H 'Authorization: Api-Key $SPANNER_BOOTSTRAP_API_KEY' 'http://localhost:8001/dicomweb/$config_id/studies?StudyDate=20250101-20250103&limit=2'
  curl -s -H 'Authorization: Api-Key $SPANNER_BOOTSTRAP_API_KEY' 'http://localhost:8001/api/v1/spanner/qido/studies?PatientID=$PATIENT_ID&spanner_config_id=$config_id&async=true'
  (then GET the status_url it returns, with the same header)

The same spanning over DIMSE (dimse-scp-listener on 11112; the called AE title SPANNER selects "Enterprise Production"):
  TCP_NODELAY=1 findscu -v -S -aec SPANNER 127.0.0.1 11112 -k QueryRetrieveLevel=STUDY -k PatientID=$PATIENT_ID -k PatientName -k StudyDate -k StudyInstanceUID -k RetrieveAETitle
MSG
fi
