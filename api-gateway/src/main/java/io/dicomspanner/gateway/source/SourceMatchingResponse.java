package io.dicomspanner.gateway.source;

import io.dicomspanner.common.messaging.ProbeStatus;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The {@link SourceMatching} of one source, named: the answer of {@code GET /api/v1/sources/{id}/matching}. */
public record SourceMatchingResponse(
        long sourceId,
        String name,

        @ArraySchema(schema = @Schema(type = "string", example = "ModalitiesInStudy"))
        List<String> verifiedKeys,

        List<KeyObservationResponse> observations,
        @Schema(nullable = true) ProbeStatus probe) {

    static SourceMatchingResponse of(long sourceId, String name, SourceMatching matching) {
        return new SourceMatchingResponse(
                sourceId, name, matching.verifiedKeys(), matching.observations(), matching.probe());
    }
}
