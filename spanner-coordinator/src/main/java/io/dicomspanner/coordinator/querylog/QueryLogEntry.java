package io.dicomspanner.coordinator.querylog;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.SpanRequest;
import java.time.Instant;

/**
 * One spanning query as the query log records it.
 *
 * @param configVersion null when the config could not be resolved
 */
public record QueryLogEntry(
        SpanRequest request,
        Instant startedAt,
        Long configVersion,
        int sourcesAsked,
        int sourcesAnswered,
        int sourcesFailed,
        int matchesBeforeDeduplication,
        int matchesAfterDeduplication,
        long durationMillis,
        QueryState state,
        String error) {}
