package io.dicomspanner.gateway.source;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.gateway.validation.WireEnumSerializer;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * A DICOM source as the API shows it. Its {@code matching} is observed rather than configured: the audit trail's
 * snapshots of a source ({@link #of(DicomSource)}) leave it out.
 */
public record DicomSourceResponse(
        long id,
        String name,
        String aeTitle,
        String host,
        int port,
        String callingAeTitle,
        boolean tls,
        boolean tlsVerifyHostname,
        int maxAssociations,
        int queryTimeoutSeconds,

        @JsonSerialize(contentUsing = WireEnumSerializer.class)
        @ArraySchema(
                schema =
                        @Schema(
                                type = "string",
                                allowableValues = {"study_root", "patient_root"}))
        List<InformationModel> informationModels,

        boolean relationalQueries,

        @ArraySchema(schema = @Schema(type = "string", example = "ModalitiesInStudy"))
        List<String> unmatchedKeys,

        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "What the source is known to match on")
        SourceMatching matching,

        @Schema(description = "The site the source belongs to; null: none")
        String location,

        List<String> tags,
        boolean enabled,
        Instant createdAt,
        Instant updatedAt) {

    /** The source as configured, without its {@code matching}: what the audit trail keeps. */
    static DicomSourceResponse of(DicomSource source) {
        return of(source, null);
    }

    static DicomSourceResponse of(DicomSource source, SourceMatching matching) {
        return new DicomSourceResponse(
                source.getId(),
                source.getName(),
                source.getAeTitle(),
                source.getHost(),
                source.getPort(),
                source.getCallingAeTitle(),
                source.isTls(),
                source.isTlsVerifyHostname(),
                source.getMaxAssociations(),
                source.getQueryTimeoutSeconds(),
                source.getInformationModels(),
                source.isRelationalQueries(),
                source.getUnmatchedKeys(),
                matching,
                source.getLocation(),
                source.getTags(),
                source.isEnabled(),
                source.getCreatedAt(),
                source.getUpdatedAt());
    }
}
