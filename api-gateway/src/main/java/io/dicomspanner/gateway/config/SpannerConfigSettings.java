package io.dicomspanner.gateway.config;

import io.dicomspanner.common.config.DeduplicationStrategy;
import io.dicomspanner.common.config.FailureStrategy;
import java.util.List;

/** A config's settings once every default is filled in: what is stored. */
record SpannerConfigSettings(
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
        List<String> includeLocations,
        List<String> includeTags) {}
