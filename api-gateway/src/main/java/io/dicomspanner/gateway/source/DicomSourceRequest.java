package io.dicomspanner.gateway.source;

import io.dicomspanner.common.wire.WireEnum;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.gateway.validation.AeTitle;
import io.dicomspanner.gateway.validation.HostName;
import io.dicomspanner.gateway.validation.OneOf;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Objects;
import org.hibernate.validator.constraints.Range;

/** The body of a create or replace of a DICOM source; absent optional fields take their defaults. */
public record DicomSourceRequest(
        @NotBlank @Size(max = 128) String name,
        @NotNull @AeTitle String aeTitle,
        @NotBlank @HostName String host,
        @NotNull @Range(min = 1, max = 65535) Integer port,

        @Schema(defaultValue = DEFAULT_CALLING_AE_TITLE) @AeTitle
        String callingAeTitle,

        @Schema(defaultValue = "false") Boolean tls,

        @Schema(
                defaultValue = "true",
                description = "Over TLS, whether the source's certificate must name its host; off for a PACS reached"
                        + " by an address its certificate does not name")
        Boolean tlsVerifyHostname,

        @Schema(defaultValue = "4") @Range(min = 1, max = 64)
        Integer maxAssociations,

        @Schema(defaultValue = "30") @Range(min = 1, max = 3600)
        Integer queryTimeoutSeconds,

        // Sources are asked in Study Root or Patient Root; the retired Patient/Study Only model is not offered.
        @ArraySchema(
                schema = @Schema(allowableValues = {"study_root", "patient_root"}),
                arraySchema = @Schema(defaultValue = "[\"study_root\"]"))
        @Size(min = 1, message = "must name at least one information model")
        List<
                        @NotNull
                        @OneOf(
                                value = InformationModel.class,
                                only = {"study_root", "patient_root"})
                        String>
                informationModels,

        @Schema(defaultValue = "false") Boolean relationalQueries,

        // What the source is known to ignore, so that its answers can be verified: nothing known by default.
        @ArraySchema(
                schema = @Schema(description = "PS3.6 keyword of a matching key", example = "ModalitiesInStudy"),
                arraySchema = @Schema(defaultValue = "[]"))
        @DistinctKeywords
        List<@NotNull @MatchingKeyword String> unmatchedKeys,

        @Schema(defaultValue = "true") Boolean enabled,

        @Schema(description = "The site the source belongs to; none by default", example = "north-campus")
        @Size(max = SourceLabels.MAX_LENGTH)
        @Pattern(regexp = SourceLabels.PATTERN, message = SourceLabels.PATTERN_MESSAGE)
        String location,

        @ArraySchema(
                schema = @Schema(description = "A label of the source", example = "radiology"),
                arraySchema = @Schema(defaultValue = "[]"))
        @Size(max = SourceLabels.MAX_TAGS)
        List<
                        @NotNull @Size(max = SourceLabels.MAX_LENGTH)
                        @Pattern(regexp = SourceLabels.PATTERN, message = SourceLabels.PATTERN_MESSAGE) String>
                tags) {

    static final String DEFAULT_CALLING_AE_TITLE = "SPANNER";
    static final int DEFAULT_MAX_ASSOCIATIONS = 4;
    static final int DEFAULT_QUERY_TIMEOUT_SECONDS = 30;

    DicomSourceSettings withDefaults() {
        return new DicomSourceSettings(
                name.strip(),
                aeTitle.strip(),
                host.strip(),
                port,
                Objects.requireNonNullElse(callingAeTitle, DEFAULT_CALLING_AE_TITLE)
                        .strip(),
                Objects.requireNonNullElse(tls, false),
                Objects.requireNonNullElse(tlsVerifyHostname, true),
                Objects.requireNonNullElse(maxAssociations, DEFAULT_MAX_ASSOCIATIONS),
                Objects.requireNonNullElse(queryTimeoutSeconds, DEFAULT_QUERY_TIMEOUT_SECONDS),
                informationModels == null
                        ? List.of(InformationModel.STUDY_ROOT)
                        : informationModels.stream()
                                .distinct()
                                .map(wire -> WireEnum.fromWire(InformationModel.class, wire))
                                .toList(),
                Objects.requireNonNullElse(relationalQueries, false),
                unmatchedKeys == null
                        ? List.of()
                        : unmatchedKeys.stream()
                                .map(keyword ->
                                        MatchingKeywords.canonical(keyword).orElseThrow())
                                .toList(),
                location,
                tags == null ? List.of() : tags.stream().distinct().toList(),
                Objects.requireNonNullElse(enabled, true));
    }
}
