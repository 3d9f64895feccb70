package io.dicomspanner.common.messaging;

import java.util.List;

/**
 * How to reach one DICOM source, as the coordinator resolved it from the configuration. Travels inside each task so a
 * worker needs no database access.
 *
 * @param informationModels {@code "STUDY_ROOT"} and/or {@code "PATIENT_ROOT"}, in order of preference
 * @param relationalQueries whether the PACS accepts series/image queries without the upper levels' unique keys
 */
public record SourceEndpoint(
        long sourceId,
        String name,
        String aeTitle,
        String host,
        int port,
        String callingAeTitle,
        boolean tls,
        int maxAssociations,
        int queryTimeoutSeconds,
        List<String> informationModels,
        boolean relationalQueries) {}
