#!/bin/bash
# Container health check without curl or wget in the image: bash's /dev/tcp. With HEALTHCHECK_PATH set, an HTTP GET
# of http://127.0.0.1:$HEALTHCHECK_PORT$HEALTHCHECK_PATH must answer 200 (Spring Boot's readiness probe: UP only when
# the database, broker connection and listeners are); with it empty, the TCP port must accept a connection (the
# simulated PACS). Exit 0 healthy, 1 not.
set -u
port=${HEALTHCHECK_PORT:?HEALTHCHECK_PORT is not set}
path=${HEALTHCHECK_PATH:-}
exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
[ -z "$path" ] && exit 0
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r -t 4 status <&3 || exit 1
case "$status" in
  "HTTP/1."[01]" 200"*) exit 0 ;;
  *) exit 1 ;;
esac
