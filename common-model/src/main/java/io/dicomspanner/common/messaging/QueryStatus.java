package io.dicomspanner.common.messaging;

import java.util.List;

/**
 * What {@code GET /api/v1/spanner/queries/{id}/status} shows, kept in Redis by the coordinator.
 *
 * @param matchesBeforeDeduplication records accepted from all sources (after the re-check)
 * @param matchesAfterDeduplication distinct records
 * @param conflictingCopies records whose copies disagree on PatientID across sources
 */
public record QueryStatus(
        String queryId,
        long configId,
        long configVersion,
        String level,
        QueryState state,
        long createdEpochMillis,
        Long completedEpochMillis,
        boolean fromCache,
        boolean coalesced,
        int matchesBeforeDeduplication,
        int matchesAfterDeduplication,
        int conflictingCopies,
        List<SourceStatus> sources) {

    /** One source's part in the query. */
    public record SourceStatus(
            long sourceId,
            String name,
            String aeTitle,
            SourceOutcome state,
            int matches,
            int droppedByRecheck,
            Long latencyMillis,
            String error) {}
}
