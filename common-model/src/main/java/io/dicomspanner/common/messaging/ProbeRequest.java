package io.dicomspanner.common.messaging;

import java.util.List;

/**
 * Asks a worker of one source to run the capability probe of its matching keys now (on
 * {@link Topology#HEALTH_ECHO_EXCHANGE}, routing key {@link Topology#matchingProbeRoutingKey(long)}). One worker of the
 * source runs it (the first to claim {@link RedisKeys#matchingProbeClaim(String)}); it writes the findings to
 * {@code source_key_observation} and its progress to {@link RedisKeys#matchingProbe(long)}, a {@link ProbeStatus}.
 *
 * @param requestId unique id (UUID text)
 * @param keywords PS3.6 keywords of the keys to probe; empty: the probe's default keys
 * @param requestedBy who asked, never PHI: {@code "api-key:<id>"}
 * @param requestedEpochMillis when it was asked
 */
public record ProbeRequest(
        String requestId, long sourceId, List<String> keywords, String requestedBy, long requestedEpochMillis) {

    public ProbeRequest {
        keywords = keywords == null ? List.of() : List.copyOf(keywords);
    }
}
