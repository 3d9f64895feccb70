#!/bin/sh
# Entrypoint of the rabbitmq service in docker-compose*.yml: the image's own entrypoint, plus the spanner's queue
# policies applied in the background as soon as the node is up (apply-policies.sh), and the services' own user with
# only the spanner's names (services-user.sh), on every start. In a cluster (docker-compose.cluster.yml) every node
# gets the same Erlang cookie, SPANNER_RABBITMQ_ERLANG_COOKIE, before the server starts.
set -eu
if [ -n "${SPANNER_RABBITMQ_ERLANG_COOKIE:-}" ]; then
  umask 077
  printf '%s' "$SPANNER_RABBITMQ_ERLANG_COOKIE" > /var/lib/rabbitmq/.erlang.cookie
  chown rabbitmq:rabbitmq /var/lib/rabbitmq/.erlang.cookie 2>/dev/null || true
  chmod 400 /var/lib/rabbitmq/.erlang.cookie
  umask 022
fi
(
  # rabbitmqctl authenticates with the node's Erlang cookie, which the server writes on its first start.
  until [ -f /var/lib/rabbitmq/.erlang.cookie ]; do sleep 1; done
  export HOME=/var/lib/rabbitmq
  /opt/spanner/apply-policies.sh
  exec /opt/spanner/services-user.sh
) &
exec docker-entrypoint.sh rabbitmq-server
