package io.dicomspanner.common.messaging;

import java.util.ArrayList;
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
 * @param notes one entry per source whose part of the answer is not verified against every matching key (a source
 *     that answered is no failure for that: it is here, not in {@code failures}); on a streamed answer, the sources
 *     known so far; empty in an answer from before this field
 * @param streamedBefore on the last answer, how many answers with {@code last == false} the coordinator sent before
 *     it: the broker keeps the order of messages on one channel only, so an entry point holds a last answer that
 *     overtook some of them until they arrive (0 on every other answer, and in an answer from before this field)
 */
public record SpanAnswer(
        String queryId,
        List<byte[]> matches,
        boolean last,
        QueryState state,
        List<SourceFailure> failures,
        int totalMatches,
        int remaining,
        boolean fromCache,
        List<SourceNote> notes,
        Integer streamedBefore) {

    public SpanAnswer {
        notes = notes == null ? List.of() : List.copyOf(notes);
        streamedBefore = streamedBefore == null ? 0 : streamedBefore;
        if (streamedBefore < 0) {
            throw new IllegalArgumentException("streamedBefore must not be negative: " + streamedBefore);
        }
    }

    /** An answer that follows no streamed answer. */
    public SpanAnswer(
            String queryId,
            List<byte[]> matches,
            boolean last,
            QueryState state,
            List<SourceFailure> failures,
            int totalMatches,
            int remaining,
            boolean fromCache,
            List<SourceNote> notes) {
        this(queryId, matches, last, state, failures, totalMatches, remaining, fromCache, notes, 0);
    }

    /** An answer with no note on any source. */
    public SpanAnswer(
            String queryId,
            List<byte[]> matches,
            boolean last,
            QueryState state,
            List<SourceFailure> failures,
            int totalMatches,
            int remaining,
            boolean fromCache) {
        this(queryId, matches, last, state, failures, totalMatches, remaining, fromCache, List.of());
    }

    /** This answer, sent after {@code streamed} answers with {@code last == false}. */
    public SpanAnswer afterStreamed(int streamed) {
        return new SpanAnswer(
                queryId, matches, last, state, failures, totalMatches, remaining, fromCache, notes, streamed);
    }

    /**
     * One of the answers before the last of a query with {@code streamMatches}: these matches, final already, while
     * the query runs.
     *
     * @param totalMatches matches after de-duplication so far
     * @param notes the notes on the sources known so far
     */
    public static SpanAnswer streamed(String queryId, List<byte[]> matches, int totalMatches, List<SourceNote> notes) {
        return new SpanAnswer(queryId, matches, false, QueryState.RUNNING, List.of(), totalMatches, 0, false, notes);
    }

    /** A source that failed, timed out or was skipped: what an operator needs to act on it. */
    public record SourceFailure(long sourceId, String name, String aeTitle, SourceOutcome outcome, String reason) {}

    /**
     * What an entry point tells its client of a source that answered: the matching keys it could not apply and its
     * worker could not verify, so its results may include records that do not match them.
     *
     * @param unverifiedKeys PS3.6 keywords, never empty
     * @param verificationBound the bound of sub-queries at which its worker stopped verifying; 0 when it did not
     */
    public record SourceNote(
            long sourceId, String name, String aeTitle, List<String> unverifiedKeys, Integer verificationBound) {

        public SourceNote {
            verificationBound = verificationBound == null ? 0 : verificationBound;
            unverifiedKeys = unverifiedKeys == null ? List.of() : List.copyOf(unverifiedKeys);
        }

        /** A note of a source whose worker did not stop verifying at a bound. */
        public SourceNote(long sourceId, String name, String aeTitle, List<String> unverifiedKeys) {
            this(sourceId, name, aeTitle, unverifiedKeys, 0);
        }

        /**
         * The notes of these sources' parts in a query: one per source with unverified keys, in their order; none
         * for null (a status without sources).
         */
        public static List<SourceNote> of(List<QueryStatus.SourceStatus> sources) {
            if (sources == null) {
                return List.of();
            }
            List<SourceNote> notes = new ArrayList<>();
            for (QueryStatus.SourceStatus source : sources) {
                if (!source.unverifiedKeys().isEmpty()) {
                    notes.add(new SourceNote(
                            source.sourceId(),
                            source.name(),
                            source.aeTitle(),
                            source.unverifiedKeys(),
                            source.verificationBound()));
                }
            }
            return List.copyOf(notes);
        }
    }
}
