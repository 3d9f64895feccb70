package io.dicomspanner.common.config;

import java.util.List;

/**
 * The settings of one spanning config: one row of {@code spanner_config} (owned by the api-gateway's admin API), as
 * every service that spans reads it ({@link SpanningConfigRows}). The gateway's searches use its id, version, timeout
 * and cache TTL; the listener its SCP AE title and allow-list; the coordinator all of it, with the config's sources.
 *
 * @param version changes on every edit of the config or of its source mappings: caches key on it
 * @param maxConcurrentSources the most sources of one query asked at the same time; the others are asked, best
 *     priority first, as earlier ones end
 * @param timeoutSeconds how long the sources of one query may take
 * @param minimumSuccessThreshold only for {@link FailureStrategy#MINIMUM_THRESHOLD}, else 0
 * @param cacheTtlSeconds how long complete answers are cached; 0 = no caching
 * @param scpAeTitle the called AE title under which the DIMSE listener answers for this config; null = none
 * @param allowedCallingAeTitles who may call {@code scpAeTitle}; empty = anyone
 */
public record SpanningSettings(
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
        String scpAeTitle,
        List<String> allowedCallingAeTitles) {

    public SpanningSettings {
        allowedCallingAeTitles = List.copyOf(allowedCallingAeTitles);
    }

    /** Whether {@code callingAeTitle} may call this config's SCP AE title. */
    public boolean allowsCaller(String callingAeTitle) {
        return allowedCallingAeTitles.isEmpty() || allowedCallingAeTitles.contains(callingAeTitle);
    }
}
