#!/usr/bin/env bash
# Starts the DICOM Query Spanner on this machine and prints what to try (`--help` says how; docs/operations.md says
# what each step does). scripts/stop_enterprise_spanner.sh stops exactly what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/jars.sh
. scripts/lib/processes.sh
. scripts/lib/probes.sh
. scripts/lib/admin-api.sh

usage() {
  cat << 'USAGE'
usage: scripts/start_enterprise_spanner.sh [options]

Starts the DICOM Query Spanner, as containers of docker-compose.enterprise.yml when a Docker engine answers, else as
local processes: PostgreSQL, Redis and RabbitMQ (scripts/dev-services.sh), api-gateway (HTTPS :8443, plain HTTP
127.0.0.1:8001), spanner-coordinator (:8002), a dimse-query-worker (:8003), the dimse-scp-listener (DICOM :11112, DICOM
TLS :2762, HTTP :8004) and a fleet of 8 simulated PACS (127.0.0.1:11120-11127; PACS_H over DICOM TLS). Local processes
use a local CA and its certificates under the run folder's tls/ (made with openssl on the first start, made again when
missing or expiring within 14 days). Registers the simulated PACS and the config "Enterprise Production" through the
admin API, then prints the admin API key and queries to try, over HTTPS and DICOM TLS too. Stop it with
scripts/stop_enterprise_spanner.sh.

Options:
  --no-simulator  no simulated PACS: register your own PACS through the admin API
  --no-build      run the jars as they are (default: ./mvnw -B -q -DskipTests package first; local processes only)
  --patients N    patients in the simulated population (default 30000)
  --pacs N        simulated PACS (default 8; up to 999: the scaling runs of docs/benchmarks.md use 50 and 200)
  --associations N
                  associations each simulated PACS is registered with (max_associations) and tasks of one source a
                  worker runs at once (tasks-per-source), 1-20 (default 16; a simulated PACS accepts 20, so 16 leaves
                  room for findscu beside the spanner; the 1,000-client runs of docs/benchmarks.md use 20)
  --latency-spread FAST-SLOW
                  simulated PACS differ in latency, typical latencies spread from FAST to SLOW ms (default: every
                  PACS 50-150 ms; docs/simulator.md)
  --docker        containers of docker-compose.enterprise.yml (default when `docker info` answers)
  --local         local processes (default without a Docker engine)
  -h, --help      this help

Environment:
  SPANNER_BOOTSTRAP_API_KEY  the admin API key (default: generated once, kept in the run folder's secrets file)
  SPANNER_PHI_TOKEN_SECRET   the key of the patient tokens (default: generated once, kept there too)
  SPANNER_DATA_KEY           the AES-256 key sealing PHI in Redis and RabbitMQ, base64 of 32 bytes (default:
                             generated once, kept there too)
  SPANNER_RUN_DIR            the run folder: pids, logs/, secrets, mode, tls/ (default ./run)
  SPANNER_JVM_OPTS           the JVM options of the local services (default: 192 MB heap, serial GC, bounded native
                             areas, freed native memory trimmed every 5 s where the JVM can;
                             docs/operations.md "Memory"); MALLOC_ARENA_MAX (default 2)
  The local processes inherit the environment, so a Spring setting applies to all of them, e.g.
  SPRING_RABBITMQ_VIRTUAL_HOST=spanner-demo (a virtual host of their own on a shared broker) or
  SPRING_DATA_REDIS_DATABASE=5 (a Redis database of their own).
USAGE
}

main() {
  parse_options "$@"
  # PACS_H is the TLS PACS: a smaller fleet has none
  [ "$PACS_COUNT" -ge 8 ] 2>/dev/null || TLS_PACS=
  choose_deployment
  refuse_while_running
  [ "$MODE" = local ] && prepare_machine
  ensure_certificates
  keep_secrets
  if [ "$MODE" = docker ]; then
    start_containers
  else
    [ "$SIMULATOR" = 1 ] && start_simulator
    start_gateway
  fi
  ensure_admin_key
  [ "$SIMULATOR" = 1 ] && register_simulated_pacs
  [ "$MODE" = local ] && start_query_services
  print_what_to_try
}

SIMULATOR=1 BUILD=1 PATIENTS=30000 MODE=auto PACS_COUNT=8 LATENCY_SPREAD= ASSOCIATIONS=16
SIM_BASE_PORT=11120
TLS_PACS=PACS_H # the simulated PACS that listens over DICOM TLS (also in docker-compose.enterprise.yml)
HTTPS_PORT=8443 LISTENER_TLS_PORT=2762
CONFIG_NAME="Enterprise Production"
GATEWAY=http://localhost:8001
API=$GATEWAY/api/v1
COMPOSE_FILE=docker-compose.enterprise.yml
# The JVM of each local service (gateway, coordinator, worker, listener): bounded heap, metaspace, code cache and
# direct buffers, so that a service stays below 512 MB resident under load (docs/operations.md, "Memory").
# SPANNER_JVM_OPTS replaces the whole list.
DEFAULT_JVM_OPTS="-Xms64m -Xmx192m -XX:+UseSerialGC -XX:MaxMetaspaceSize=160m -XX:ReservedCodeCacheSize=96m -XX:MaxDirectMemorySize=128m -XX:+ExitOnOutOfMemoryError"
# glibc keeps native memory the JVM has freed (the JIT compilers' arenas, mostly) as resident; a JVM that can
# (OpenJDK 17.0.9 and later) gives it back to the system every 5 s
TRIM_NATIVE_HEAP="-XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=5000"
# shellcheck disable=SC2086 # the options are words on purpose
if java $TRIM_NATIVE_HEAP -version >/dev/null 2>&1; then
  DEFAULT_JVM_OPTS="$DEFAULT_JVM_OPTS $TRIM_NATIVE_HEAP"
fi

log() { printf '[start] %s\n' "$*"; }
# shellcheck disable=SC2206 # the options are words on purpose
SERVICE_JAVA=(java ${SPANNER_JVM_OPTS:-$DEFAULT_JVM_OPTS})
# glibc keeps up to 8 malloc arenas per core; the JVM's own native allocations need few
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}

parse_options() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --no-simulator) SIMULATOR=0 ;;
      --no-build) BUILD=0 ;;
      --patients) PATIENTS=${2:?--patients needs a number}; shift ;;
      --pacs) PACS_COUNT=${2:?--pacs needs a number}; shift ;;
      --latency-spread) LATENCY_SPREAD=${2:?--latency-spread needs FAST-SLOW}; shift ;;
      --associations) ASSOCIATIONS=${2:?--associations needs a number}; shift ;;
      --docker) MODE=docker ;;
      --local) MODE=local ;;
      -h | --help) usage; exit 0 ;;
      *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
  done
  case "$ASSOCIATIONS" in
    [1-9] | 1[0-9] | 20) ;;
    *) echo "--associations takes 1 to 20 (a simulated PACS accepts 20), not: $ASSOCIATIONS" >&2; exit 2 ;;
  esac
  # the worker holds as many tasks of a source as the source allows associations (docs/configuration-worker.md): the
  # compose file reads it from the environment, the local worker gets it as an argument (start_query_services)
  export SPANNER_WORKER_TASKS_PER_SOURCE=$ASSOCIATIONS
}

compose() { # the v2 plugin when present, else docker-compose (v1); both read the same file
  if docker compose version > /dev/null 2>&1; then docker compose "$@"; else docker-compose "$@"; fi
}

choose_deployment() {
  if [ "$MODE" = auto ]; then
    if command -v docker > /dev/null && docker info > /dev/null 2>&1 \
      && { docker compose version > /dev/null 2>&1 || command -v docker-compose > /dev/null; }; then
      MODE=docker
    else
      MODE=local
    fi
  fi
  log "deployment: $MODE"
  mkdir -p "$RUN/logs"
  if [ "$(cat "$RUN/mode" 2> /dev/null)" = docker ] && [ "$MODE" = docker ]; then
    log "the Docker deployment of an earlier start is brought up to date (compose up is idempotent)"
  fi
}

refuse_while_running() {
  local running
  running=$(first_running_process)
  if [ -n "$running" ]; then
    echo "already running (${running#* }, pid ${running%% *}): run scripts/stop_enterprise_spanner.sh first" >&2
    exit 1
  fi
  : > "$RUN/pids"
}

prepare_machine() {
  scripts/dev-services.sh
  if [ "$BUILD" = 1 ]; then
    log "building (./mvnw -B -q -DskipTests package)"
    ./mvnw -B -q -DskipTests package
  fi
}

# The admin key, the patient-token key and the data key, kept in $RUN/secrets (mode 600) so a restart keeps them
# (a new data key would make every cached answer a miss). What the environment sets wins over what an earlier start
# kept.
keep_secrets() {
  GIVEN_API_KEY=${SPANNER_BOOTSTRAP_API_KEY:-}
  local given_phi_secret=${SPANNER_PHI_TOKEN_SECRET:-}
  local given_data_key=${SPANNER_DATA_KEY:-}
  [ -f "$RUN/secrets" ] && . "$RUN/secrets"
  SPANNER_BOOTSTRAP_API_KEY=${GIVEN_API_KEY:-${SPANNER_BOOTSTRAP_API_KEY:-$(random_key)}}
  SPANNER_PHI_TOKEN_SECRET=${given_phi_secret:-${SPANNER_PHI_TOKEN_SECRET:-$(random_key)}}
  SPANNER_DATA_KEY=${given_data_key:-${SPANNER_DATA_KEY:-$(random_data_key)}}
  export SPANNER_BOOTSTRAP_API_KEY SPANNER_PHI_TOKEN_SECRET SPANNER_DATA_KEY
  if [ "$MODE" = docker ]; then
    if [ ! -f .env ]; then
      # compose reads its settings from .env: every default of .env.example, with this run's secrets filled in.
      (umask 077; sed -e "s|^SPANNER_BOOTSTRAP_API_KEY=.*|SPANNER_BOOTSTRAP_API_KEY=$SPANNER_BOOTSTRAP_API_KEY|" \
        -e "s|^SPANNER_PHI_TOKEN_SECRET=.*|SPANNER_PHI_TOKEN_SECRET=$SPANNER_PHI_TOKEN_SECRET|" \
        -e "s|^SPANNER_DATA_KEY=.*|SPANNER_DATA_KEY=$SPANNER_DATA_KEY|" \
        -e "s|^GRAFANA_ADMIN_PASSWORD=.*|GRAFANA_ADMIN_PASSWORD=$(random_key)|" \
        -e "s|^SIMULATOR_PATIENTS=.*|SIMULATOR_PATIENTS=$PATIENTS|" .env.example > .env)
      log "wrote .env from .env.example (mode 600) with this run's secrets"
    else
      # compose takes the key from .env: the key printed at the end must be the one the gateway registers.
      SPANNER_BOOTSTRAP_API_KEY=$(sed -n 's/^SPANNER_BOOTSTRAP_API_KEY=//p' .env)
    fi
    # The passwords of the services' RabbitMQ and Redis users and of the broker's administrator: generated into .env
    # where it has none (also into a .env of an earlier version), kept where it has one.
    local secret
    for secret in SPANNER_RABBITMQ_PASSWORD RABBITMQ_PASSWORD SPANNER_REDIS_PASSWORD; do
      if ! grep -q "^$secret=." .env; then
        sed -i "/^$secret=/d" .env
        echo "$secret=$(random_key)" >> .env
        log "generated $secret into .env"
      fi
    done
    # The data key of a .env from before sealing: generated there too (base64 of 32 bytes, not hex).
    if ! grep -q "^SPANNER_DATA_KEY=." .env; then
      sed -i "/^SPANNER_DATA_KEY=/d" .env
      echo "SPANNER_DATA_KEY=$SPANNER_DATA_KEY" >> .env
      log "wrote SPANNER_DATA_KEY into .env"
    fi
  fi
  save_secrets
}

random_key() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# An AES-256 data key: base64 of 32 random bytes.
random_data_key() { head -c 32 /dev/urandom | base64 | tr -d '\n'; }

save_secrets() {
  (umask 077; printf 'SPANNER_BOOTSTRAP_API_KEY=%s\nSPANNER_PHI_TOKEN_SECRET=%s\nSPANNER_DATA_KEY=%s\n' \
    "$SPANNER_BOOTSTRAP_API_KEY" "$SPANNER_PHI_TOKEN_SECRET" "$SPANNER_DATA_KEY" > "$RUN/secrets")
}

# A local CA and the certificates it signs, in $RUN/tls/ (keys mode 600): server.pem (localhost, 127.0.0.1 and, in
# Docker, pacs-simulator: the gateway's HTTPS, the listener's TLS port, the TLS PACS) and client.pem (the worker
# towards PACS, findscu towards the listener). Kept across restarts; all made again when one is missing or expires
# within 14 days (the services reload their bundles when the files change). In Docker the edge reads edge.pem (the
# server certificate, the CA and the key in one file) and the containers, which run as other users than this
# script, read the folder mounted read-only: the keys they need are made readable there (docs/operations.md says
# how a site gives them to the containers' users instead).
ensure_certificates() {
  TLS=$RUN/tls
  local f fresh=1
  for f in ca server client; do
    [ -s "$TLS/$f.pem" ] && [ -s "$TLS/$f-key.pem" ] \
      && openssl x509 -checkend $((14 * 24 * 3600)) -noout -in "$TLS/$f.pem" > /dev/null 2>&1 || fresh=0
  done
  openssl x509 -noout -checkhost pacs-simulator -in "$TLS/server.pem" 2> /dev/null | grep -q 'does match' || fresh=0
  if [ "$fresh" = 1 ]; then
    log "certificates: $TLS (kept)"
  else
    make_certificates
  fi
  [ "$MODE" = docker ] && certificates_for_containers
  return 0
}

certificates_for_containers() {
  (umask 077; cat "$TLS/server.pem" "$TLS/ca.pem" "$TLS/server-key.pem" > "$TLS/edge.pem")
  chmod 755 "$TLS"
  chmod 644 "$TLS/edge.pem" "$TLS/server-key.pem" "$TLS/client-key.pem"
  log "certificates: edge.pem made; $TLS readable by the containers (the CA's key stays mode 600)"
}

make_certificates() {
  mkdir -p "$TLS"
  chmod 700 "$TLS"
  (
    umask 077
    cd "$TLS"
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=DICOM Query Spanner demo CA" \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
      -keyout ca-key.pem -out ca.pem 2> /dev/null
    issue_certificate server serverAuth "subjectAltName=DNS:localhost,DNS:pacs-simulator,IP:127.0.0.1"
    issue_certificate client clientAuth ""
    rm -f ./*.csr ca.srl
    chmod 644 ca.pem server.pem client.pem
  )
  log "certificates: made a local CA and its server and client certificates in $TLS"
}

issue_certificate() { # name, extended key usage, subjectAltName line or "" (in the tls folder)
  local ext
  ext=$(printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=%s\n%s\n' \
    "$2" "$3")
  openssl req -newkey rsa:2048 -nodes -subj "/CN=spanner-demo-$1" -keyout "$1-key.pem" -out "$1.csr" 2> /dev/null
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 397 \
    -extfile <(printf '%s' "$ext") -out "$1.pem" 2> /dev/null
}

# Spring Boot SSL bundle arguments: bundle name, keystore certificate, its key, truststore certificate (or "").
ssl_bundle() {
  local p=--spring.ssl.bundle.pem.$1
  printf '%s\n' "$p.keystore.certificate=file:$2" "$p.keystore.private-key=file:$3" "$p.reload-on-update=true"
  [ -z "$4" ] || printf '%s\n' "$p.truststore.certificate=file:$4"
}

start_containers() {
  local profile=()
  [ "$SIMULATOR" = 1 ] && profile=(--profile simulator)
  log "docker-compose -f $COMPOSE_FILE ${profile[*]} up -d --build (images are built on the first run)"
  compose -f "$COMPOSE_FILE" "${profile[@]}" up -d --build
  echo docker > "$RUN/mode"
  await "api-gateway (through the edge proxy)" 600 url_answers "$GATEWAY/actuator/health/readiness"
}

start_simulator() {
  start_process pacs-simulator \
    java -jar "$(jar_of pacs-simulator)" --pacs "$PACS_COUNT" --base-port "$SIM_BASE_PORT" --patients "$PATIENTS" \
    ${LATENCY_SPREAD:+--latency-spread "$LATENCY_SPREAD"} \
    ${TLS_PACS:+--tls-pacs "$TLS_PACS" --tls-cert "$TLS/server.pem" --tls-key "$TLS/server-key.pem" --tls-ca "$TLS/ca.pem"}
  await pacs-simulator 180 grep -q '^READY' "$RUN/logs/pacs-simulator.out"
}

start_gateway() {
  echo local > "$RUN/mode"
  local bundle
  mapfile -t bundle < <(ssl_bundle spanner-https "$TLS/server.pem" "$TLS/server-key.pem" "")
  start_process api-gateway "${SERVICE_JAVA[@]}" -jar "$(jar_of api-gateway)" "${bundle[@]}" --spanner.https.port="$HTTPS_PORT"
  await api-gateway 180 url_answers "$GATEWAY/actuator/health/readiness"
}

# The gateway registers the bootstrap key only while no admin key exists (docs/configuration.md): a database that
# already has one (an earlier installation) refuses a key generated now. Then mint an admin key with the gateway's
# own command line, as an operator would; a key the operator gave explicitly is never replaced.
ensure_admin_key() {
  API_KEY=$SPANNER_BOOTSTRAP_API_KEY
  local status
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Api-Key $API_KEY" "$API/sources/?size=1")
  [ "$status" = 401 ] || return 0
  if [ -n "$GIVEN_API_KEY" ] || [ "$MODE" = docker ]; then
    echo "ERROR: SPANNER_BOOTSTRAP_API_KEY is not an active admin key of this database (another admin key exists)." >&2
    echo "       Use that key, or create one: java -jar $(jar_of api-gateway) --create-api-key=NAME --scopes=admin" >&2
    exit 1
  fi
  SPANNER_BOOTSTRAP_API_KEY=$(java -jar "$(jar_of api-gateway)" --create-api-key=start-script --scopes=admin \
    2>> "$RUN/logs/api-gateway-cli.log")
  API_KEY=$SPANNER_BOOTSTRAP_API_KEY
  save_secrets
  log "this database has admin keys from an earlier installation: created a new admin key for this run"
}

# Each simulated PACS becomes a DICOM source mapped into "Enterprise Production" (priority in fleet order); what
# exists already is kept.
register_simulated_pacs() {
  ensure_config
  local mapped priority=1 name ae hostport mode host port source_id tls body registered
  mapped=$(api "$API/config/spanner/$CONFIG_ID/sources/?size=500" | json_values source_id | tr '\n' ' ')
  [ "$MODE" = docker ] && await pacs-simulator 300 simulator_ready_in_docker
  simulated_pacs | while read -r name ae hostport mode; do
    # in Docker the workers reach the simulator by its service name
    host=${hostport%:*} port=${hostport##*:}
    [ "$MODE" = docker ] && host=pacs-simulator
    # one PACS listens over DICOM TLS (its certificate signed by the local CA, which the worker trusts)
    tls=false
    [ "$name" = "$TLS_PACS" ] && tls=true
    # 16 associations by default (--associations): a simulated PACS accepts 20 (docs/simulator.md), which leaves room
    # for findscu; with 4, concurrent spanning queries wait for associations (docs/benchmarks-history.md, spanning
    # latency under load).
    body="{\"name\": \"$name\", \"ae_title\": \"$ae\", \"host\": \"$host\",
        \"port\": $port, \"calling_ae_title\": \"SPANNER\", \"max_associations\": $ASSOCIATIONS, \"query_timeout_seconds\": 20,
        \"tls\": $tls, \"information_models\": [\"study_root\", \"patient_root\"]}"
    source_id=$(find_id sources "$name")
    if [ -z "$source_id" ]; then
      source_id=$(api_create sources/ "$body")
      log "registered $name ($ae at $hostport, $mode, tls $tls) as source $source_id"
    else
      registered=$(api "$API/sources/$source_id")
      if [[ $registered != *"\"tls\":$tls"* || $registered != *"\"max_associations\":$ASSOCIATIONS,"* ]]; then
        # registered by an earlier start the other way round (plain, or in Docker), or with other --associations:
        # the simulator and this start decide
        api -X PUT "$API/sources/$source_id" -d "$body" > /dev/null
        log "source $source_id ($name) now has \"tls\": $tls, \"max_associations\": $ASSOCIATIONS"
      fi
    fi
    case " $mapped " in
      *" $source_id "*) ;;
      *)
        api -X POST "$API/config/spanner/$CONFIG_ID/sources/" \
          -d "{\"source_type\": \"modality\", \"source_id\": $source_id, \"priority\": $priority}" > /dev/null
        log "mapped $name into \"$CONFIG_NAME\" with priority $priority"
        ;;
    esac
    priority=$((priority + 1))
  done
}

ensure_config() { # sets CONFIG_ID
  CONFIG_ID=$(find_id config/spanner "$CONFIG_NAME")
  if [ -z "$CONFIG_ID" ]; then
    CONFIG_ID=$(api_create config/spanner/ "{\"name\": \"$CONFIG_NAME\",
      \"description\": \"Production spanning across all 8 PACS\", \"max_concurrent_sources\": 8,
      \"timeout_seconds\": 30, \"retry_attempts\": 2, \"failure_strategy\": \"partial_results\",
      \"deduplication_enabled\": true, \"enterprise_mode\": true, \"scp_ae_title\": \"SPANNER\"}")
    log "created config \"$CONFIG_NAME\" (id $CONFIG_ID)"
    return
  fi
  # A config made by an older run of this script has no SCP AE title: give it one, so the listener answers for it.
  local config
  config=$(api "$API/config/spanner/$CONFIG_ID")
  case "$config" in *'"scp_ae_title":null'*) ;; *) return ;; esac
  # PUT takes the config's settings: its answer without the read-only fields, with the AE title
  config=$(printf '%s' "$config" | sed -e 's/"id":[0-9]*,//' -e 's/,"version":[0-9]*//' \
    -e 's/,"created_at":"[^"]*"//' -e 's/,"updated_at":"[^"]*"//' -e 's/"scp_ae_title":null/"scp_ae_title":"SPANNER"/')
  if api -X PUT "$API/config/spanner/$CONFIG_ID" -d "$config" > /dev/null; then
    log "gave config \"$CONFIG_NAME\" (id $CONFIG_ID) the SCP AE title SPANNER"
  else
    log "WARNING: could not give config $CONFIG_ID the SCP AE title SPANNER (taken by another config?)"
  fi
}

# The simulator prints one line per PACS on stdout ("PACS_A PACSA 127.0.0.1:11120 NORMAL"), then READY.
simulated_pacs() { # -> "name ae_title host:port mode" per PACS
  if [ "$MODE" = docker ]; then
    compose -f "$COMPOSE_FILE" logs --no-color pacs-simulator | sed 's/^[^|]*| //'
  else
    cat "$RUN/logs/pacs-simulator.out"
  fi | grep -E '^[A-Z0-9_]+ [A-Z0-9_]+ [0-9.]+:[0-9]+ [A-Z]+$'
}

simulator_ready_in_docker() { compose -f "$COMPOSE_FILE" logs --no-color pacs-simulator | grep -q 'READY'; }

# The coordinator reads configs and writes the query log in the gateway's database; the worker serves every enabled
# source registered there, and takes up sources added later without a restart; the listener is the DICOM front
# door (C-FIND on 11112, answered by the config whose scp_ae_title is the called AE title).
start_query_services() {
  start_process spanner-coordinator "${SERVICE_JAVA[@]}" -jar "$(jar_of spanner-coordinator)"
  local worker_bundle listener_bundle
  mapfile -t worker_bundle < <(ssl_bundle dicom-client "$TLS/client.pem" "$TLS/client-key.pem" "$TLS/ca.pem")
  mapfile -t listener_bundle < <(ssl_bundle dicom-server "$TLS/server.pem" "$TLS/server-key.pem" "$TLS/ca.pem")
  start_process dimse-query-worker "${SERVICE_JAVA[@]}" -jar "$(jar_of dimse-query-worker)" "${worker_bundle[@]}" \
    --spanner.worker.tasks-per-source="$ASSOCIATIONS"
  start_process dimse-scp-listener "${SERVICE_JAVA[@]}" -jar "$(jar_of dimse-scp-listener)" "${listener_bundle[@]}" \
    --spanner.listener.tls.mode=on --spanner.listener.tls.port="$LISTENER_TLS_PORT"
  await spanner-coordinator 180 url_answers http://localhost:8002/actuator/health/readiness
  await dimse-query-worker 180 url_answers http://localhost:8003/actuator/health/readiness
  await dimse-scp-listener 180 url_answers http://localhost:8004/actuator/health/readiness
}

print_what_to_try() {
  local key=$SPANNER_BOOTSTRAP_API_KEY
  if [ "$MODE" = docker ]; then
    cat << MSG

DICOM Query Spanner is up in Docker ($COMPOSE_FILE; settings in .env). Stop: scripts/stop_enterprise_spanner.sh
  QIDO-RS and the admin API: $GATEWAY (HAProxy edge over every api-gateway replica)
  DICOM C-FIND/C-ECHO: localhost:11112 (edge over every dimse-scp-listener replica)
  Prometheus http://127.0.0.1:9090, Grafana http://127.0.0.1:3000 (admin / GRAFANA_ADMIN_PASSWORD in .env),
  RabbitMQ management http://127.0.0.1:15672, live view: scripts/monitor_spanner.sh --prometheus http://localhost:9090
  Scale: docker-compose -f $COMPOSE_FILE up -d --scale dimse-query-worker=24
Admin API key (keep it; also in $RUN/secrets): $key
MSG
  else
    cat << MSG

DICOM Query Spanner is up. Processes: $RUN/pids; logs: $RUN/logs/; stop: scripts/stop_enterprise_spanner.sh
Live view: scripts/monitor_spanner.sh
Admin API key (keep it; also in $RUN/secrets): $key
MSG
  fi
  cat << MSG

Try:
  curl -s -H 'Authorization: Api-Key $key' $API/config/spanner/ | python3 -m json.tool
  curl -s -H 'Authorization: Api-Key $key' $API/sources/ | python3 -m json.tool
MSG
  [ "$SIMULATOR" = 1 ] || return 0
  if [ "$MODE" = local ]; then
    cat << MSG
  TCP_NODELAY=1 findscu -v -S -aec PACSA 127.0.0.1 $SIM_BASE_PORT -k QueryRetrieveLevel=STUDY -k StudyDate=20250101-20250131 -k PatientName -k PatientID -k StudyInstanceUID -k ModalitiesInStudy
  scripts/dicom echo 127.0.0.1:$SIM_BASE_PORT --called PACSA
  scripts/dicom find 127.0.0.1:$SIM_BASE_PORT --called PACSA --level STUDY -k StudyDate=20250101-20250131 -k PatientName -k PatientID -k ModalitiesInStudy
MSG
  fi
  local patient_id
  patient_id=$(a_simulated_patient_id)
  cat << MSG

Spanning queries across all 8 PACS (QIDO-RS, DICOM JSON; a Warning header names any PACS that failed):
  curl -s -H 'Authorization: Api-Key $key' '$API/spanner/qido/studies?PatientID=$patient_id&spanner_config_id=$CONFIG_ID' | python3 -m json.tool
  curl -s -H 'Authorization: Api-Key $key' '$API/spanner/qido/studies?StudyDate=20250101-20250103&ModalitiesInStudy=CT&spanner_config_id=$CONFIG_ID' | python3 -m json.tool
  curl -s -i -H 'Authorization: Api-Key $key' '$GATEWAY/dicomweb/$CONFIG_ID/studies?StudyDate=20250101-20250103&limit=2'
  curl -s -H 'Authorization: Api-Key $key' '$API/spanner/qido/studies?PatientID=$patient_id&spanner_config_id=$CONFIG_ID&async=true'
  (then GET the status_url it returns, with the same header)

The same spanning over DIMSE (dimse-scp-listener on 11112; the called AE title SPANNER selects "$CONFIG_NAME"):
  TCP_NODELAY=1 findscu -v -S -aec SPANNER 127.0.0.1 11112 -k QueryRetrieveLevel=STUDY -k PatientID=$patient_id -k PatientName -k StudyDate -k StudyInstanceUID -k RetrieveAETitle
MSG
  cat << MSG

The same over TLS (certificates of the local CA in $TLS/; $TLS_PACS is asked over DICOM TLS, its status in "sources"):
  curl -s --cacert $TLS/ca.pem -H 'Authorization: Api-Key $key' 'https://localhost:$HTTPS_PORT/api/v1/spanner/qido/studies?PatientID=$patient_id&spanner_config_id=$CONFIG_ID' | python3 -m json.tool
  TCP_NODELAY=1 findscu -v -S +tls $TLS/client-key.pem $TLS/client.pem +cf $TLS/ca.pem -aec SPANNER localhost $LISTENER_TLS_PORT -k QueryRetrieveLevel=STUDY -k PatientID=$patient_id -k PatientName -k StudyDate -k StudyInstanceUID -k RetrieveAETitle
MSG
}

# A real Patient ID from the simulated population, so the first query has an answer: asked of PACS_A directly here,
# through the spanner in Docker (where the simulated PACS are not published); 12345 when neither answers.
a_simulated_patient_id() {
  local found
  if [ "$MODE" = local ]; then
    found=$(scripts/dicom find "127.0.0.1:$SIM_BASE_PORT" --called PACSA --level STUDY \
      -k StudyDate=20250101-20250131 -k PatientID 2> /dev/null || true)
  else
    found=$(api "$GATEWAY/dicomweb/$CONFIG_ID/studies?StudyDate=20250101-20250131&limit=1" 2> /dev/null || true)
  fi
  # DICOM JSON as the project writes it: {"00100020":{"vr":"LO","Value":["..."]}, ...}
  found=$(printf '%s' "$found" | sed -n 's/.*"00100020":{"vr":"LO","Value":\["\([^"]*\)".*/\1/p')
  found=${found%%$'\n'*}
  echo "${found:-12345}"
}

main "$@"
