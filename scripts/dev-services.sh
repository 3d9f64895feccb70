#!/usr/bin/env bash
# Makes sure the local services and interop peers that the tests and the local (no-Docker) deployment need are
# installed and running: PostgreSQL, Redis, RabbitMQ on localhost; dcmtk, Orthanc (+DICOMweb) and pydicom as
# third-party DICOM peers, with gcc and libssl-dev to build the shim Orthanc's HTTPS needs on OpenSSL 3 (OrthancPeer);
# Node.js with npm and headless Chromium with its driver as third-party DICOMweb and browser clients. Idempotent:
# installs only what is missing, starts only what is stopped, and says so.
set -euo pipefail
. "$(dirname "$0")/lib/probes.sh"

log() { printf '[dev-services] %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

PACKAGES=(postgresql redis-server rabbitmq-server dcmtk orthanc orthanc-dicomweb gcc libssl-dev python3-pydicom curl docker-compose prometheus haproxy rsyslog rsyslog-openssl nodejs chromium chromium-driver)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]}"
  as_root apt-get update -q >/dev/null
  # policy-rc.d may forbid starting services at install time; this script starts what it needs below.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
else
  log "packages present: ${PACKAGES[*]}"
fi
# Debian packages npm apart from nodejs; NodeSource's nodejs carries it (and conflicts with Debian's npm).
if ! command -v npm >/dev/null; then
  log "installing: npm"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q npm >/dev/null
fi

wait_port() {
  local port=$1 name=$2 tries=${3:-60}
  for _ in $(seq "$tries"); do port_open "$port" && return 0; sleep 1; done
  log "ERROR: $name did not open port $port"; return 1
}

if port_open 5432; then
  log "PostgreSQL running on 5432"
else
  ver=$(ls /etc/postgresql | sort -V | tail -n1)
  log "starting PostgreSQL $ver"
  as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start
  wait_port 5432 PostgreSQL
fi

if port_open 6379; then
  log "Redis running on 6379"
else
  log "starting Redis"
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/dev-services.log
  wait_port 6379 Redis
fi

if port_open 5672; then
  log "RabbitMQ running on 5672"
else
  log "starting RabbitMQ"
  as_root rabbitmq-server -detached
  wait_port 5672 RabbitMQ 120
fi

for tool in findscu echoscu dcmqrscp dcm2json Orthanc node npm chromium chromedriver; do
  command -v "$tool" >/dev/null || { log "ERROR: $tool missing after install"; exit 1; }
done
/usr/bin/python3 -c 'import pydicom' || { log "ERROR: python3-pydicom not importable"; exit 1; }

# The DICOMweb client of the system tests (system-tests/node), exactly as its package-lock.json pins it.
node_dir="$(dirname "$0")/../system-tests/node"
if [ -d "$node_dir/node_modules" ] && [ "$node_dir/node_modules/.package-lock.json" -nt "$node_dir/package-lock.json" ]; then
  log "npm packages of $node_dir present"
else
  log "installing npm packages of $node_dir (npm ci)"
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

# The gateway's database `spanner` for running it (local trust auth as postgres). Test runs create and drop
# databases of their own.
for db in spanner; do
  if [ "$(psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" = 1 ]; then
    log "PostgreSQL database $db present"
  else
    log "creating PostgreSQL database $db"
    psql -h 127.0.0.1 -U postgres -q -c "CREATE DATABASE $db"
  fi
done
log "ready"
