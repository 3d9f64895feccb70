#!/bin/sh
# Entrypoint of the rabbitmq service in docker-compose*.yml: the image's own entrypoint, plus the spanner's queue
# policies applied in the background as soon as the node is up (apply-policies.sh), and the services' own user with
# only the spanner's names (services-user.sh), on every start.
set -eu
(
  # rabbitmqctl authenticates with the node's Erlang cookie, which the server writes on its first start.
  until [ -f /var/lib/rabbitmq/.erlang.cookie ]; do sleep 1; done
  export HOME=/var/lib/rabbitmq
  /opt/spanner/apply-policies.sh
  exec /opt/spanner/services-user.sh
) &
exec docker-entrypoint.sh rabbitmq-server
