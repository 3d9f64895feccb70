package io.dicomspanner.gateway.source;

import io.dicomspanner.common.messaging.ProbeStatus;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * What the spanner knows of the matching keys a source applies: the keys the worker verifies itself for it, what was
 * observed key by key, and the newest capability probe.
 *
 * @param verifiedKeys the declared {@code unmatched_keys}, then the observed keys that need verification by keyword:
 *     exactly what every worker and coordinator reads ({@code SourceEndpoint.unmatchedKeys})
 * @param observations the newest observation of each key, by keyword
 * @param probe the newest probe as the worker running it records it; {@code null} when none is recorded
 */
public record SourceMatching(
        @ArraySchema(schema = @Schema(type = "string", example = "ModalitiesInStudy"))
        List<String> verifiedKeys,

        List<KeyObservationResponse> observations,
        @Schema(nullable = true) ProbeStatus probe) {

    public SourceMatching {
        verifiedKeys = List.copyOf(verifiedKeys);
        observations = List.copyOf(observations);
    }
}
