package io.dicomspanner.common.config;

import java.util.Objects;

/**
 * How a spanning query's answers are merged, from its spanner configuration.
 *
 * @param strategy how copies of one record become one result
 * @param deduplicationEnabled when false, every copy is a result of its own, its Retrieve AE Title naming only its
 *     source; the strategy is then unused
 */
public record MergePolicy(DeduplicationStrategy strategy, boolean deduplicationEnabled) {

    public MergePolicy {
        Objects.requireNonNull(strategy, "strategy");
    }

    public static MergePolicy deduplicating(DeduplicationStrategy strategy) {
        return new MergePolicy(strategy, true);
    }

    /** Every copy kept; the strategy is irrelevant and set to {@link DeduplicationStrategy#FIRST_WINS}. */
    public static MergePolicy keepingEveryCopy() {
        return new MergePolicy(DeduplicationStrategy.FIRST_WINS, false);
    }
}
