package io.dicomspanner.common.answer;

import io.dicomspanner.common.messaging.QueryStatus;
import io.dicomspanner.common.messaging.SpanRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A span request as the service answering it took it: the version of its config and when it was taken. Its statuses,
 * its answer and its query-log row all name these.
 *
 * @param configVersion null while, or when, the query's config is not resolved
 * @param takenAt the status' creation time and the query log's start
 * @param takenNanos {@link System#nanoTime()} at {@code takenAt}, for the query's duration
 */
public record TakenQuery(SpanRequest request, Long configVersion, Instant takenAt, long takenNanos) {

    public TakenQuery {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(takenAt, "takenAt");
    }

    /** A request taken now, its config not resolved yet. */
    public static TakenQuery takenNow(SpanRequest request, Instant now) {
        return new TakenQuery(request, null, now, System.nanoTime());
    }

    /** The same query, answered under this version of its config. */
    public TakenQuery under(long version) {
        return new TakenQuery(request, version, takenAt, takenNanos);
    }

    public String queryId() {
        return request.queryId();
    }

    /**
     * Its status as built without more: RUNNING since it was taken, nothing counted; the version 0 when no config is
     * resolved.
     */
    public QueryStatus.Builder status() {
        return QueryStatus.of(request.queryId(), request.query())
                .configVersion(configVersion == null ? 0 : configVersion)
                .createdAt(takenAt.toEpochMilli());
    }

    /** The time since it was taken: its duration once answered. */
    public Duration sinceTaken() {
        return Duration.ofNanos(System.nanoTime() - takenNanos);
    }
}
