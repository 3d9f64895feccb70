package io.dicomspanner.coordinator.config;

import io.dicomspanner.coordinator.merge.MergePolicy;
import java.util.List;

/**
 * A spanner configuration as one query needs it: immutable, valid for exactly one {@code version}.
 *
 * @param maxConcurrentSources the most sources of one query asked at the same time; the others are asked, best
 *     priority first, as earlier ones end
 * @param minimumSuccessThreshold only for {@link FailureStrategy#MINIMUM_THRESHOLD}, else 0
 * @param cacheTtlSeconds how long complete answers are cached; 0 = no caching
 * @param sources the enabled mappings to enabled sources, best priority first
 */
public record SpanningConfig(
        long id,
        long version,
        String name,
        boolean enabled,
        int maxConcurrentSources,
        int timeoutSeconds,
        int retryAttempts,
        FailureStrategy failureStrategy,
        int minimumSuccessThreshold,
        MergePolicy mergePolicy,
        int cacheTtlSeconds,
        List<MappedSource> sources) {

    public SpanningConfig {
        sources = List.copyOf(sources);
    }
}
