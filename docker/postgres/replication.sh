#!/bin/sh
# Runs once, when the primary's data volume is first made (docker-entrypoint-initdb.d, docker-compose.cluster.yml):
# the role the streaming replica copies and follows the primary as, and the pg_hba line that lets it in.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v user="$SPANNER_REPLICATION_USER" -v password="$SPANNER_REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE :"user" WITH REPLICATION LOGIN PASSWORD :'password';
SQL
echo "host replication $SPANNER_REPLICATION_USER all scram-sha-256" >> "$PGDATA/pg_hba.conf"
