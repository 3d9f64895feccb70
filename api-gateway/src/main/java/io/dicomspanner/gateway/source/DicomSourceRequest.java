package io.dicomspanner.gateway.source;

import io.dicomspanner.common.wire.WireEnum;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.gateway.error.InvalidRequestException;
import io.dicomspanner.gateway.validation.AeTitle;
import io.dicomspanner.gateway.validation.HostName;
import io.dicomspanner.gateway.validation.OneOf;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import org.hibernate.validator.constraints.Range;

/** The body of a create or replace of a DICOM source; absent optional fields take their defaults. */
@ProtocolFields
public record DicomSourceRequest(
        @NotBlank @Size(max = 128) String name,
        @NotNull @AeTitle String aeTitle,

        @Schema(description = "Of a DIMSE source; a DICOMweb source's is that of its base_url") @HostName
        String host,

        @Schema(description = "Of a DIMSE source; a DICOMweb source's is that of its base_url")
        @Range(min = 1, max = 65535)
        Integer port,

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
                tags,

        @Schema(
                allowableValues = {"dimse", "dicomweb"},
                defaultValue = "dimse")
        @OneOf(SourceProtocol.class)
        String protocol,

        @Schema(
                description = "Of a DICOMweb source: its QIDO-RS base, http or https",
                example = "https://archive.example.org/dicom-web")
        @Size(max = 2048)
        String baseUrl,

        @Schema(description = "Of a DICOMweb source: how the spanner authenticates; none by default") @Valid
        DicomWebAuthRequest auth,

        @Schema(description = "Of a DICOMweb source: results asked for per request", defaultValue = "100")
        @Range(min = 1, max = 10000)
        Integer pageSize,

        @Schema(description = "Of a DICOMweb source: whether it understands includefield=all", defaultValue = "false")
        Boolean includefieldAll,

        @Schema(description = "Of a DICOMweb source: whether it understands fuzzymatching", defaultValue = "false")
        Boolean fuzzymatching,

        @Schema(description = "Of a DICOMweb source: whether it pages with limit and offset", defaultValue = "true")
        Boolean limitOffset,

        @Schema(
                description = "Of a DICOMweb source: the most results it gives for one search whatever its paging "
                        + "(Orthanc's LimitFindResults); 0: no cap",
                defaultValue = "0")
        @Range(min = 0, max = 1000000)
        Integer maxResults) {

    static final String DEFAULT_CALLING_AE_TITLE = "SPANNER";
    static final int DEFAULT_PAGE_SIZE = 100;
    static final int DEFAULT_MAX_ASSOCIATIONS = 4;
    static final int DEFAULT_QUERY_TIMEOUT_SECONDS = 30;

    DicomSourceSettings withDefaults() {
        InvalidRequestException.Collector problems = new InvalidRequestException.Collector();
        SourceProtocol kind = checkProtocolFields(problems);
        problems.throwIfAny(); // already reported by @ProtocolFields: a safety net only
        DicomWebSettings dicomweb = null;
        String sourceHost = host == null ? null : host.strip();
        Integer sourcePort = port;
        boolean sourceTls = Objects.requireNonNullElse(tls, false);
        if (kind == SourceProtocol.DICOMWEB) {
            URI url = DicomWebRequests.baseUrl(baseUrl, problems);
            dicomweb = DicomWebRequests.settings(
                    url, auth, pageSize, includefieldAll, fuzzymatching, limitOffset, maxResults, problems);
            sourceHost = url.getHost();
            sourcePort = url.getPort() != -1 ? url.getPort() : url.getScheme().equals("https") ? 443 : 80;
            sourceTls = url.getScheme().equals("https");
        }
        return new DicomSourceSettings(
                name.strip(),
                aeTitle.strip(),
                sourceHost,
                sourcePort,
                Objects.requireNonNullElse(callingAeTitle, DEFAULT_CALLING_AE_TITLE)
                        .strip(),
                sourceTls,
                Objects.requireNonNullElse(tlsVerifyHostname, true),
                Objects.requireNonNullElse(maxAssociations, DEFAULT_MAX_ASSOCIATIONS),
                Objects.requireNonNullElse(queryTimeoutSeconds, DEFAULT_QUERY_TIMEOUT_SECONDS),
                informationModels == null
                        ? List.of(InformationModel.STUDY_ROOT)
                        : informationModels.stream()
                                .distinct()
                                .map(wire -> WireEnum.fromWire(InformationModel.class, wire))
                                .toList(),
                // QIDO-RS archives search series and instances across studies (PS3.18 §10.6: required of a native
                // service); a PACS is not assumed to take relational C-FINDs
                Objects.requireNonNullElse(relationalQueries, kind == SourceProtocol.DICOMWEB),
                unmatchedKeys == null
                        ? List.of()
                        : unmatchedKeys.stream()
                                .map(keyword ->
                                        MatchingKeywords.canonical(keyword).orElseThrow())
                                .toList(),
                location,
                tags == null ? List.of() : tags.stream().distinct().toList(),
                Objects.requireNonNullElse(enabled, true),
                kind,
                dicomweb);
    }

    /**
     * Collects what is wrong with the fields that depend on the protocol (what a DIMSE source needs, what a DICOMweb
     * source needs, and fields of the other protocol, which are refused rather than stored unused); returns the
     * protocol, or null when it is not one ({@code @OneOf} reports that).
     */
    SourceProtocol checkProtocolFields(InvalidRequestException.Collector problems) {
        SourceProtocol kind;
        try {
            kind = protocol == null ? SourceProtocol.DIMSE : WireEnum.fromWire(SourceProtocol.class, protocol);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (kind == SourceProtocol.DIMSE) {
            if (host == null || host.isBlank()) {
                problems.add("host", "must not be blank");
            }
            if (port == null) {
                problems.add("port", "must not be null");
            }
            notFor(kind, "base_url", baseUrl, problems);
            notFor(kind, "auth", auth, problems);
            notFor(kind, "page_size", pageSize, problems);
            notFor(kind, "includefield_all", includefieldAll, problems);
            notFor(kind, "fuzzymatching", fuzzymatching, problems);
            notFor(kind, "limit_offset", limitOffset, problems);
            notFor(kind, "max_results", maxResults, problems);
        } else {
            notFor(kind, "host", host, problems);
            notFor(kind, "port", port, problems);
            notFor(kind, "tls", tls, problems);
            URI url = DicomWebRequests.baseUrl(baseUrl, problems);
            DicomWebRequests.settings(
                    url, auth, pageSize, includefieldAll, fuzzymatching, limitOffset, maxResults, problems);
        }
        return kind;
    }

    /** A field of the other protocol, given: refused rather than stored unused. */
    private static void notFor(
            SourceProtocol kind, String field, Object value, InvalidRequestException.Collector problems) {
        if (value != null) {
            problems.add(field, "does not apply to a source of protocol " + kind.wire());
        }
    }
}
