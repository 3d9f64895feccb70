#!/bin/sh
# The streaming replica of docker-compose.cluster.yml, run as the postgres user. On its first start (empty data
# folder) it copies the primary with pg_basebackup; -R writes the standby settings, so it follows the primary from then
# on. It answers reads (hot standby) and refuses writes; `select pg_promote()` makes it the primary.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  export PGPASSWORD="$SPANNER_REPLICATION_PASSWORD"
  until pg_basebackup -h "$SPANNER_PRIMARY_HOST" -U "$SPANNER_REPLICATION_USER" -D "$PGDATA" -R -X stream; do
    echo "replica: waiting for the primary $SPANNER_PRIMARY_HOST" >&2
    rm -rf "${PGDATA:?}"/*
    sleep 3
  done
  chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on
