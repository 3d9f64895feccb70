package io.dicomspanner.gateway.config;

import io.dicomspanner.common.phi.PhiAttribute;
import io.dicomspanner.common.wire.WireEnum;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.gateway.error.InvalidRequestException;
import io.dicomspanner.gateway.validation.OneOf;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.hibernate.validator.constraints.Range;

/** The body of a create or replace of a source mapping; absent optional fields take their defaults. */
public record SourceMappingRequest(
        @Schema(
                description = "modality for a DIMSE source, dicomweb for a DICOMweb source; by default the source's",
                allowableValues = {"modality", "dicomweb"})
        @OneOf(SourceType.class)
        String sourceType,

        @NotNull @Positive Long sourceId,

        @Schema(description = "1 is the highest", defaultValue = "1") @Range(min = 1, max = 1000)
        Integer priority,

        @Schema(description = "Seconds; replaces the source's query_timeout_seconds for this config")
        @Range(min = 1, max = 3600)
        Integer timeoutOverride,

        @Schema(defaultValue = "true") Boolean enabled,

        @Schema(description = "DICOM keyword to value, added to every query sent to this source")
        @Size(max = MAX_FILTERS)
        Map<String, String> additionalQueryFilters) {

    static final int MAX_FILTERS = 64;
    /** Longest filter value: a list of UIDs (64 characters each) still fits. */
    static final int MAX_FILTER_VALUE_LENGTH = 4096;

    static final int DEFAULT_PRIORITY = 1;

    SourceMappingSettings withDefaults() {
        Map<String, String> filters = additionalQueryFilters == null ? Map.of() : additionalQueryFilters;
        InvalidRequestException.Collector problems = new InvalidRequestException.Collector();
        filters.forEach((keyword, value) -> {
            String field = "additional_query_filters." + keyword;
            ElementDictionary.Entry entry = ElementDictionary.standard().entryOf(keyword);
            if (entry == null) {
                problems.add(field, "is not a DICOM keyword (PS3.6 spelling, e.g. InstitutionName)");
            } else if (entry.vr() == VR.SQ) {
                problems.add(field, "is a sequence; a filter needs an attribute with a single value");
            } else if (PhiAttribute.ofKeyword(keyword).isPresent()) {
                // The configuration is stored and audited in clear text, where no patient identifier may be.
                problems.add(
                        field, "is a patient attribute; a source's filters apply to every query and name no patient");
            }
            if (value == null) {
                problems.add(field, "must be a string");
            } else if (value.length() > MAX_FILTER_VALUE_LENGTH) {
                problems.add(field, "must be at most " + MAX_FILTER_VALUE_LENGTH + " characters");
            }
        });
        problems.throwIfAny();
        return new SourceMappingSettings(
                sourceType == null ? null : WireEnum.fromWire(SourceType.class, sourceType),
                sourceId,
                Objects.requireNonNullElse(priority, DEFAULT_PRIORITY),
                timeoutOverride,
                Objects.requireNonNullElse(enabled, true),
                new LinkedHashMap<>(filters));
    }

    /** Filter keywords only: a filter value may be PHI (a PatientID), and records end up in debug logs. */
    @Override
    public String toString() {
        return "SourceMappingRequest[sourceType=" + sourceType + ", sourceId=" + sourceId + ", priority=" + priority
                + ", timeoutOverride=" + timeoutOverride + ", enabled=" + enabled + ", additionalQueryFilters="
                + (additionalQueryFilters == null ? null : additionalQueryFilters.keySet()) + "]";
    }
}
