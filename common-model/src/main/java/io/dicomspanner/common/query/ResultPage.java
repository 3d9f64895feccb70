package io.dicomspanner.common.query;

import java.util.List;
import java.util.OptionalInt;

/**
 * One page of sorted results, with what QIDO-RS paging reports (PS3.18 §8.3.4.4): the number returned is {@code
 * min(max(0, matches - offset), maxResults, limit)}, and the results after the page are counted for the warning
 * "There are N additional results that can be requested".
 *
 * @param items the results of this page
 * @param matches all results across every source, before paging
 * @param offset the first result's position in the whole answer
 * @param remaining results after this page: {@code max(0, matches - offset - items.size())}
 */
public record ResultPage<T>(List<T> items, int matches, int offset, int remaining) {

    public ResultPage {
        items = List.copyOf(items);
    }

    /**
     * The page of {@code sorted} starting at {@code offset}.
     *
     * @param limit the client's limit, if it gave one
     * @param maxResults the most results the service returns in one response, whatever the limit
     * @throws IllegalArgumentException if {@code offset}, {@code limit} or {@code maxResults} is negative
     */
    public static <T> ResultPage<T> of(List<T> sorted, int offset, OptionalInt limit, int maxResults) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset is negative: " + offset);
        }
        if (limit.isPresent() && limit.getAsInt() < 0) {
            throw new IllegalArgumentException("limit is negative: " + limit.getAsInt());
        }
        if (maxResults < 0) {
            throw new IllegalArgumentException("maxResults is negative: " + maxResults);
        }
        int matches = sorted.size();
        int available = Math.max(0, matches - offset);
        int returned = Math.min(Math.min(available, maxResults), limit.orElse(Integer.MAX_VALUE));
        int from = Math.min(offset, matches);
        return new ResultPage<>(sorted.subList(from, from + returned), matches, offset, available - returned);
    }

    /** True when results remain after this page, which QIDO-RS reports in a Warning header. */
    public boolean hasMore() {
        return remaining > 0;
    }
}
