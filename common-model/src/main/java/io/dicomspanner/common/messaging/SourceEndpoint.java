package io.dicomspanner.common.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dicomspanner.dicom.query.InformationModel;
import java.util.List;

/**
 * How to reach one DICOM source, as the coordinator resolved it from the configuration. Travels inside each task so a
 * worker needs no database access.
 *
 * @param informationModels {@link InformationModel#STUDY_ROOT} and/or {@link InformationModel#PATIENT_ROOT}, in order of
 *     preference (in JSON by constant name, {@code "STUDY_ROOT"})
 * @param relationalQueries whether the PACS accepts series/image queries without the upper levels' unique keys
 * @param unmatchedKeys PS3.6 keywords of matching keys the worker verifies itself for this PACS, where it can
 *     ({@code ModalitiesInStudy}, for one): those its configuration declares it ignores, then those a capability probe
 *     or its own answers showed it does not match ({@code KeyObservation#needsVerification}); empty when nothing is
 *     known, which is also what a task from before this field reads as
 * @param tlsVerifyHostname over TLS, whether the PACS's certificate must name {@code host}; a task from before this
 *     field reads as {@code true}
 * @param dicomweb for a DICOMweb archive, how to ask it over QIDO-RS ({@code host} and {@code port} are then those of
 *     its base URL); null for a DIMSE source, which is also what a task from before this field reads as
 */
public record SourceEndpoint(
        long sourceId,
        String name,
        String aeTitle,
        String host,
        int port,
        String callingAeTitle,
        boolean tls,
        Boolean tlsVerifyHostname,
        int maxAssociations,
        int queryTimeoutSeconds,
        List<InformationModel> informationModels,
        boolean relationalQueries,
        List<String> unmatchedKeys,
        @JsonInclude(JsonInclude.Include.NON_NULL) DicomWebEndpoint dicomweb) {

    public SourceEndpoint {
        tlsVerifyHostname = tlsVerifyHostname == null || tlsVerifyHostname;
        informationModels = List.copyOf(informationModels);
        unmatchedKeys = unmatchedKeys == null ? List.of() : List.copyOf(unmatchedKeys);
    }

    /** A DIMSE source. */
    public SourceEndpoint(
            long sourceId,
            String name,
            String aeTitle,
            String host,
            int port,
            String callingAeTitle,
            boolean tls,
            Boolean tlsVerifyHostname,
            int maxAssociations,
            int queryTimeoutSeconds,
            List<InformationModel> informationModels,
            boolean relationalQueries,
            List<String> unmatchedKeys) {
        this(
                sourceId,
                name,
                aeTitle,
                host,
                port,
                callingAeTitle,
                tls,
                tlsVerifyHostname,
                maxAssociations,
                queryTimeoutSeconds,
                informationModels,
                relationalQueries,
                unmatchedKeys,
                null);
    }

    /** A source whose certificate, over TLS, must name its host. */
    public SourceEndpoint(
            long sourceId,
            String name,
            String aeTitle,
            String host,
            int port,
            String callingAeTitle,
            boolean tls,
            int maxAssociations,
            int queryTimeoutSeconds,
            List<InformationModel> informationModels,
            boolean relationalQueries,
            List<String> unmatchedKeys) {
        this(
                sourceId,
                name,
                aeTitle,
                host,
                port,
                callingAeTitle,
                tls,
                true,
                maxAssociations,
                queryTimeoutSeconds,
                informationModels,
                relationalQueries,
                unmatchedKeys);
    }

    /** A source of which no ignored matching key is known, its certificate checked against its host over TLS. */
    public SourceEndpoint(
            long sourceId,
            String name,
            String aeTitle,
            String host,
            int port,
            String callingAeTitle,
            boolean tls,
            int maxAssociations,
            int queryTimeoutSeconds,
            List<InformationModel> informationModels,
            boolean relationalQueries) {
        this(
                sourceId,
                name,
                aeTitle,
                host,
                port,
                callingAeTitle,
                tls,
                maxAssociations,
                queryTimeoutSeconds,
                informationModels,
                relationalQueries,
                List.of());
    }

    /** Whether the source is a DICOMweb archive, asked over QIDO-RS rather than C-FIND. */
    public boolean usesDicomWeb() {
        return dicomweb != null;
    }

    /** Whether this source is known to ignore the matching key of this PS3.6 keyword. */
    public boolean ignores(String keyword) {
        return unmatchedKeys.contains(keyword);
    }
}
