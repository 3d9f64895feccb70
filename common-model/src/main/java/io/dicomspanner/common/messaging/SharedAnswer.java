package io.dicomspanner.common.messaging;

import java.util.List;

/**
 * The whole answer of a query before paging, as the result cache (Redis, {@link RedisKeys#resultCache}) and coalesced
 * followers receive it: every page of the same query is cut from it, so the same request gets the same bytes, whether
 * a coordinator or the api-gateway cuts it.
 *
 * @param records the shaped results in result order, each Explicit VR Little Endian (base64 in JSON)
 * @param sources every source's part, with the matching keys it could not apply: the answer's notes
 *     ({@link SpanAnswer.SourceNote#of}) are made from them, so an answer given from this one warns as the first did
 * @param maxResults the most results one answer holds (the {@code max-results} of the coordinator that made it), so
 *     that whoever answers from it pages it the same way; 0 in an entry from a version without it: unknown
 */
public record SharedAnswer(
        QueryState state,
        List<byte[]> records,
        List<SpanAnswer.SourceFailure> failures,
        int matchesBeforeDeduplication,
        int matchesAfterDeduplication,
        int conflictingCopies,
        List<QueryStatus.SourceStatus> sources,
        int maxResults) {

    public SharedAnswer {
        records = List.copyOf(records);
        failures = List.copyOf(failures);
        sources = List.copyOf(sources);
    }

    /**
     * This answer, or when it does not say how it pages (an entry from a version without {@code maxResults}) the same
     * answer paged by {@code fallback}, the {@code max-results} of the coordinator that reads it.
     */
    public SharedAnswer orMaxResults(int fallback) {
        if (maxResults > 0) {
            return this;
        }
        return new SharedAnswer(
                state,
                records,
                failures,
                matchesBeforeDeduplication,
                matchesAfterDeduplication,
                conflictingCopies,
                sources,
                fallback);
    }
}
