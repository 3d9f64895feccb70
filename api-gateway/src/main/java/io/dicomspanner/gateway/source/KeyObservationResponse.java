package io.dicomspanner.gateway.source;

import io.dicomspanner.common.capability.KeyObservation;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** What was last observed of whether a source matches on one key, as the API shows it ({@link KeyObservation}). */
public record KeyObservationResponse(
        @Schema(description = "PS3.6 keyword of the matching key", example = "ModalitiesInStudy")
        String keyword,

        @Schema(
                description = "true: the source applies the key; false: it does not (the worker verifies it); null:"
                        + " not determined",
                nullable = true)
        Boolean matched,

        @Schema(
                description = "whether the source returns the attribute's value when asked; null: not determined",
                nullable = true)
        Boolean returned,

        @Schema(
                type = "string",
                allowableValues = {"probed", "learned"})
        KeyObservation.Origin origin,

        Instant observedAt,

        @Schema(description = "what was seen: counts and rules, never a value")
        String evidence) {

    static KeyObservationResponse of(KeyObservation observation) {
        return new KeyObservationResponse(
                observation.keyword(),
                observation.matched(),
                observation.returned(),
                observation.origin(),
                observation.observedAt(),
                observation.evidence());
    }
}
