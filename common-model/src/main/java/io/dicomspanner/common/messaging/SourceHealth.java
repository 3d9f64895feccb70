package io.dicomspanner.common.messaging;

import io.dicomspanner.common.wire.WireEnum;
import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of the last C-ECHO of a DICOM source: written by the worker that echoed it to Redis
 * ({@link RedisKeys#sourceHealth}) through {@link MessageCodec}, shown by the gateway's
 * {@code GET /api/v1/sources/{id}/health}. The JSON members are the component names ({@code latencyMillis}), the
 * instants ISO-8601 strings, the state {@code "up"} or {@code "down"}.
 *
 * @param latencyMillis from the start of the connect to the C-ECHO response or the failure
 * @param dimseStatus the C-ECHO response's status; null when no response came (the failure is in {@code error})
 * @param error why the source is down; null when it is up
 * @param startedAt when the check started: an on-demand echo is skipped if a check started after it was asked for
 * @param checkedAt when the outcome was known
 */
public record SourceHealth(
        long sourceId,
        State state,
        long latencyMillis,
        Integer dimseStatus,
        String error,
        Instant startedAt,
        Instant checkedAt) {

    public SourceHealth {
        Objects.requireNonNull(state, "state");
    }

    /** Whether the source answered the C-ECHO with a success status. */
    public enum State implements WireEnum {
        UP,
        DOWN
    }
}
