package io.dicomspanner.gateway.config;

import java.time.Instant;
import java.util.Map;

/** A source mapping as the API shows it. */
public record SourceMappingResponse(
        long id,
        long configId,
        SourceType sourceType,
        long sourceId,
        int priority,
        Integer timeoutOverride,
        boolean enabled,
        Map<String, String> additionalQueryFilters,
        Instant createdAt,
        Instant updatedAt) {

    static SourceMappingResponse of(SourceMapping mapping) {
        return new SourceMappingResponse(
                mapping.getId(),
                mapping.getConfigId(),
                mapping.getSourceType(),
                mapping.getSourceId(),
                mapping.getPriority(),
                mapping.getTimeoutOverride(),
                mapping.isEnabled(),
                mapping.getAdditionalQueryFilters(),
                mapping.getCreatedAt(),
                mapping.getUpdatedAt());
    }

    /** The same mapping with PHI filter values as tokens, for the audit trail. */
    SourceMappingResponse withFilters(Map<String, String> filters) {
        return new SourceMappingResponse(
                id, configId, sourceType, sourceId, priority, timeoutOverride, enabled, filters, createdAt, updatedAt);
    }

    /** Filter keywords only: a filter value may be PHI (a PatientID), and records end up in debug logs. */
    @Override
    public String toString() {
        return "SourceMappingResponse[id=" + id + ", configId=" + configId + ", sourceType=" + sourceType
                + ", sourceId="
                + sourceId + ", priority=" + priority + ", timeoutOverride=" + timeoutOverride + ", enabled=" + enabled
                + ", additionalQueryFilters=" + additionalQueryFilters.keySet() + "]";
    }
}
