package io.dicomspanner.common.messaging;

import java.util.List;

/**
 * Coordinator → entry point: matches of a query, and at the end its outcome. With {@code streamMatches} there may be
 * several answers with {@code last == false} before the last one.
 *
 * @param matches merged, shaped result records as data sets in Explicit VR Little Endian, in result order
 * @param last true on the final answer of the query
 * @param state the query's state on the final answer
 * @param failures one entry per source that did not answer fully (for Warning headers / error comments)
 * @param totalMatches matches after de-duplication over the whole answer (before paging)
 * @param remaining results after this page (QIDO "additional results" warning)
 * @param fromCache true if served from the result cache
 */
public record SpanAnswer(
        String queryId,
        List<byte[]> matches,
        boolean last,
        QueryState state,
        List<SourceFailure> failures,
        int totalMatches,
        int remaining,
        boolean fromCache) {

    /**
     * One of the answers before the last of a query with {@code streamMatches}: these matches, final already, while
     * the query runs.
     *
     * @param totalMatches matches after de-duplication so far
     */
    public static SpanAnswer streamed(String queryId, List<byte[]> matches, int totalMatches) {
        return new SpanAnswer(queryId, matches, false, QueryState.RUNNING, List.of(), totalMatches, 0, false);
    }

    /** A source that failed, timed out or was skipped: what an operator needs to act on it. */
    public record SourceFailure(long sourceId, String name, String aeTitle, SourceOutcome outcome, String reason) {}
}
