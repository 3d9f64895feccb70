package io.dicomspanner.gateway.source;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dicomspanner.common.messaging.DicomWebEndpoint;
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

        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "dicomweb for a DICOMweb source; absent for a DIMSE source", allowableValues = "dicomweb")
        String protocol,

        @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Of a DICOMweb source: its QIDO-RS base")
        String baseUrl,

        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "Of a DICOMweb source: how the spanner authenticates, without the secret")
        DicomWebAuthResponse auth,

        @JsonInclude(JsonInclude.Include.NON_NULL) Integer pageSize,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean includefieldAll,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean fuzzymatching,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean limitOffset,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxResults,
        Instant createdAt,
        Instant updatedAt) {

    /**
     * A DICOMweb source's authentication as shown: the secret never, only whether one is stored.
     *
     * @param hasPassword for basic: whether a password is stored
     * @param hasToken for bearer: whether a token is stored inline (else it is read from {@code tokenFile})
     */
    public record DicomWebAuthResponse(
            @Schema(allowableValues = {"none", "basic", "bearer"})
            String type,

            @JsonInclude(JsonInclude.Include.NON_NULL) String username,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean hasPassword,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean hasToken,
            @JsonInclude(JsonInclude.Include.NON_NULL) String tokenFile) {

        static DicomWebAuthResponse of(DicomSource source) {
            DicomWebEndpoint.Auth type = source.getAuthType();
            return new DicomWebAuthResponse(
                    type.wire(),
                    source.getAuthUsername(),
                    type == DicomWebEndpoint.Auth.BASIC ? source.hasAuthSecret() : null,
                    type == DicomWebEndpoint.Auth.BEARER ? source.hasAuthSecret() : null,
                    source.getAuthTokenFile());
        }
    }

    /** The source as configured, without its {@code matching}: what the audit trail keeps. */
    static DicomSourceResponse of(DicomSource source) {
        return of(source, null);
    }

    static DicomSourceResponse of(DicomSource source, SourceMatching matching) {
        boolean web = source.getProtocol() == SourceProtocol.DICOMWEB;
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
                web ? source.getProtocol().wire() : null,
                web ? source.getBaseUrl() : null,
                web ? DicomWebAuthResponse.of(source) : null,
                web ? source.getPageSize() : null,
                web ? source.isIncludefieldAll() : null,
                web ? source.isFuzzymatching() : null,
                web ? source.isLimitOffset() : null,
                web ? source.getMaxResults() : null,
                source.getCreatedAt(),
                source.getUpdatedAt());
    }
}
