package io.dicomspanner.common.messaging;

import io.dicomspanner.common.wire.WireEnum;
import java.time.Instant;

/**
 * The newest capability probe of one source's matching keys, as the worker running it records it in Redis
 * ({@link RedisKeys#matchingProbe(long)}); its findings go to {@code source_key_observation}.
 *
 * @param requestId the {@link ProbeRequest} it answers
 * @param state running, done or failed
 * @param startedAt when the worker began
 * @param finishedAt when it ended; {@code null} while running
 * @param cfinds C-FINDs sent so far
 * @param error why it failed, for an operator (never a value of a record); {@code null} unless failed
 */
public record ProbeStatus(
        String requestId, State state, Instant startedAt, Instant finishedAt, int cfinds, String error) {

    /** In JSON by wire name: {@code running}, {@code done}, {@code failed}. */
    public enum State implements WireEnum {
        RUNNING,
        DONE,
        FAILED
    }
}
