package io.dicomspanner.gateway.config;

import java.util.Map;

/**
 * A mapping's settings once every default is filled in: what is stored. {@code sourceType} is null until the source's
 * own is known ({@link #ofType}).
 */
record SourceMappingSettings(
        SourceType sourceType,
        long sourceId,
        int priority,
        Integer timeoutOverride,
        boolean enabled,
        Map<String, String> additionalQueryFilters) {

    SourceMappingSettings ofType(SourceType type) {
        return new SourceMappingSettings(type, sourceId, priority, timeoutOverride, enabled, additionalQueryFilters);
    }

    /** Filter keywords only: a filter value may be PHI (a PatientID), and records end up in debug logs. */
    @Override
    public String toString() {
        return "SourceMappingSettings[sourceType=" + sourceType + ", sourceId=" + sourceId + ", priority=" + priority
                + ", timeoutOverride=" + timeoutOverride + ", enabled=" + enabled + ", additionalQueryFilters="
                + additionalQueryFilters.keySet() + "]";
    }
}
