#!/bin/sh
# Keeps the services' own RabbitMQ user (not guest, not the administrator) with only what the services need, on
# every start of the node (idempotent): the user SPANNER_RABBITMQ_USER with the password SPANNER_RABBITMQ_PASSWORD
# (made, or its password set again), allowed on the virtual host SPANNER_RABBITMQ_VHOST (default /) to
#   configure and read  ^spanner\..*                     the spanner's exchanges and queues, nothing else
#   write               ^(spanner\..*|amq\.default)$     those, and the default exchange, by which results reach a
#                                                        coordinator's reply queue
# RABBITMQCTL names the command (default rabbitmqctl). Run after apply-policies.sh, which waits for the node.
set -eu
RABBITMQCTL=${RABBITMQCTL:-rabbitmqctl}
user=${SPANNER_RABBITMQ_USER:-spanner}
password=${SPANNER_RABBITMQ_PASSWORD:?services-user: set SPANNER_RABBITMQ_PASSWORD}
vhost=${SPANNER_RABBITMQ_VHOST:-/}
if $RABBITMQCTL -q --no-table-headers list_users | cut -f1 | grep -qxF "$user"; then
  $RABBITMQCTL -q change_password "$user" "$password"
else
  $RABBITMQCTL -q add_user "$user" "$password"
fi
$RABBITMQCTL -q set_permissions -p "$vhost" "$user" '^spanner\..*' '^(spanner\..*|amq\.default)$' '^spanner\..*'
echo "services-user: $user may use the spanner's names on virtual host $vhost"
