package io.dicomspanner.gateway.config;

import io.dicomspanner.common.config.DeduplicationStrategy;
import io.dicomspanner.common.config.FailureStrategy;
import java.time.Instant;
import java.util.List;

/** A spanner config as the API shows it; {@code version} changes on every edit of it or of its mappings. */
public record SpannerConfigResponse(
        long id,
        String name,
        String description,
        boolean enabled,
        int maxConcurrentSources,
        int timeoutSeconds,
        int retryAttempts,
        FailureStrategy failureStrategy,
        Integer minimumSuccessThreshold,
        boolean deduplicationEnabled,
        DeduplicationStrategy deduplicationStrategy,
        int cacheTtlSeconds,
        String scpAeTitle,
        List<String> allowedCallingAeTitles,
        boolean enterpriseMode,
        List<String> includeLocations,
        List<String> includeTags,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    static SpannerConfigResponse of(SpannerConfig config) {
        return new SpannerConfigResponse(
                config.getId(),
                config.getName(),
                config.getDescription(),
                config.isEnabled(),
                config.getMaxConcurrentSources(),
                config.getTimeoutSeconds(),
                config.getRetryAttempts(),
                config.getFailureStrategy(),
                config.getMinimumSuccessThreshold(),
                config.isDeduplicationEnabled(),
                config.getDeduplicationStrategy(),
                config.getCacheTtlSeconds(),
                config.getScpAeTitle(),
                config.getAllowedCallingAeTitles(),
                config.isEnterpriseMode(),
                config.getIncludeLocations(),
                config.getIncludeTags(),
                config.getVersion(),
                config.getCreatedAt(),
                config.getUpdatedAt());
    }
}
