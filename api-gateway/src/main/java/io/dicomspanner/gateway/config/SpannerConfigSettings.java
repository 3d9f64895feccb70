package io.dicomspanner.gateway.config;

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
        boolean enterpriseMode) {}
