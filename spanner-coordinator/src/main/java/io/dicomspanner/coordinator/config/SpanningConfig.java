package io.dicomspanner.coordinator.config;

import io.dicomspanner.common.config.FailureStrategy;
import io.dicomspanner.common.config.MergePolicy;
import io.dicomspanner.common.config.SpanningSettings;
import java.util.List;
import java.util.Objects;

/**
 * A spanner configuration as one query needs it: its settings (the {@code spanner_config} row every service reads
 * alike) and the sources it spans, which only the coordinator reads. Immutable, valid for exactly one
 * {@code version}. The settings' members are repeated here so that a query reads {@code config.timeoutSeconds()}.
 *
 * @param sources the enabled mappings to enabled sources, best priority first
 */
public record SpanningConfig(SpanningSettings settings, List<MappedSource> sources) {

    public SpanningConfig {
        Objects.requireNonNull(settings, "settings");
        sources = List.copyOf(sources);
    }

    public long id() {
        return settings.id();
    }

    public long version() {
        return settings.version();
    }

    public String name() {
        return settings.name();
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /** See {@link SpanningSettings#maxConcurrentSources()}. */
    public int maxConcurrentSources() {
        return settings.maxConcurrentSources();
    }

    public int timeoutSeconds() {
        return settings.timeoutSeconds();
    }

    public int retryAttempts() {
        return settings.retryAttempts();
    }

    public FailureStrategy failureStrategy() {
        return settings.failureStrategy();
    }

    /** Only for {@link FailureStrategy#MINIMUM_THRESHOLD}, else 0. */
    public int minimumSuccessThreshold() {
        return settings.minimumSuccessThreshold();
    }

    public MergePolicy mergePolicy() {
        return settings.mergePolicy();
    }

    /** How long complete answers are cached; 0 = no caching. */
    public int cacheTtlSeconds() {
        return settings.cacheTtlSeconds();
    }
}
