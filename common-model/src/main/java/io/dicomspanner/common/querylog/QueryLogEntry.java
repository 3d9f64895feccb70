package io.dicomspanner.common.querylog;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanRequest;
import java.time.Instant;
import java.util.List;

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
        String error) {

    /** The {@code error} column for these failures: each source's name, outcome and reason; null for none. */
    public static String errorOf(List<SpanAnswer.SourceFailure> failures) {
        if (failures.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (SpanAnswer.SourceFailure f : failures) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(f.name().isEmpty() ? "query" : f.name())
                    .append(": ")
                    .append(f.outcome())
                    .append(" (")
                    .append(f.reason())
                    .append(')');
        }
        return sb.toString();
    }
}
