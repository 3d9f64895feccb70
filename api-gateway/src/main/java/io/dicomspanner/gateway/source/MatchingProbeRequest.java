package io.dicomspanner.gateway.source;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * The optional body of a capability probe request: which keys to probe, checked as {@code unmatched_keys} are and
 * of the patient, study or series level; absent or empty, the probe's default keys.
 */
public record MatchingProbeRequest(
        @ArraySchema(
                schema = @Schema(description = "PS3.6 keyword of a matching key", example = "ModalitiesInStudy"),
                arraySchema = @Schema(defaultValue = "[]"))
        @DistinctKeywords
        List<@NotNull @ProbeKeyword String> keys) {

    /** The keys as PS3.6 spells them, in the order sent. */
    List<String> canonicalKeys() {
        return keys == null
                ? List.of()
                : keys.stream()
                        .map(keyword -> MatchingKeywords.canonical(keyword).orElseThrow())
                        .toList();
    }
}
