package io.dicomspanner.coordinator.query;

import io.dicomspanner.common.answer.TakenQuery;
import io.dicomspanner.common.messaging.ConflictingCopies;
import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.QueryStatus;
import io.dicomspanner.common.messaging.SharedAnswer;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.querylog.QueryLogEntry;
import io.dicomspanner.coordinator.merge.MergeStatistics;
import java.time.Duration;
import java.util.List;

/**
 * How a query this coordinator decided ended: its final state, the merge's counts and every source's part. Yields the
 * final answer, the final status, the shared answer for the cache and coalesced followers, and the query-log row.
 *
 * @param sources one per source of its config, best priority first, each with the matching keys it could not apply
 * @param failures the sources that did not succeed, or the refusal of a query that could not be asked
 * @param error the query log's error column; null for none
 */
record QueryOutcome(
        TakenQuery query,
        QueryState state,
        MergeStatistics statistics,
        List<QueryStatus.SourceStatus> sources,
        List<SpanAnswer.SourceFailure> failures,
        String error) {

    private static final MergeStatistics NOTHING_MERGED = new MergeStatistics(0, 0, List.of(), List.of());

    QueryOutcome {
        sources = List.copyOf(sources);
        failures = List.copyOf(failures);
    }

    /** A query decided by its failure strategy over these sources. */
    static QueryOutcome decided(
            TakenQuery query,
            QueryState state,
            MergeStatistics statistics,
            List<QueryStatus.SourceStatus> sources,
            List<SpanAnswer.SourceFailure> failures) {
        return new QueryOutcome(query, state, statistics, sources, failures, QueryLogEntry.errorOf(failures));
    }

    /**
     * A query that cannot be asked at all (unknown config, invalid key): FAILED, no source asked. Its one failure names
     * who refused it, so that the answer never reads as a nameless source's ({@code Source  (AE ) refused}): source id
     * 0 and no AE title, since no PACS was involved.
     *
     * @param refusedBy who refused, such as {@code spanner coordinator coordinator-1}
     */
    static QueryOutcome refused(TakenQuery query, String refusedBy, String why) {
        return new QueryOutcome(
                query,
                QueryState.FAILED,
                NOTHING_MERGED,
                List.of(),
                List.of(new SpanAnswer.SourceFailure(0, refusedBy, "", SourceOutcome.REFUSED, why)),
                why);
    }

    /** Whether the query has results to give (a failing verdict gives none, whatever arrived). */
    boolean hasResults() {
        return state == QueryState.COMPLETE || state == QueryState.PARTIAL;
    }

    /**
     * The final answer: this page of the results, how many follow it, and a note on each source whose matching keys
     * are not verified.
     */
    SpanAnswer answer(List<byte[]> page, int remaining) {
        return new SpanAnswer(
                query.queryId(),
                page,
                true,
                state,
                failures,
                statistics.recordsAfterDeduplication(),
                remaining,
                false,
                SpanAnswer.SourceNote.of(sources));
    }

    QueryStatus status(long completedEpochMillis) {
        return counted(query.status(), statistics)
                .state(state)
                .completedAt(completedEpochMillis)
                .sources(sources)
                .build();
    }

    /** The records whose copies disagree on Patient ID, by unique key. */
    List<ConflictingCopies> conflicts() {
        return statistics.conflicts();
    }

    /** A status with the merge's counts. */
    static QueryStatus.Builder counted(QueryStatus.Builder status, MergeStatistics statistics) {
        return status.matches(
                statistics.recordsBeforeDeduplication(),
                statistics.recordsAfterDeduplication(),
                statistics.conflicts().size());
    }

    /** The whole answer, {@code records} before paging, as identical queries share it; paged by {@code maxResults}. */
    SharedAnswer shared(List<byte[]> records, int maxResults) {
        return new SharedAnswer(
                state,
                records,
                failures,
                statistics.recordsBeforeDeduplication(),
                statistics.recordsAfterDeduplication(),
                statistics.conflicts().size(),
                sources,
                maxResults);
    }

    /** The query-log row, once the answer is out and {@code took} known. */
    QueryLogEntry logEntry(Duration took) {
        int answered = (int) sources.stream().filter(s -> s.state().isSuccess()).count();
        return new QueryLogEntry(
                query.request(),
                query.takenAt(),
                query.configVersion(),
                sources.size(),
                answered,
                sources.size() - answered,
                statistics.recordsBeforeDeduplication(),
                statistics.recordsAfterDeduplication(),
                took.toMillis(),
                state,
                error);
    }
}
