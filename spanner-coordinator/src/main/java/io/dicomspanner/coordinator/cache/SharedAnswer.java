package io.dicomspanner.coordinator.cache;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.QueryStatus;
import io.dicomspanner.common.messaging.SpanAnswer;
import java.util.List;

/**
 * The whole answer of a query before paging, as the result cache and coalesced followers receive it: every page of
 * the same query is cut from it, so the same request gets the same bytes.
 *
 * @param records the shaped results in result order, each Explicit VR Little Endian (base64 in JSON)
 */
public record SharedAnswer(
        QueryState state,
        List<byte[]> records,
        List<SpanAnswer.SourceFailure> failures,
        int matchesBeforeDeduplication,
        int matchesAfterDeduplication,
        int conflictingCopies,
        List<QueryStatus.SourceStatus> sources) {

    public SharedAnswer {
        records = List.copyOf(records);
        failures = List.copyOf(failures);
        sources = List.copyOf(sources);
    }
}
