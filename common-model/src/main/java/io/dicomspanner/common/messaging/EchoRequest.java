package io.dicomspanner.common.messaging;

/**
 * Asks a worker of one source for a C-ECHO now, rather than at the next scheduled check (on
 * {@link Topology#HEALTH_ECHO_EXCHANGE}, routing key {@link Topology#healthEchoRoutingKey(long)}). The worker writes
 * the outcome where the scheduled checks write theirs, {@link RedisKeys#sourceHealth(long)}.
 *
 * @param requestId unique id (UUID text), for tracing
 * @param requestedBy who asked, never PHI: {@code "api-key:<id>"}
 * @param requestedEpochMillis when it was asked; a worker may skip it if a check newer than this is already stored
 */
public record EchoRequest(String requestId, long sourceId, String requestedBy, long requestedEpochMillis) {}
