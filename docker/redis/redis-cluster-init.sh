#!/bin/sh
# Makes the Redis Cluster of docker-compose.cluster.yml once: 3 masters and 3 replicas over the nodes in
# SPANNER_REDIS_NODES (host names, resolved to addresses: redis-cli --cluster create takes addresses). Ends at once
# when the first node already belongs to a cluster whose state is ok.
set -eu
auth="--user $SPANNER_REDIS_USER --pass $SPANNER_REDIS_PASSWORD --no-auth-warning"
first=$(echo "$SPANNER_REDIS_NODES" | cut -d' ' -f1)
# shellcheck disable=SC2086
if redis-cli -h "$first" $auth cluster info | grep -q '^cluster_state:ok'; then
  echo "redis-cluster-init: the cluster exists"
  exit 0
fi
addresses=""
for node in $SPANNER_REDIS_NODES; do
  address=$(getent hosts "$node" | cut -d' ' -f1)
  addresses="$addresses $address:6379"
done
# shellcheck disable=SC2086
redis-cli $auth --cluster create $addresses --cluster-replicas 1 --cluster-yes
until redis-cli -h "$first" $auth cluster info | grep -q '^cluster_state:ok'; do sleep 1; done
echo "redis-cluster-init: cluster made over$addresses"
