#!/bin/sh
# Applies the spanner's queue policies (DESIGN.md: queue length limits with reject-publish, so overload is refused
# early, not late) once the node is up. Idempotent: set_policy replaces a policy of the same name.
#   spanner-queue-limits: spanner.requests and every spanner.tasks.source.N hold at most
#     RABBITMQ_QUEUE_MAX_LENGTH messages; one more is refused at publish (the publisher gets a nack: the gateway and
#     the SCP listener answer "overloaded" at once). Where a queue is declared with its own x-max-length (the
#     coordinator declares spanner.requests with requests-queue-max-length) the lower of the two applies.
#   spanner-dead-letters: keeps the newest RABBITMQ_DEAD_LETTER_MAX_LENGTH dead letters, dropping the oldest.
# RABBITMQCTL names the command (default rabbitmqctl; ops-tests passes "rabbitmqctl -n <its node>").
set -eu
RABBITMQCTL=${RABBITMQCTL:-rabbitmqctl}
max_length=${RABBITMQ_QUEUE_MAX_LENGTH:-10000}
dead_letter_max_length=${RABBITMQ_DEAD_LETTER_MAX_LENGTH:-100000}
# await_startup fails at once while the Erlang node itself is not up yet, so it is retried until the deadline.
deadline=$(( $(date +%s) + ${RABBITMQ_STARTUP_TIMEOUT:-300} ))
until $RABBITMQCTL -q await_startup --timeout 10 >/dev/null 2>&1; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "apply-policies: RabbitMQ did not start within ${RABBITMQ_STARTUP_TIMEOUT:-300}s" >&2
    exit 1
  fi
  sleep 2
done
$RABBITMQCTL set_policy --apply-to queues --priority 10 spanner-queue-limits \
  '^spanner\.(requests|tasks\.source\.[0-9]+)$' \
  "{\"max-length\": ${max_length}, \"overflow\": \"reject-publish\"}"
$RABBITMQCTL set_policy --apply-to queues --priority 10 spanner-dead-letters \
  '^spanner\.dead-letters$' \
  "{\"max-length\": ${dead_letter_max_length}, \"overflow\": \"drop-head\"}"
